"""``ckan satudata-workflow``: workflow tasks for server administrators."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import click
from ckan import model

from . import records
from .machine import RULES, State, path

__all__ = ["workflow"]


@click.group(name="satudata-workflow", short_help="Alur verifikasi dataset (Satu Data)")
def workflow():
    pass


@workflow.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--to", "goal", required=True, type=click.Choice([s.value for s in State]),
              help="The state to reach.")
@click.option("--from", "only_from", type=click.Choice([s.value for s in State]), default=None,
              help="Move only datasets now in this state; leave the others as they are.")
@click.option("--note", default="", help="Note recorded with each step (required for returns and withdrawals).")
@click.option("--gate-override-reason", "override", default="",
              help="Publish past the quality plugin's publish gate, with this reason in the audit trail.")
def move(names: tuple[str, ...], goal: str, only_from: str | None, note: str, override: str):
    """Take datasets along the tiers to a state, as the site user: each step is a real transition,
    recorded in the audit trail (migrations of existing catalogues, demo content)."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    failed = 0
    for name in names:
        package = model.Package.get(name)
        if package is None:
            click.secho(f"{name}: dataset tidak ditemukan", fg="red")
            failed += 1
            continue
        current = records.get_state(package)
        if only_from and current.value != only_from:
            click.echo(f"{name}: {current.value}, dilewati")
            continue
        steps = path(current, State(goal))
        if steps is None:
            click.secho(f"{name}: {current.value} tidak dapat menuju {goal}", fg="red")
            failed += 1
            continue
        for step in steps:
            data = {"id": package.id}
            if note or RULES[step].note_required:
                data["note"] = note or "ckan satudata-workflow move"
            if override and step.value == "publish":
                data["gate_override_reason"] = override
            try:
                tk.get_action(f"satudata_workflow_{step.value}")({"user": site["name"]}, data)
            except tk.ValidationError as err:
                click.secho(f"{name}: {step.value} ditolak: {err.error_dict}", fg="red")
                failed += 1
                break
        else:
            click.echo(f"{name}: {current.value} -> {goal}" if steps else f"{name}: sudah {goal}")
    if failed:
        raise click.exceptions.Exit(1)
