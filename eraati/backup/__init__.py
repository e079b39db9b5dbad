"""Backing up and restoring the whole service (``flask eraati backup`` / ``restore``)."""
