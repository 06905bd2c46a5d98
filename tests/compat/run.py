"""`make compat`: CKAN's and the extensions' own search tests on the embedded engine.

Each line of targets.txt names a config and test paths inside the installed packages;
every line runs in its own pytest process (each extension needs its own plugins), and
the totals close with pytest's usual summary line.
"""
from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> int:
    import ckan

    site = os.path.dirname(os.path.dirname(ckan.__file__))
    out_dir = os.path.join(ROOT, "var", "compat")
    os.makedirs(out_dir, exist_ok=True)
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    failures: list[tuple[str, str]] = []
    with open(os.path.join(ROOT, "tests", "compat", "targets.txt"), encoding="utf-8") as f:
        lines = [line.split() for line in f if line.strip() and not line.startswith("#")]
    env = dict(os.environ, PYTHONPATH=ROOT)
    for n, (ini, *paths) in enumerate(lines):
        xml = os.path.join(out_dir, f"part{n}.xml")
        cmd = [sys.executable, "-m", "pytest", f"--ckan-ini={os.path.join(ROOT, ini)}", "-q",
               "-p", "no:cacheprovider", "-p", "tests.compat.plugin", f"--junitxml={xml}",
               "-o", "junit_family=xunit1", *paths]
        print("$", " ".join(cmd[2:]), flush=True)
        subprocess.run(cmd, cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for case in ET.parse(xml).getroot().iter("testcase"):
            name = f"{case.get('file') or case.get('classname')}::{case.get('name')}"
            failed = case.find("failure") is not None or case.find("error") is not None
            if failed:
                totals["failed"] += 1
                node = case.find("failure") if case.find("failure") is not None else case.find("error")
                failures.append((name, (node.get("message") or "").splitlines()[0][:160]))
            elif case.find("skipped") is not None:
                totals["skipped"] += 1
            else:
                totals["passed"] += 1
    for name, message in failures:
        print(f"FAILED {name} - {message}")
    print(f"{totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
