"""The one place where a domain error raised under a page becomes an HTTP answer.

Services and selectors raise `kyoten.core.errors` exceptions; the API turns them into JSON (see
`kyoten.api.main`), and this middleware does the same for every page, so that no view has to
catch them to avoid a 500:

- `NotFound` → 404 (through the site's 404 page: "does not exist" and "you may not know it
  exists" look the same),
- `Forbidden` → 403 (the site's 403 page, with the service's message),
- `Conflict` → 409 and any other `DomainError` → 400 (the error page with the message and rule).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404

from kyoten.core.errors import DomainError, Forbidden, NotFound


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.message))
        if isinstance(exception, Forbidden):
            return response_for_exception(request, PermissionDenied(exception.message))
        from kyoten.core.views import domain_error

        return domain_error(request, exception)


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy header on every answer (issue 17 item 5).

    The policy is `settings.KYOTEN_CSP` (directive → sources). It allows scripts, styles, fonts
    and connections from the site itself only: no inline script or style, no eval, no plugins,
    no framing by other sites, forms posted only to the site. Templates therefore carry no
    inline `<script>` (only `<script src=…>` of static files, and the API docs' JSON data
    block, which is not run) and no `style=` attributes. Django 6 has this built in; on 5.2
    this small middleware does it. It stands last in MIDDLEWARE, so it sees every answer,
    error pages included; an answer that sets its own policy keeps it.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        policy = getattr(settings, "KYOTEN_CSP", {})
        self.header = "; ".join(
            f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.header
        return response
