"""Computed insight into a topic's discussion, for the people who prepare the decision:
opinion groups from the votes on comments, suggested themes, keywords, campaigns
(comments sharing one text) and search that knows Finnish and Swedish inflection.

Everything here runs on this machine (no outside service) and is shown to a moderator
to check: nothing is applied to the data without a person.
"""
