"""Shared building blocks: database base, time, languages, security, sanitising, errors."""
