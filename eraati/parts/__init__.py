"""A draft read part by part: a topic's parts (sections), each with its text in the
topic's languages, its files and its own comments, which may quote one paragraph."""
