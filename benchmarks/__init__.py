"""Side-by-side benchmarks of ``pyramid_hooks``.

Run from the project root with ``python -m benchmarks`` (see
``python -m benchmarks --help`` and ``docs/performance.rst``).  Every
scenario measures its candidate and its baseline in the same run,
interleaved, with a warm-up, several repetitions and the median; speed is
shown by these ratios, never by timed test assertions.
"""
