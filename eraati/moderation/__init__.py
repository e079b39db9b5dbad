"""Moderation: the queue, hiding and restoring with reasons, automatic hiding on reports, blocks."""
