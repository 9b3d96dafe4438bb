"""``harness run``: resolve a target, run the selected suites against it, report."""
