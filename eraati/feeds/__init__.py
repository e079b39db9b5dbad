"""What other programs and sites read: Atom feeds of new, coming and concluded
consultations, and an organisation's consultation card for its own website (embed)."""
