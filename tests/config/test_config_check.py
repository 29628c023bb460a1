#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""twamp-reflector --check-config, run as operators run it (no EAL, no root).

The shipped files (config/*.ini) must print "FILE: OK" and exit 0. Every
file of tests/config/bad/ must exit non-zero and print exactly the stderr
lines its "# expect: " comments give (@FILE@ stands for its path), nothing
on stdout. A few cases of the command line (missing file, a directory,
two files, arguments after "--") are written here.

usage: test_config_check.py TWAMP_REFLECTOR SOURCE_ROOT
Ends with "N passed, N failed".
"""

import os
import subprocess
import sys

EXPECT = "# expect: "


def run(binary, args, cwd):
    """The reflector's (exit status, stdout, stderr)."""
    p = subprocess.run([binary] + args, cwd=cwd, capture_output=True, text=True,
                       timeout=30, check=False)
    return p.returncode, p.stdout, p.stderr


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}: {detail}")


def expect_ok(t, binary, name, args, path, cwd):
    rc, out, err = run(binary, args, cwd)
    want = f"{path}: OK\n"
    t.check(name, rc == 0 and out == want and err == "",
            f"exit {rc}, stdout {out!r} (want {want!r}), stderr {err!r}")


def expect_error(t, binary, name, args, want_lines, cwd):
    rc, out, err = run(binary, args, cwd)
    got = err.splitlines()
    ok = rc != 0 and out == "" and got == want_lines
    detail = f"exit {rc}, stdout {out!r}\n  stderr: {got}\n  wanted: {want_lines}"
    t.check(name, ok, detail)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    top = os.path.abspath(sys.argv[2])
    config = os.path.join(top, "config")
    bad = os.path.join(top, "tests", "config", "bad")
    t = Tally()

    # The shipped files, as the systemd unit's ExecStartPre and the demo use them.
    for f in ("twamp-reflector.ini", "demo.ini"):
        expect_ok(t, binary, f"ok-{f}", ["--check-config", f], f, config)
    expect_ok(t, binary, "ok-equals-form", ["--check-config=demo.ini"], "demo.ini", config)
    # Command-line EAL arguments before "--", application arguments after it.
    expect_ok(t, binary, "ok-command-line-adds",
              ["--file-prefix", "x", "--check-config", "demo.ini", "--",
               "--stats-period", "1", "--address", "198.18.0.9/24"], "demo.ini", config)
    # The command line may give the address the file lacks.
    expect_ok(t, binary, "ok-command-line-address",
              ["--check-config", "no-address.ini", "--", "--address", "198.18.0.2/24"],
              "no-address.ini", bad)

    # The command line's own errors name its options.
    expect_error(t, binary, "command-line-value",
                 ["--check-config", "demo.ini", "--", "--rxd", "10"],
                 ["twamp-reflector: --rxd 10: must be 64..16384"], config)
    expect_error(t, binary, "missing-file", ["--check-config", "no-such.ini"],
                 ["twamp-reflector: no-such.ini: cannot open: No such file or directory"],
                 config)
    expect_error(t, binary, "directory", ["--check-config", "."],
                 ["twamp-reflector: .: cannot read: Is a directory"], config)
    expect_error(t, binary, "two-files",
                 ["--check-config", "demo.ini", "--config", "demo.ini"],
                 ["twamp-reflector: one --config or --check-config, not 2"], config)
    expect_error(t, binary, "no-file-name", ["--check-config"],
                 ["twamp-reflector: --check-config needs a FILE"], config)

    # One file per error case, its expected messages inside.
    names = sorted(n for n in os.listdir(bad) if n.endswith(".ini"))
    for n in names:
        with open(os.path.join(bad, n), encoding="utf-8") as f:
            want = [ln[len(EXPECT):].rstrip("\n").replace("@FILE@", n)
                    for ln in f if ln.startswith(EXPECT)]
        if not want:
            t.check(n, False, "no '# expect: ' line in the file")
            continue
        expect_error(t, binary, n, ["--check-config", n], want, bad)

    print(f"{t.passed} passed, {t.failed} failed")
    return 0 if t.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
