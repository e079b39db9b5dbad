"""Stances, comment votes, poll answers, follows."""
