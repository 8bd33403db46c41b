"""Hub pages: the public directory and hub page, operator editing, the officer's view, the board."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.core.errors import DomainError, Forbidden, NotFound
from kyoten.core.exports import export_response
from kyoten.core.fiscal import fiscal_year
from kyoten.core.forms import show_domain_error
from kyoten.core.locking import EditConflict, seen_of
from kyoten.core.models import Prefecture
from kyoten.core.reference import BLOCKS
from kyoten.core.registry import app_modules
from kyoten.core.rules import can_read_program, is_officer, is_operator
from kyoten.hubs import exports, forms, selectors, services
from kyoten.hubs.enums import Stage
from kyoten.hubs.models import Asset, CommitteeMember, Contact, Tenant
from kyoten.hubs.rules import can_edit_hub, can_view_hub_internals


def _domain_errors(view):
    """Services' Forbidden/NotFound become Django's 403/404 answers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except NotFound:
            raise Http404 from None

    return wrapper


def _directory(request) -> tuple[Any, dict[str, str]]:
    """The hubs of the directory with the filters of the query string (page and file alike)."""
    qs = selectors.hubs_visible_to(request.user)
    block = request.GET.get("block") or ""
    prefecture = request.GET.get("prefecture") or ""
    stage = request.GET.get("stage") or ""
    q = (request.GET.get("q") or "").strip()
    if block in BLOCKS:
        qs = qs.filter(lead_prefecture__block=block)
    if prefecture:
        qs = qs.filter(prefectures__code=prefecture).distinct()
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs, {"block": block, "prefecture": prefecture, "stage": stage, "q": q}


def hub_list(request):
    """The open hub directory."""
    qs, selected = _directory(request)
    return render(
        request,
        "hubs/list.html",
        {
            "hubs": qs,
            "blocks": [(k, v) for k, v in BLOCKS.items()],
            "prefectures": Prefecture.objects.all(),
            "stages": Stage.choices,
            "selected": selected,
            "export_query": request.GET.urlencode(),
            "mine": selectors.hubs_operated_by(request.user),
        },
    )


def hub_list_export(request, fmt: str):
    """The directory as a file (CSV or Excel), with the page's filters."""
    qs, _selected = _directory(request)
    return export_response(fmt=fmt, sheets=[exports.directory_sheet(qs)], filename="hubs")


def _internals_of(request, pk: int):
    """The hub, for those who read its internals (its operators, officers, R-15 readers)."""
    hub = selectors.get_hub_for(request.user, pk)
    if not can_view_hub_internals(request.user, hub):
        raise PermissionDenied(_("the hub's operators and the program's readers only"))
    return hub


@login_required
@_domain_errors
def hub_assets_export(request, pk: int, fmt: str):
    hub = _internals_of(request, pk)
    return export_response(
        fmt=fmt, sheets=[exports.assets_sheet(hub)], filename=f"hub-{hub.pk}-assets"
    )


def _home_links(user, hub) -> dict[str, Any]:
    """The proposal the hub came from (linked for those who may read the proposal, named for
    everyone). Its machines, desk, network page and follow-up are the later apps' `hub_links`."""
    proposal = None
    if hub.proposal_id:
        p = hub.proposal
        url = (
            reverse("proposals:edit", args=[p.pk])
            if user.has_perm("proposals.view_proposal", p)
            else None
        )
        proposal = {"title": p.title, "url": url}
    return {"proposal": proposal}


@_domain_errors
def hub_detail(request, pk: int):
    hub = selectors.get_hub_for(request.user, pk, details=True)
    hub._operator_ids = {u.pk for u in hub.operators.all()}
    internals = can_view_hub_internals(request.user, hub)
    fy = fiscal_year(timezone.localdate())
    context: dict[str, Any] = {
        "hub": hub,
        "can_edit": can_edit_hub(request.user, hub),
        "is_officer": is_officer(request.user),
        "internals": internals,
        "committee": list(hub.committee.all()),
        "fy": fy,
        # Later apps' pages about this hub (their `hub_links.py`: records of its work, …).
        "app_links": [
            link
            for _app, mod in app_modules("hub_links")
            for link in mod.hub_links(request.user, hub)
        ],
    }
    context |= _home_links(request.user, hub)
    if internals:
        assets = [a for a in hub.assets.all() if a.hub_id == hub.pk]
        for asset in assets:
            asset.current_book_value = asset.book_value(fy)
        context |= {
            "stages": selectors.stages_of(hub),
            "assets": assets,
            "totals": selectors.asset_totals(hub, fy=fy),
            "warnings": selectors.hub_warnings(hub),
            "contradictions": selectors.hub_contradictions(hub),
        }
    return render(request, "hubs/detail.html", context)


