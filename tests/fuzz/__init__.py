"""Property and fuzz targets of Dateline: the readers, the date resolver and the coder.

``targets.py`` names each target (a hypothesis strategy and the invariant it must keep);
the CI tests (tests/test_reliability_props.py) run them with few examples, and
``python -m tests.fuzz.run --minutes N`` (``make fuzz``) runs them for a long time.
"""
