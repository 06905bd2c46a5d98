"""Run action calls on another portal's configuration, as its site user: ``python peer.py CONFIG`` reads a JSON
list of ``[action, data]`` on stdin and writes the JSON list of results (or ``{"error": ...}``) to stdout."""
from __future__ import annotations

import json
import sys


def main(ini: str) -> None:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    import ckan.plugins.toolkit as tk

    calls = json.load(sys.stdin)
    results = []
    with app._wsgi_app.test_request_context():
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        for action, data in calls:
            try:
                results.append(tk.get_action(action)({"user": site["name"], "ignore_auth": True}, data))
            except (tk.ValidationError, tk.ObjectNotFound, tk.NotAuthorized) as err:
                results.append({"error": f"{type(err).__name__}: {getattr(err, 'error_dict', err)}"})
    json.dump(results, sys.stdout, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
