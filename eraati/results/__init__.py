"""Results of a topic: participation figures, stances, polls, themes and charts."""