def _apply_errors(form, exc: DomainError) -> None:
    show_domain_error(form, exc, aliases={"land": "land_address"})


def _form_page(
    request,
    hub,
    form,
    *,
    title: str,
    call: Callable[[dict], Any],
    done: str,
):
    seen, conflict = request.POST.get("seen") or seen_of(hub), None
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except (Forbidden, NotFound):
            raise
        except EditConflict as exc:
            # Keep the input, show the other person's change, and let the next save go through.
            form.add_error(None, exc.message)
            seen, conflict = exc.seen, exc.changes
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("hubs:detail", pk=hub.pk)
    return render(
        request,
        "hubs/form.html",
        {"hub": hub, "form": form, "title": title, "seen": seen, "conflict": conflict},
    )


@login_required
@_domain_errors
def hub_edit(request, pk: int):
    """Operators edit what is theirs; officers edit everything."""
    hub = selectors.get_hub_for(request.user, pk, write=True)
    form_class = forms.OfficerHubForm if is_officer(request.user) else forms.OperatorHubForm
    initial = {name: getattr(hub, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)

    def call(data: dict) -> None:
        changed = {k: v for k, v in data.items() if k in form.changed_data}
        if "land_area_m2" in changed and changed["land_area_m2"] is None:
            changed["land_area_m2"] = None
        services.hub_update(hub=hub, by=request.user, seen=request.POST.get("seen"), **changed)

    return _form_page(
        request, hub, form, title=_("Edit %(hub)s") % {"hub": hub}, call=call, done=_("Saved.")
    )


@login_required
@_domain_errors
def stage_set(request, pk: int):
    hub = selectors.get_hub_for(request.user, pk, write=True)
    if not is_officer(request.user):
        raise PermissionDenied
    initial = {"stage": request.GET.get("stage") or hub.stage}
    existing = hub.stages.filter(stage=initial["stage"]).first()
    if existing is not None:
        initial |= {f: getattr(existing, f) for f in forms.StageForm.base_fields if f != "stage"}
    form = forms.StageForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        hub,
        form,
        title=_("Development stage"),
        call=lambda d: services.hub_stage_set(hub=hub, by=request.user, **d),
        done=_("Stage saved."),
    )


@login_required
@_domain_errors
def asset_add(request, pk: int):
    hub = selectors.get_hub_for(request.user, pk, write=True)
    if not is_officer(request.user):
        raise PermissionDenied
    form = forms.AssetForm(request.POST or None)
    return _form_page(
        request,
        hub,
        form,
        title=_("Register an asset"),
        call=lambda d: services.asset_register(hub=hub, by=request.user, **d),
        done=_("Asset registered."),
    )


def _asset_of(request, pk: int, asset_id: int):
    hub = selectors.get_hub_for(request.user, pk, write=True)
    asset = Asset.objects.filter(pk=asset_id, hub=hub).first()
    if asset is None:
        raise Http404
    return hub, asset


@login_required
@_domain_errors
def asset_transfer(request, pk: int, asset_id: int):
    hub, asset = _asset_of(request, pk, asset_id)
    form = forms.TransferForm(request.POST or None)
    return _form_page(
        request,
        hub,
        form,
        title=_("Move %(asset)s") % {"asset": asset},
        call=lambda d: services.asset_transfer(asset=asset, by=request.user, **d),
        done=_("Move recorded."),
    )


@login_required
@_domain_errors
def asset_dispose(request, pk: int, asset_id: int):
    hub, asset = _asset_of(request, pk, asset_id)
    if not is_officer(request.user):
        raise PermissionDenied
    form = forms.DisposeForm(request.POST or None)
    return _form_page(
        request,
        hub,
        form,
        title=_("Dispose of %(asset)s") % {"asset": asset},
        call=lambda d: services.asset_dispose(asset=asset, by=request.user, **d),
        done=_("Disposal recorded."),
    )


