"""Retention: a topic's personal data is removed a set time after its results are published.

Each organisation sets ``Organisation.retention_months`` (24 by default). When that many
months have passed since a topic's ``results_published_at``, ``flask eraati tick`` (or
``flask eraati retention``) anonymises it once (``Topic.anonymised_at``): the people are
detached from everything they left in the topic, their pseudonyms and home
municipalities are kept so that the figures and reports stay as they were, and the texts
nobody was shown (hidden, waiting, deleted comments), anonymous writers' nicknames and
reports' free texts are removed. ``coverage.py`` is the one list of what is covered.
"""
