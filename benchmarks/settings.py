"""Sizes of a full run and of a ``--quick`` one. Scenarios read everything from here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    name: str
    runs: int = 3  # every measurement, median reported
    # B1: anonymous topic page vs hello world (wrk)
    b1_comments: int = 1_000
    b1_seconds: float = 3.0  # ~600 topic pages and ~3,000 hellos per run
    b1_connections: int = 16
    # B2: SQL statements per request as a topic grows
    b2_sizes: tuple[int, ...] = (0, 100, 1_000, 10_000)
    # B3: deep pages
    b3_small: int = 50
    b3_big: int = 10_000  # all top-level: page 200 is the last one
    b3_page: int = 200
    b3_seconds: float = 2.0
    b3_connections: int = 2  # one per worker: latency is service time, not queueing
    noop_seconds: float = 2.0  # each run of the no-op POST baseline (Python client)
    real_logins: int = 4  # voters who log in through the form; the rest get signed sessions
    # B4: concurrent votes
    b4_voters: int = 200
    b4_comments: int = 50
    b4_connections: int = 50
    b4_copies: int = 5  # every vote and stance sent this many times in parallel
    b4_copy_comments: int = 2  # ... the votes of every voter on this many of the comments
    b4_seconds: float = 45.0  # cap of one load loop (the copies: twice this)
    # B5: concurrent comment writers
    b5_writers: int = 20
    b5_per_writer: int = 20
    b5_seconds: float = 30.0
    # B6: growth
    b6_comments: int = 10_000  # grows to 10x
    b6_votes_per_comment: int = 10  # 100k votes, then 1M
    b6_factor: int = 10
    b6_seconds: float = 3.0
    b6_voters: int = 25
    b6_targets: int = 20  # comments voted on in each vote run
    # S1: staff lists (moderation queue, audit log)
    s1_small: int = 50
    s1_big: int = 10_000
    s1_page: int = 100  # the deep page compared with page 1
    s1_seconds: float = 2.0  # p95 of 400+ requests per run (2 connections)
    s1_connections: int = 2
    # A4: campaign grouping (no database: generated comments in a fresh process)
    a4_small: int = 10_000
    a4_big: int = 100_000
    # A5: comment search of a topic, 1,000 comments against 100,000
    a5_small: int = 1_000
    a5_big: int = 100_000
    a5_seconds: float = 5.0  # 2 s gave p95 ratios from 0.98x to 1.40x in two quiet runs
    a5_connections: int = 2  # one per worker: service time
    # P6: the open-data API's comment list, 1,000 comments against 100,000 (wrk)
    p6_small: int = 1_000
    p6_big: int = 100_000
    p6_seconds: float = 3.0  # each wrk load; the sizes take turns (ABBA) in each run
    p6_connections: int = 2  # one per worker: service time
    # F1: a topic's parts, 10 parts x 2,000 comments against one part of 2,000 (wrk)
    f1_parts: int = 10
    f1_comments: int = 2_000  # per part
    f1_small: int = 200  # statements per page: also at this many comments per part
    f1_rounds: int = 300  # requests a part, each beside one of the one-part page
    f1_warmup: int = 10  # rounds before those, not recorded
    f1_connections: int = 2  # one per worker: latency is service time, not queueing
    # F2: survey results, 50,000 respondents against 500 (wrk, then in-process timing)
    f2_small: int = 500
    f2_big: int = 50_000
    f2_seconds: float = 3.0  # each wrk load of a results page
    f2_connections: int = 2  # one per worker: latency is service time, not queueing
    f2_timed: int = 20  # in-process requests per size for the per-statement times
    # F3: GeoJSON export of located comments (peak RSS at f3_small vs f3_big)
    f3_small: int = 10_000
    f3_big: int = 100_000
    # N1-N3: notifications (a reminder to a topic's followers; a comment POST as they grow)
    n1_followers: int = 10_000
    n1_small: int = 1_000  # memory: the worker's peak at n1_small vs n1_followers
    n2_kills: tuple[float, ...] = (
        0.15,
        0.3,
        0.45,
        0.6,
        0.75,
    )  # SIGKILL once this share was received
    n2_lease: float = 2.0  # NOTIFY_LEASE_SECONDS of N2's workers
    n3_followers: tuple[int, ...] = (0, 1_000, 10_000)
    n3_posts: int = 100  # reply POSTs per topic and round (3 rounds, topics alternating)
    # Python load client: requests per connection are bounded by the loops above


FULL = Sizes("full")

QUICK = Sizes(
    "quick",
    noop_seconds=1.0,
    b1_seconds=1.0,
    b2_sizes=(0, 100, 1_000),
    b3_big=1_000,
    b3_page=20,
    b3_seconds=1.0,
    b4_voters=20,
    b4_comments=10,
    b4_copy_comments=2,
    b4_seconds=20.0,
    b5_writers=10,
    b5_per_writer=5,
    b5_seconds=15.0,
    b6_comments=1_000,
    b6_seconds=1.0,
    b6_voters=10,
    b6_targets=10,
    s1_big=1_000,
    s1_page=10,
    s1_seconds=1.0,
    a4_small=2_000,
    a4_big=20_000,
    a5_big=10_000,
    a5_seconds=1.0,
    p6_big=10_000,
    p6_seconds=1.0,
    f1_comments=500,
    f1_small=50,
    f1_rounds=40,
    f1_warmup=2,
    f2_small=50,
    f2_big=5_000,
    f2_seconds=1.0,
    f2_timed=5,
    f3_small=1_000,
    f3_big=10_000,
    n1_followers=2_000,
    n1_small=200,
    n2_kills=(0.5,),
    n3_followers=(0, 1_000),
    n3_posts=30,
)
