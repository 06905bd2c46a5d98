"""No harvest credential reaches a log: ckanext-harvest's actions log whole sources (config included) at INFO,
so the shipped logging configuration keeps them at WARNING while the rest of ckanext logs at INFO."""
from __future__ import annotations

import logging
import logging.config
from pathlib import Path

CKAN_INI = Path(__file__).resolve().parents[2] / "config" / "ckan.ini"


def test_harvest_actions_do_not_log_sources(tmp_path):
    """With config/ckan.ini's logging, the source-creating action's INFO line is dropped, others kept."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    logging.config.fileConfig(CKAN_INI, defaults={"here": str(CKAN_INI.parent)}, disable_existing_loggers=False)
    try:
        create = logging.getLogger("ckanext.harvest.logic.action.create")
        assert not create.isEnabledFor(logging.INFO)
        assert create.isEnabledFor(logging.WARNING)
        assert logging.getLogger("ckanext.satudatapasuruan.harvesters").isEnabledFor(logging.INFO)
    finally:
        for name in ("ckan", "ckanext", "ckanext.harvest.logic.action"):
            logger = logging.getLogger(name)
            logger.handlers.clear()
            logger.setLevel(logging.NOTSET)
            logger.propagate = True
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
