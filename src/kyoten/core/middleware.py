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
