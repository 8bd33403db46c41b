"""The inbox (every signed-in person) and the outbox of sent mail (officers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.core.errors import NotFound
from kyoten.core.models import SiteState
from kyoten.notices import selectors, services

PAGE_SIZE = 30


@login_required
def inbox(request):
    show = request.GET.get("show", "")
    unread = True if show == "unread" else None
    page = Paginator(selectors.notices_of(request.user, unread=unread), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notices/inbox.html", {"page": page, "show": show})


@login_required
@require_POST
def read(request, pk: int):
    """Mark read and go to the page where the person acts (or back to the inbox)."""
    try:
        notice = services.notice_read(user=request.user, notice_id=pk)
    except NotFound:
        raise Http404 from None
    target = notice.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notices:inbox")


@login_required
@require_POST
def read_all(request):
    n = services.notices_read_all(user=request.user)
    messages.success(request, _("%(n)d notices marked as read.") % {"n": n})
    return redirect("notices:inbox")


@login_required
@permission_required("notices.view_outbox", raise_exception=True)
def outbox(request):
    page = Paginator(selectors.sent_mail(), PAGE_SIZE).get_page(request.GET.get("page"))
    # Bodies carry live links (invitations, password resets): shown only in the demo.
    demo = SiteState.objects.filter(demo_loaded_at__isnull=False).exists()
    return render(request, "notices/outbox.html", {"page": page, "show_bodies": demo})
