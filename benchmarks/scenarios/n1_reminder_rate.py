"""N1: a reminder to 10,000 followers, sent by the worker (``sending.send_due`` in a fresh
process) against a bare loop that sends the same messages with smtplib over one
connection, both to the same SMTP sink (aiosmtpd on 127.0.0.1); and the worker's peak
memory at 1,000 vs 10,000 followers.

The bare loop's messages are built before its clock starts, by the app's own code
(``kinds.build``, ``sending.message``: the same bytes), so the loop times only SMTP: the
floor any worker shares. The worker's time is all of its run: claiming batches of 200,
building each message, sending it and marking its row sent. The two alternate, each 3
times; the median of the ratios is reported.
"""

from __future__ import annotations

from benchmarks import data
from benchmarks import notify_support as ns
from benchmarks.measure import median, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

TARGET = 0.5
FLAT_MIB = 10.0  # peak RSS growth from 1,000 to 10,000 followers


@register
class N1(Scenario):
    id = "N1"
    title = "a reminder to 10,000 followers: worker vs bare smtplib loop"
    target = (
        f">= {TARGET}x the bare loop's messages/s; peak RSS growth 1k -> 10k <= {FLAT_MIB:.0f} MiB"
    )
    needs_server = False

    def run(self, ctx):
        s = ctx.sizes
        app = ctx.app
        box = ns.sink(ctx)
        n, small_n = s.n1_followers, s.n1_small
        people = ns.ensure_people(app, n)
        big = ns.closing_topic(app, "n1-big")
        small = ns.closing_topic(app, "n1-small")
        ns.follow(app, big, people, reminders=True)
        ns.follow(app, small, people[:small_n], reminders=True)
        recorded = ns.record_reminder(app, big)
        data.analyze(app)

        ratios, worker_rates, bare_rates, peaks = [], [], [], []
        delivered_ok = recorded == n
        for _ in range(s.runs):
            box.clear()
            bare = ns.run_child(ctx, "bare", box.port, big)
            delivered_ok &= bare["sent"] == n and ns.received(box) == n
            box.clear()
            ns.unsend(app, big)
            worker = ns.run_child(ctx, "worker", box.port, big)
            delivered_ok &= worker["sent"] == n and ns.received(box) == n
            delivered_ok &= ns.state(app, big)["sent"] == n
            w_rate, b_rate = worker["sent"] / worker["seconds"], bare["sent"] / bare["seconds"]
            worker_rates.append(w_rate)
            bare_rates.append(b_rate)
            ratios.append(ratio(w_rate, b_rate))
            peaks.append(worker["peak_mb"] - worker["rss_before_mb"])
            ctx.log(
                f"    worker {w_rate:.0f} msg/s, bare {b_rate:.0f} msg/s, ratio {ratios[-1]:.2f}, "
                f"peak +{peaks[-1]:.1f} MiB"
            )
        # The same worker at a tenth of the followers: its peak should not grow with them.
        ns.record_reminder(app, small)
        small_peaks = []
        for _ in range(s.runs):
            box.clear()
            ns.unsend(app, small)
            w = ns.run_child(ctx, "worker", box.port, small)
            delivered_ok &= w["sent"] == small_n
            small_peaks.append(w["peak_mb"] - w["rss_before_mb"])
        growth = median(peaks) - median(small_peaks)
        r = median(ratios)
        size_kb = bare["bytes"] / n / 1024
        k = f"{n // 1000}k"
        return [
            Figure(
                self.id,
                f"worker / bare smtplib loop, messages/s, {k} followers",
                r,
                f">= {TARGET}",
                check(r, ">=", TARGET),
                "x",
                details={"ratios": ratios, "worker": worker_rates, "bare": bare_rates},
            ),
            Figure(
                self.id,
                "messages/s: worker / bare loop (median); message size",
                f"{median(worker_rates):.0f} / {median(bare_rates):.0f}; {size_kb:.1f} KiB",
            ),
            Figure(
                self.id,
                f"worker's peak RSS above its start, {small_n // 1000 or small_n}"
                f"{'k' if small_n >= 1000 else ''} -> {k} followers",
                growth,
                f"<= {FLAT_MIB:.0f} MiB",
                check(growth, "<=", FLAT_MIB),
                "MiB",
                details={"small": small_peaks, "big": peaks},
            ),
            Figure(
                self.id,
                "peak above start at each size (MiB, median)",
                f"{median(small_peaks):.1f} / {median(peaks):.1f}",
            ),
            Figure(
                self.id,
                "every follower's message received, every row marked sent",
                "yes" if delivered_ok else "no",
                "yes",
                delivered_ok,
            ),
        ]
