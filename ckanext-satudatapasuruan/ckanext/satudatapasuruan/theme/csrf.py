"""CSRF exemptions for API-token requests, for that request only.

CKAN 2.12 exempts a view from CSRF protection when a request reaches it with an ``Authorization`` header
(``ckan_before_request`` calls ``csrf.exempt(view)``), and Flask-WTF keeps that exemption for the life of the
process: one request with anyone's API token to a form view (the login form, a dataset form) leaves that form
open to cross-site requests from every browser session until the worker restarts. Here the exemption CKAN makes
during a token request holds for requests authenticated by a token only; exemptions made outside a request (CKAN's
API blueprint, plugins at start-up) stay permanent.
"""
from __future__ import annotations

from flask import g, has_request_context

__all__ = ["RequestScopedExemptions", "install"]


class RequestScopedExemptions(set):
    """Flask-WTF's set of exempt view names, with token-time exemptions kept apart."""

    def __init__(self, permanent=()):
        super().__init__(permanent)
        self.token_views: set[str] = set()

    @staticmethod
    def _by_token() -> bool:
        return has_request_context() and bool(g.get("login_via_auth_header"))

    def add(self, dest: str) -> None:
        if self._by_token():
            self.token_views.add(dest)
        else:
            super().add(dest)

    def __contains__(self, dest: object) -> bool:
        return super().__contains__(dest) or (self._by_token() and dest in self.token_views)


def install() -> None:
    """Put the request-scoped set in place of CKAN's (idempotent; keeps what is already exempt)."""
    from ckan.config.middleware.flask_app import csrf

    if not isinstance(csrf._exempt_views, RequestScopedExemptions):
        csrf._exempt_views = RequestScopedExemptions(csrf._exempt_views)
