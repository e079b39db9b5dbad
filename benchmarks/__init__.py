"""eRaati benchmarks: ``python -m benchmarks`` (see benchmarks/README.md).

Every figure is a ratio against a baseline measured in the same run by the same
gunicorn workers, so a busy shared machine shifts both sides alike. Benchmarks never
run inside ``make test`` and no test asserts a wall-clock time.
"""
