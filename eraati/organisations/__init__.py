"""Municipalities and joint authorities, and their staff roles."""
