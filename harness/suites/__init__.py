"""The test content the harness runs against a target: pytest modules, one folder per
suite, loaded with the ``harness.suites.plugin`` plugin (``harness run`` does that)."""
