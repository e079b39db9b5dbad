"""Who is told what, when, once: e-mail notifications of replies, reminders, new
consultations, results and the moderation queue; each person's preferences; one-click
unsubscribe.

Every kind goes through one mechanism (``sending``): an event writes one row per person to
tell in ``notifications`` (unique per person, kind and subject, so nobody is told twice of
one thing), and a worker sends the rows that are due, each claimed before its message and
released when sending fails, so that a worker that stops in the middle leaves nobody out.
"""
