"""Pieces shared by the benchmark scripts: superuser SQL, the run's provenance, markdown tables."""
from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["ROOT", "su_psql", "revision", "machine", "markdown_table"]

ROOT = Path(__file__).resolve().parents[1]


def su_psql(sql: str | None = None, db: str = "postgres", script: str | None = None) -> str:
    """Run SQL (or a psql script on stdin) as the PostgreSQL superuser (runuser when root)."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", "psql"]
    else:
        cmd = ["psql", "-h", "127.0.0.1", "-U", os.environ.get("BENCH_PG_SUPERUSER", "postgres")]
    cmd += ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db]
    if sql is not None:
        cmd += ["-c", sql]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd="/", input=script).stdout.strip()


def revision() -> str:
    """The commit under test, marked when the extension's code differs from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()
    rev = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--", "ckanext-satudatapasuruan/ckanext/satudatapasuruan"):
        rev += " (ckanext modified)"
    return rev


def machine() -> str:
    pg = su_psql("SHOW server_version")
    return f"nproc {os.cpu_count()}, PostgreSQL {pg}, Python {platform.python_version()}, {platform.machine()}"


def markdown_table(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---:" for _ in columns) + "|"]
    lines += ["| " + " | ".join(str(r[c]) for c in columns) + " |" for r in rows]
    return "\n".join(lines)
