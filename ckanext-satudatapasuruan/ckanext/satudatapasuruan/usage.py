"""Usage events (page views, downloads, QR scans) as one CKAN signal.

Whoever sees a use sends it; ``satudata_feedback`` subscribes and counts per dataset and day. Sending never
fails the caller's request: a receiver that raises is the receiver's bug, so callers wrap nothing.
"""
from __future__ import annotations

import enum

import ckan.plugins.toolkit as tk

__all__ = ["Kind", "used", "record"]


class Kind(str, enum.Enum):
    VIEW = "view"  # a dataset page was shown
    DOWNLOAD = "download"  # a resource file was downloaded
    SCAN = "scan"  # an infographic's QR short link was followed to the dataset


used = tk.signals.ckanext.signal("satudata_usage")


def record(kind: Kind, package_id: str, **extra: str) -> None:
    """Announce one use of ``package_id`` (``extra`` e.g. ``infographic_id`` for a scan)."""
    used.send(kind, package_id=package_id, **extra)
