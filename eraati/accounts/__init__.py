"""Residents' and staff members' accounts: registration, log-in, own data."""
