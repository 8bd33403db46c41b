from datetime import UTC, datetime

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import requires_csrf_token

from kyoten.core import history, selectors, throttle
from kyoten.core.errors import DomainError
from kyoten.core.registry import app_modules
from kyoten.core.rules import is_officer


def home(request):
    """Each role sees what it has to do next, collected from each app's `todo.todos`."""
    todos = []
    for _app, module in app_modules("todo"):
        todos.extend(module.todos(request.user))
    return render(request, "core/home.html", {"todos": todos})


class LoginView(auth_views.LoginView):
    """Django's login page with failed attempts throttled (kyoten.core.throttle): once refused,
    the page answers 429 with Retry-After and says at what time to try again."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        refusal = throttle.refusal(request, username)
        if refusal is not None:
            return self._refused(refusal)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        throttle.succeeded(self.request, form.get_user().get_username())
        return super().form_valid(form)

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")
        throttle.failed(self.request, username)
        refusal = throttle.refusal(self.request, username)
        if refusal is not None:
            return self._refused(refusal)
        return super().form_invalid(form)

    def _refused(self, refusal):
        until = timezone.localtime(datetime.fromtimestamp(refusal.until, tz=UTC))
        form = self.get_form_class()(self.request)
        context = self.get_context_data(form=form, throttled_until=until)
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response


def prefecture_list(request):
    return render(request, "core/prefectures.html", {"prefectures": selectors.prefectures()})


@login_required
def object_history(request, label: str, pk: int):
    """Officers: who changed what of one record, and when (audit). Anyone else: 404."""
    if not is_officer(request.user):
        raise Http404
    model = history.model_of(label)
    changes = history.changes_of(model, pk)
    current = model._default_manager.filter(pk=pk).first()
    return render(
        request,
        "core/history.html",
        {"model": model._meta, "pk": pk, "current": current, "changes": changes},
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    return HttpResponseRedirect(static("kyoten/favicon.ico"))


# --- error pages (root urls: handler400/403/404/500) ----------------------------------------
# 400, 403 and 404 are drawn in the site's layout with the request (menu, language, login);
# the 500 page is a template of its own that needs neither the database nor a context processor.


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "400.html", {"message": "", "rule": None}, status=400)


def domain_error(request, exc: DomainError):
    """A request the rules refuse on a page (`DomainErrorMiddleware`): 400, or 409 on a conflict."""
    status = exc.status if exc.status in (400, 409) else 400
    return render(request, "400.html", {"message": exc.message, "rule": exc.rule}, status=status)


@requires_csrf_token
def permission_denied(request, exception=None):
    message = str(exception) if exception is not None else ""
    return render(request, "403.html", {"message": message}, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # Unknown paths under the API answer its JSON error shape (SPEC §4), never a page.
        return JsonResponse({"detail": gettext("not found")}, status=404)
    return render(request, "404.html", {}, status=404)


@requires_csrf_token
def server_error(request):
    html = loader.get_template("500.html").render({"LANG": get_language() or "ja"})
    return HttpResponse(html, status=500)
