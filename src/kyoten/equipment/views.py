"""Pages: network-wide search, a machine with its calendar, my bookings, a hub's desk, feeds."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.core.errors import DomainError, Forbidden
from kyoten.equipment import documents, selectors, services
from kyoten.equipment import photos as photo_types
from kyoten.equipment.enums import ACTIVE_STATUSES, MODES_FOR_ACCESS, BookingStatus, Mode, UserClass
from kyoten.equipment.forms import BookingForm, InvoiceRunForm, PhotoForm, SearchForm, UsageForm
from kyoten.equipment.models import Booking, CalendarFeed, Invoice, TrainingSession
from kyoten.equipment.slots import TOKYO
from kyoten.hubs.models import Hub


def search(request):
    form = SearchForm(request.GET or None)
    page = None
    error = None
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if request.GET else {}
        try:
            qs = selectors.search_equipment(
                request.user, q=data.get("q"), category=data.get("category"),
                prefecture=data.get("prefecture"), block=data.get("block"),
                max_fee=data.get("max_fee"), access=data.get("access"), mode=data.get("mode"),
            )  # fmt: skip
            page = Paginator(qs, 20).get_page(request.GET.get("page"))
        except DomainError as exc:
            error = exc
    rows = []
    if page is not None:
        items = list(page.object_list)
        slots = selectors.next_free_slots(items)
        rows = [
            {"e": e, "fee": selectors.fee_for(request.user, e), "slot": slots.get(e.pk)}
            for e in items
        ]
    template = "equipment/_results.html" if request.htmx else "equipment/search.html"
    return render(request, template, {"form": form, "page": page, "rows": rows, "error": error})


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.isoweekday() - 1)


def _calendar_context(request, equipment) -> dict:
    view = request.GET.get("view", "week")
    if view not in ("day", "week"):
        view = "week"
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.now().astimezone(TOKYO).date()
    first = day if view == "day" else _week_start(day)
    days = 1 if view == "day" else 7
    step = dt.timedelta(days=days)
    columns = selectors.calendar(equipment, first=first, days=days)
    # Rows: the union of slot times of the shown days (days without opening hours stay empty).
    times = sorted({s["start"].astimezone(TOKYO).time() for c in columns for s in c["slots"]})
    grid = []
    for t in times:
        cells = []
        for c in columns:
            cells.append(
                next((s for s in c["slots"] if s["start"].astimezone(TOKYO).time() == t), None)
            )
        grid.append({"time": t, "cells": cells})
    return {
        "equipment": equipment, "view": view, "first": first, "columns": columns, "grid": grid,
        "prev": first - step, "next": first + step, "me": request.user.pk,
    }  # fmt: skip


def detail(request, pk: int):
    try:
        equipment = selectors.get_equipment_for(request.user, pk)
    except DomainError:
        raise Http404 from None
    modes = MODES_FOR_ACCESS[equipment.access]
    form = BookingForm(modes=modes, initial={"repeat_weeks": 1})
    waitlist = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/login/?next={request.path}")
        form = BookingForm(request.POST, modes=modes)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["repeat_weeks"] > 1:
                    services.booking_create_series(
                        equipment=equipment, user=request.user, start=data["start"],
                        end=data["end"], count=data["repeat_weeks"], mode=data["mode"],
                        purpose=data["purpose"],
                    )  # fmt: skip
                else:
                    services.booking_create(
                        equipment=equipment, user=request.user, start=data["start"],
                        end=data["end"], mode=data["mode"], purpose=data["purpose"],
                    )  # fmt: skip
                messages.success(request, _("Booked."))
                return redirect("equipment:my_bookings")
            except DomainError as exc:
                if exc.status == 409:
                    waitlist = {"start": data["start"].isoformat(), "end": data["end"].isoformat()}
                # (add_error removes the field from cleaned_data: read it first)
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return _render_detail(request, equipment, form=form, modes=modes, waitlist=waitlist)


def _render_detail(request, equipment, *, form, modes, waitlist=None, photo_form=None, status=200):
    context = _calendar_context(request, equipment)
    slot = selectors.next_free_slots([equipment]).get(equipment.pk)
    certificate = (
        services.valid_certificate(request.user, equipment, timezone.now().astimezone(TOKYO).date())
        if request.user.is_authenticated
        else None
    )
    fee = selectors.fee_for(request.user, equipment)
    if fee is not None:
        fee = {**fee, "user_class_label": UserClass(fee["user_class"]).label,
               "mode_label": Mode(fee["mode"]).label}  # fmt: skip
    context.update({
        "form": form, "fee": fee, "slot": slot,
        "certificate": certificate, "modes": modes, "waitlist": waitlist,
        "can_manage": services.can_manage_equipment(request.user, equipment.hub),
        "sessions": TrainingSession.objects.filter(
            course__equipment=equipment, start__gt=timezone.now()).select_related("course")[:5],
        "photos": selectors.photos_of(equipment),
        "photo_form": photo_form or PhotoForm(),
    })  # fmt: skip
    return render(request, "equipment/detail.html", context, status=status)


@login_required
@require_POST
def photo_add(request, pk: int):
    """Upload a photo of a machine (its hub's operators); errors re-show the page (400)."""
    try:
        equipment = selectors.get_equipment_for(request.user, pk)
    except DomainError:
        raise Http404 from None
    if not request.user.has_perm("equipment.change_equipment", equipment):
        raise PermissionDenied(_("only the hub's operators may change this machine"))
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.equipment_photo_add(
                equipment=equipment, by=request.user, upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )  # fmt: skip
            messages.success(request, _("Photo added."))
            return redirect("equipment:detail", pk=equipment.pk)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    modes = MODES_FOR_ACCESS[equipment.access]
    booking_form = BookingForm(modes=modes, initial={"repeat_weeks": 1})
    return _render_detail(
        request, equipment, form=booking_form, modes=modes, photo_form=form, status=400
    )


@login_required
@require_POST
def photo_remove(request, pk: int, photo_pk: int):
    try:
        photo = selectors.get_photo_for(request.user, pk, photo_pk)
    except DomainError:
        raise Http404 from None
    try:
        services.equipment_photo_remove(photo=photo, by=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, _("Photo removed."))
    return redirect("equipment:detail", pk=pk)


def photo_file(request, pk: int, photo_pk: int):
    """The photo's bytes, for whoever may see the machine; never served from a media URL.

    The type is told again from the stored file's first bytes (a file put there by other means
    that is not a JPEG, PNG or WebP image is not served).
    """
    try:
        photo = selectors.get_photo_for(request.user, pk, photo_pk)
        handle = photo.image.open("rb")
    except (DomainError, OSError, ValueError):
        raise Http404 from None
    media_type = photo_types.sniff(photo_types.read_head(handle))
    if media_type is None:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=media_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = (
        f'inline; filename="photo-{photo.pk}.{photo_types.EXTENSIONS[media_type]}"'
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def waitlist_join(request, pk: int):
    try:
        equipment = selectors.get_equipment_for(request.user, pk)
        services.waitlist_join(equipment=equipment, user=request.user,
                               start=request.POST.get("start"), end=request.POST.get("end"))  # fmt: skip
        messages.success(
            request, _("You are on the waiting list; we will e-mail you if the time comes free.")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("equipment:detail", pk=pk)


def calendar_partial(request, pk: int):
    try:
        equipment = selectors.get_equipment_for(request.user, pk)
    except DomainError:
        raise Http404 from None
    return render(request, "equipment/_calendar.html", _calendar_context(request, equipment))


@login_required
def my_bookings(request):
    bookings = (
        selectors.bookings_visible_to(request.user)
        .filter(user=request.user)
        .select_related("usage")
        .order_by("-start")[:200]
    )
    feed, _created = CalendarFeed.objects.get_or_create(user=request.user)
    return render(request, "equipment/my_bookings.html", {
        "bookings": bookings, "now": timezone.now(), "feed": feed,
        "certificates": selectors.certificates_of(request.user),
    })  # fmt: skip


@login_required
@require_POST
def booking_cancel(request, pk: int):
    try:
        booking = selectors.get_booking_for(request.user, pk)
        services.booking_cancel(
            booking=booking, by=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Cancelled."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(request.POST.get("next") or "equipment:my_bookings")


@login_required
def booking_usage(request, pk: int):
    try:
        booking = selectors.get_booking_for(request.user, pk)
    except DomainError:
        raise Http404 from None
    form = UsageForm(
        request.POST or None,
        initial={"actual_start": booking.start.astimezone(TOKYO).replace(tzinfo=None),
                 "actual_end": booking.end.astimezone(TOKYO).replace(tzinfo=None),
                 "will_acknowledge": True},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_report_usage(booking=booking, by=request.user, **form.cleaned_data)
            messages.success(request, _("Usage reported."))
            return redirect("equipment:my_bookings")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    settings_ = services.hub_settings(booking.equipment.hub)
    return render(request, "equipment/usage.html", {"booking": booking, "form": form,
                                                    "settings": settings_})  # fmt: skip


def _hub_for_desk(request, hub_id: int) -> Hub:
    hub = get_object_or_404(Hub, pk=hub_id)
    if not services.can_manage_equipment(request.user, hub):
        raise Http404
    return hub


@login_required
def hub_desk(request, hub_id: int):
    """The hub's equipment desk: approvals, staff slots, usage, training, invoices, figures."""
    hub = _hub_for_desk(request, hub_id)
    now = timezone.now()
    today = now.astimezone(TOKYO).date()
    fy = today.year if today.month >= 4 else today.year - 1
    bookings = Booking.objects.filter(equipment__hub=hub).select_related("equipment", "user")
    form = InvoiceRunForm(initial={"year": today.year, "month": today.month})
    return render(request, "equipment/hub_desk.html", {
        "hub": hub, "fy": fy,
        "pending": bookings.filter(status=BookingStatus.REQUESTED).order_by("start")[:50],
        "unstaffed": bookings.filter(status=BookingStatus.CONFIRMED, start__gt=now,
                                     mode__in=["assisted", "commissioned"], staff_slots__isnull=True)
        .order_by("start")[:50],
        "to_close": bookings.filter(status=BookingStatus.CONFIRMED, end__lt=now,
                                    usage__isnull=True).order_by("-end")[:50],
        "stats": selectors.hub_usage_stats(hub, fy),
        "machines": _machine_rows(hub, fy),
        "trained": selectors.trained_engineers(hub)[:30],
        "invoices": Invoice.objects.filter(hub=hub).select_related("organisation")[:50],
        "invoice_form": form,
    })  # fmt: skip


def _machine_rows(hub: Hub, fy: int) -> list[dict]:
    from kyoten.core.fiscal import fiscal_year_end, fiscal_year_start
    from kyoten.equipment.models import Equipment

    machines = list(Equipment.objects.filter(hub=hub).order_by("id"))
    per = selectors.equipment_usage_stats(
        machines, first=fiscal_year_start(fy), last=min(fiscal_year_end(fy),
                                                        timezone.now().astimezone(TOKYO).date())
    )  # fmt: skip
    return [{"e": m, **per[m.pk]} for m in machines]


@login_required
@require_POST
def hub_booking_action(request, hub_id: int, pk: int, action: str):
    hub = _hub_for_desk(request, hub_id)
    booking = get_object_or_404(Booking, pk=pk, equipment__hub=hub)
    try:
        if action == "approve":
            services.booking_decide(booking=booking, by=request.user, approve=True)
        elif action == "reject":
            services.booking_decide(booking=booking, by=request.user, approve=False)
        elif action == "staff":
            services.booking_assign_staff(booking=booking, staff=request.user, by=request.user)
        elif action == "no_show":
            services.booking_mark_no_show(booking=booking, by=request.user)
        else:
            raise Http404
        messages.success(request, _("Done."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("equipment:hub_desk", hub_id=hub.pk)


@login_required
@require_POST
def hub_invoices_run(request, hub_id: int):
    hub = _hub_for_desk(request, hub_id)
    form = InvoiceRunForm(request.POST)
    if form.is_valid():
        issued = services.invoices_issue(hub=hub, by=request.user, **form.cleaned_data)
        messages.success(request, _("%(n)d invoices issued.") % {"n": len(issued)})
    else:
        messages.error(request, _("Give a year and a month."))
    return redirect("equipment:hub_desk", hub_id=hub.pk)


@login_required
def invoice_download(request, pk: int, fmt: str):
    invoice = get_object_or_404(selectors.invoices_visible_to(request.user), pk=pk)
    charges = list(selectors.charges_for_invoice(invoice))
    if fmt == "csv":
        response = HttpResponse(
            documents.invoice_csv(invoice, charges), content_type="text/csv; charset=utf-8"
        )
    else:
        note = services.hub_settings(invoice.hub).grant_number
        response = HttpResponse(documents.invoice_pdf(invoice, charges, issuer_note=note),
                                content_type="application/pdf")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.{fmt}"'
    return response


def ical_machine(request, pk: int):
    try:
        equipment = selectors.get_equipment_for(request.user, pk)
    except DomainError:
        raise Http404 from None
    since = timezone.now() - dt.timedelta(days=30)
    bookings = list(Booking.objects.filter(equipment=equipment, status__in=ACTIVE_STATUSES,
                                           end__gt=since).select_related("equipment__hub"))  # fmt: skip
    body = documents.ical_feed(equipment.name, bookings, private=False)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def ical_user(request, key: str):
    feed = get_object_or_404(CalendarFeed, key=key)
    since = timezone.now() - dt.timedelta(days=90)
    bookings = list(Booking.objects.filter(user_id=feed.user_id, status__in=ACTIVE_STATUSES,
                                           end__gt=since).select_related("equipment__hub"))  # fmt: skip
    body = documents.ical_feed(_("My equipment bookings"), bookings, private=True)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
def training(request):
    sessions = (
        TrainingSession.objects.filter(start__gt=timezone.now())
        .select_related("course", "course__hub", "course__equipment")
        .order_by("start")[:100]
    )
    if request.method == "POST":
        session = get_object_or_404(TrainingSession, pk=request.POST.get("session"))
        try:
            services.session_register(session=session, user=request.user)
            messages.success(request, _("Registered."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("equipment:training")
    return render(request, "equipment/training.html", {
        "sessions": sessions, "certificates": selectors.certificates_of(request.user),
    })  # fmt: skip
