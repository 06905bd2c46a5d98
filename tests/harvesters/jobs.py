"""Running one harvest job in the test process, through ckanext-harvest's own stage functions."""
from __future__ import annotations

from typing import Any

from ckan.tests import helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError

__all__ = ["run_job"]


def run_job(harvester: Any, source_id: str) -> dict[str, Any]:
    """One job through gather, fetch and import as the queue consumers run them, finished as the scheduler
    finishes it; what it left behind."""
    job_dict = helpers.call_action("harvest_job_create", context={"ignore_auth": True}, source_id=source_id,
                                   run=False)
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    ids = queue.gather_stage(harvester, job) or []
    for obj_id in ids:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    helpers.call_action("harvest_jobs_run", context={"ignore_auth": True}, source_id=source_id)
    objects = HarvestObject.filter(harvest_job_id=job.id).all()
    return {
        "job": job.id,
        "queued": len(ids),
        "gather_errors": [e.message for e in HarvestGatherError.filter(harvest_job_id=job.id).all()],
        "object_errors": [e.message for o in objects for e in HarvestObjectError.filter(harvest_object_id=o.id)],
        "status": {o.guid: o.report_status for o in objects},
    }
