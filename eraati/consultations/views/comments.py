"""Commenting: post, reply, edit, delete, flag."""
