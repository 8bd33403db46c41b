"""Pages: programs and calls (officers set them up; everyone reads published calls)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kyoten.calls import selectors, services
from kyoten.calls.forms import ProgramForm
from kyoten.calls.models import Program
from kyoten.core.errors import DomainError
from kyoten.core.rules import is_officer


def call_list(request):
    return render(request, "calls/list.html", {
        "calls": selectors.calls_visible_to(request.user),
        "programs": selectors.programs() if is_officer(request.user) else [],
    })  # fmt: skip


@login_required
def program_edit(request, pk: int | None = None):
    """Edit a program, or (with ?template=<id>) create a new one from a program as template."""
    if not is_officer(request.user):
        raise PermissionDenied
    program = get_object_or_404(Program, pk=pk) if pk else None
    template = program or get_object_or_404(
        Program, pk=request.GET.get("template") or Program.objects.order_by("pk").first().pk
    )
    initial = {name: getattr(template, name) for name in services.PROGRAM_FIELDS}
    if program is None:
        initial["name"] = f"{template.name}（{_('copy')}）"
    form = ProgramForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if program is None:
                program = services.program_create(
                    by=request.user, template=template, **form.cleaned_data
                )
            else:
                services.program_update(program=program, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Program saved."))
            return redirect("calls:list")
    return render(
        request, "calls/program_form.html", {"form": form, "program": program, "template": template}
    )
