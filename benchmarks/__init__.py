"""Benchmark suite: runloop_async against a bare aiohttp client and the official SDK.

Run it with ``nox -s bench`` (or ``python -m benchmarks`` in an environment that has
the official ``runloop-api-client==1.32.0``). Never imported by the package or tests.
"""