@login_required
@_domain_errors
def committee_add(request, pk: int):
    hub = selectors.get_hub_for(request.user, pk, write=True)
    form = forms.CommitteeMemberForm(request.POST or None)
    return _form_page(
        request,
        hub,
        form,
        title=_("Add a committee member"),
        call=lambda d: services.committee_member_add(hub=hub, by=request.user, **d),
        done=_("Member added."),
    )


@login_required
@require_POST
@_domain_errors
def committee_remove(request, pk: int, member_id: int):
    hub = selectors.get_hub_for(request.user, pk, write=True)
    member = CommitteeMember.objects.filter(pk=member_id, hub=hub).first()
    if member is None:
        raise Http404
    services.committee_member_remove(member=member, by=request.user)
    messages.success(request, _("Member removed."))
    return redirect("hubs:detail", pk=hub.pk)


@login_required
@_domain_errors
def contact_add(request, pk: int):
    hub = selectors.get_hub_for(request.user, pk, write=True)
    form = forms.ContactForm(request.POST or None)
    return _form_page(
        request,
        hub,
        form,
        title=_("Add a contact"),
        call=lambda d: services.contact_add(hub=hub, by=request.user, **d),
        done=_("Contact added."),
    )


@login_required
@require_POST
@_domain_errors
def contact_remove(request, pk: int, contact_id: int):
    hub = selectors.get_hub_for(request.user, pk, write=True)
    contact = Contact.objects.filter(pk=contact_id, hub=hub).first()
    if contact is None:
        raise Http404
    services.contact_remove(contact=contact, by=request.user)
    messages.success(request, _("Contact removed."))
    return redirect("hubs:detail", pk=hub.pk)


@login_required
@_domain_errors
def room_add(request, pk: int):
    hub = selectors.get_hub_for(request.user, pk, write=True)
    form = forms.RoomForm(request.POST or None)
    return _form_page(
        request,
        hub,
        form,
        title=_("Add an incubation room"),
        call=lambda d: services.incubation_room_add(hub=hub, by=request.user, **d),
        done=_("Room added."),
    )


@login_required
@_domain_errors
def tenant_add(request, pk: int):
    hub = selectors.get_hub_for(request.user, pk, write=True)
    form = forms.TenantForm(request.POST or None, hub=hub)
    return _form_page(
        request,
        hub,
        form,
        title=_("Add a tenant venture"),
        call=lambda d: services.tenant_add(by=request.user, **d),
        done=_("Tenant added."),
    )


@login_required
@_domain_errors
def tenant_graduate(request, pk: int, tenant_id: int):
    hub = selectors.get_hub_for(request.user, pk, write=True)
    tenant = Tenant.objects.filter(pk=tenant_id, room__hub=hub).first()
    if tenant is None:
        raise Http404
    form = forms.GraduateForm(request.POST or None)
    return _form_page(
        request,
        hub,
        form,
        title=_("Graduation of %(venture)s") % {"venture": tenant.venture},
        call=lambda d: services.tenant_graduate(tenant=tenant, by=request.user, **d),
        done=_("Graduation recorded."),
    )


@login_required
def board(request):
    """All hubs of the program by development stage, delays marked; totals tie to awards."""
    if not (can_read_program(request.user) or is_operator(request.user)):
        raise PermissionDenied
    decisions = []
    if is_officer(request.user):
        from kyoten.allocation.models import AllocationDecision

        decisions = list(AllocationDecision.objects.select_related("call").order_by("-adopted_at"))
    return render(
        request,
        "hubs/board.html",
        {
            "columns": selectors.board(request.user),
            "totals": selectors.program_totals(request.user),
            "decisions": decisions,
            "is_officer": is_officer(request.user),
        },
    )


@login_required
@require_POST
@_domain_errors
def from_decision(request):
    """Officers: create the hubs of a call's adopted allocation decision."""
    from kyoten.calls.models import Call

    if not is_officer(request.user):
        raise PermissionDenied
    call = Call.objects.filter(pk=request.POST.get("call") or 0).first()
    if call is None:
        raise Http404
    try:
        hubs = services.hubs_create_for_decision(call=call, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(n)d hubs are up to date with the decision.") % {"n": len(hubs)}
        )
    return redirect("hubs:board")


@login_required
def checks(request):
    """The officer's list of hubs whose records contradict each other (stage against dates,
    handover, assets and operation start)."""
    if not is_officer(request.user):
        raise Http404
    return render(request, "hubs/checks.html", {"found": selectors.contradictions(request.user)})
