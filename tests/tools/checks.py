# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""The check counter of the tools' python tests (test_twamp_ping.py,
test_exporter.py): each prints "N passed, N failed" from it."""


class Checks:
    """Counts checks; prints each failure with what was expected and seen."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.scenario = ""

    def eq(self, what, got, want):
        if got == want:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL [{self.scenario}] {what}: got {got!r}, want {want!r}")

    def true(self, what, cond, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL [{self.scenario}] {what} {detail}")
