"""Pages: network-wide search, a machine with its calendar, my bookings, a hub's desk, feeds."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten.core.errors import DomainError, Forbidden
from kyoten.core.forms import show_domain_error
from kyoten.core.money import format_yen
from kyoten.core.paging import page_of
from kyoten.equipment import documents, selectors, services
from kyoten.equipment import photos as photo_types
from kyoten.equipment.dates import format_span
from kyoten.equipment.enums import (
    ACTIVE_STATUSES,
    MODES_FOR_ACCESS,
    AttendanceStatus,
    BookingStatus,
    ChargeKind,
)
from kyoten.equipment.forms import (
    BookingForm,
    CourseForm,
    EquipmentForm,
    HubSettingsForm,
    InvoiceRunForm,
    PhotoForm,
    SearchForm,
    SessionForm,
    TrainingFilterForm,
    UsageForm,
)
from kyoten.equipment.models import (
    Attendance,
    Booking,
    CalendarFeed,
    Certificate,
    Charge,
    Equipment,
    Invoice,
    TrainingSession,
)
from kyoten.equipment.rules import can_book
from kyoten.equipment.slots import TOKYO, SlotError, parse_instant
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
        "can_book": request.user.is_authenticated and can_book(request.user),
    }  # fmt: skip


def detail(request, pk: int):
    try:
        equipment = selectors.get_equipment_for(request.user, pk)
    except DomainError:
        raise Http404 from None
    modes = MODES_FOR_ACCESS[equipment.access]
    form = BookingForm(modes=modes, equipment=equipment,
                       initial={"repeat_weeks": 1, **_prefill(request)})  # fmt: skip
    waitlist = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/login/?next={request.path}")
        form = BookingForm(request.POST, modes=modes, equipment=equipment)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["repeat_weeks"] > 1:
                    made = services.booking_create_series(
                        equipment=equipment, user=request.user, start=data["start"],
                        end=data["end"], count=data["repeat_weeks"], mode=data["mode"],
                        purpose=data["purpose"], **form.fee_choices(),
                    )  # fmt: skip
                else:
                    made = [services.booking_create(
                        equipment=equipment, user=request.user, start=data["start"],
                        end=data["end"], mode=data["mode"], purpose=data["purpose"],
                        **form.fee_choices(),
                    )]  # fmt: skip
                messages.success(request, _booked_message(made))
                return redirect("equipment:my_bookings")
            except DomainError as exc:
                if exc.status == 409:
                    waitlist = {"start": data["start"].isoformat(), "end": data["end"].isoformat()}
                # (add_error removes the field from cleaned_data: read it first)
                show_domain_error(form, exc)
    return _render_detail(request, equipment, form=form, modes=modes, waitlist=waitlist)


def _booked_message(made: list[Booking]) -> str:
    """Booked: X線回折装置, 2026年12月8日(火) 10:00–11:00 (and how many times, for a series)."""
    first = made[0]
    when = format_span(first.start, first.end)
    if len(made) > 1:
        return _("Booked: %(machine)s, %(when)s and weekly after it (%(n)d times in all).") % {
            "machine": first.equipment.name,
            "when": when,
            "n": len(made),
        }
    if first.status == BookingStatus.REQUESTED:
        return _("Requested: %(machine)s, %(when)s; the hub will confirm it.") % {
            "machine": first.equipment.name,
            "when": when,
        }
    return _("Booked: %(machine)s, %(when)s.") % {"machine": first.equipment.name, "when": when}


def _cancelled_message(booking: Booking) -> str:
    """Cancelled: …, with the late-cancellation fee when one is charged."""
    fee = sum(
        Charge.objects.filter(booking=booking, kind=ChargeKind.LATE_CANCELLATION).values_list(
            "amount_yen", flat=True
        )
    )
    values = {
        "machine": booking.equipment.name,
        "when": format_span(booking.start, booking.end),
        "fee": format_yen(fee),
    }
    if fee:
        return _("Cancelled: %(machine)s, %(when)s. A cancellation fee of %(fee)s is charged.") % (
            values
        )
    return _("Cancelled: %(machine)s, %(when)s. Nothing is charged.") % values


def _prefill(request) -> dict:
    """start/end of a calendar cell's link (?start=…&end=…) as the booking form's initial
    values; anything unreadable is ignored (the form then starts empty)."""
    out = {}
    for name in ("start", "end"):
        value = request.GET.get(name, "")
        if not value:
            continue
        try:
            when = parse_instant(value[:40], field=name)
        except (SlotError, OverflowError, ValueError):
            continue
        out[name] = when.astimezone(TOKYO).strftime("%Y-%m-%dT%H:%M")
    return out


def _render_detail(request, equipment, *, form, modes, waitlist=None, photo_form=None, status=200):
    context = _calendar_context(request, equipment)
    slot = selectors.next_free_slots([equipment]).get(equipment.pk)
    certificate = (
        services.valid_certificate(request.user, equipment, timezone.now().astimezone(TOKYO).date())
        if request.user.is_authenticated
        else None
    )
    context.update({
        "form": form, "fees_explained": selectors.fee_estimates_per_mode(request.user, equipment),
        "fee_parts": selectors.fee_parts_of(equipment),
        "slot": slot,
        "certificate": certificate, "modes": modes, "waitlist": waitlist,
        "can_manage": services.can_manage_equipment(request.user, equipment.hub),
        "can_book": can_book(request.user),
        "sessions": selectors.training_sessions(equipment=equipment)[:5],
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
            show_domain_error(form, exc)
    modes = MODES_FOR_ACCESS[equipment.access]
    booking_form = BookingForm(modes=modes, equipment=equipment, initial={"repeat_weeks": 1})
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
        .order_by("-start", "-pk")
    )
    feed, _created = CalendarFeed.objects.get_or_create(user=request.user)
    return render(request, "equipment/my_bookings.html", {
        "bookings": page_of(request, bookings), "now": timezone.now(), "feed": feed,
        "certificates": selectors.certificates_of(request.user),
        "today": timezone.now().astimezone(TOKYO).date(),
    })  # fmt: skip


@login_required
def booking_page(request, pk: int):
    """A booking: its fee explained, what cancelling now costs, what a cancellation charged."""
    try:
        booking = selectors.get_booking_for(request.user, pk)
    except DomainError:
        raise Http404 from None
    return render(request, "equipment/booking.html", {
        "booking": booking, "fee": selectors.booking_fee(booking),
    })  # fmt: skip


@login_required
@require_POST
def booking_cancel(request, pk: int):
    """Cancel after confirming on the booking's page (which shows the fee that applies)."""
    try:
        booking = selectors.get_booking_for(request.user, pk)
    except DomainError:
        raise Http404 from None
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Confirm the cancellation first."))
        return redirect("equipment:booking", pk=booking.pk)
    try:
        cancelled = services.booking_cancel(
            booking=booking, by=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _cancelled_message(cancelled))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_next_or(request, reverse("equipment:booking", args=[booking.pk])))


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
            show_domain_error(form, exc)
    settings_ = services.hub_settings(booking.equipment.hub)
    return render(request, "equipment/usage.html", {"booking": booking, "form": form,
                                                    "settings": settings_})  # fmt: skip


def _hub_for_desk(request, hub_id: int) -> Hub:
    hub = get_object_or_404(Hub, pk=hub_id)
    if not services.can_manage_equipment(request.user, hub):
        raise Http404
    return hub


@login_required
def hub_bookings_export(request, hub_id: int, fmt: str):
    """A hub's bookings as CSV or Excel: for its operators and the program's readers (R-15)."""
    from kyoten.core.exports import export_response
    from kyoten.equipment.exports import bookings_sheet
    from kyoten.hubs.rules import can_view_hub_internals

    hub = get_object_or_404(Hub, pk=hub_id)
    if not can_view_hub_internals(request.user, hub):
        raise PermissionDenied(_("the hub's operators and the program's readers only"))
    return export_response(fmt=fmt, sheets=[bookings_sheet(hub)], filename=f"hub-{hub.pk}-bookings")


@login_required
def hub_desk(request, hub_id: int):
    """The hub's equipment desk: approvals, staff slots, usage, training, invoices, figures."""
    hub = _hub_for_desk(request, hub_id)
    now = timezone.now()
    today = now.astimezone(TOKYO).date()
    fy = today.year if today.month >= 4 else today.year - 1
    bookings = Booking.objects.filter(equipment__hub=hub).select_related("equipment", "user")
    form = InvoiceRunForm(initial={"year": today.year, "month": today.month})
    page = page_of(request, Equipment.objects.filter(hub=hub).order_by("id"))
    return render(request, "equipment/hub_desk.html", {
        "hub": hub, "fy": fy, "page": page,
        "pending": bookings.filter(status=BookingStatus.REQUESTED).order_by("start")[:50],
        "unstaffed": bookings.filter(status=BookingStatus.CONFIRMED, start__gt=now,
                                     mode__in=["assisted", "commissioned"], staff_slots__isnull=True)
        .order_by("start")[:50],
        "to_close": bookings.filter(status=BookingStatus.CONFIRMED, end__lt=now,
                                    usage__isnull=True).order_by("-end")[:50],
        "stats": selectors.hub_usage_stats(hub, fy),
        "machines": _machine_rows(hub, fy, page),
        "trained": selectors.trained_engineers(hub)[:30],
        "invoices": Invoice.objects.filter(hub=hub).select_related("organisation")[:50],
        "invoice_form": form,
    })  # fmt: skip


def _machine_rows(hub: Hub, fy: int, page) -> list[dict]:
    """The desk's figures of the machines on one page of the hub's machines."""
    from kyoten.core.fiscal import fiscal_year_end, fiscal_year_start

    machines = list(page)
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
    charges = list(selectors.charges_for_invoice(invoice, request.user))
    if not selectors.sees_whole_invoice(request.user, invoice):
        # Their own lines, and the total of those: never what colleagues used.
        invoice.total_yen = sum(c.amount_yen for c in charges)
    hub_settings = services.hub_settings(invoice.hub)
    number = hub_settings.invoice_registration_number
    if fmt == "csv":
        response = HttpResponse(
            documents.invoice_csv(invoice, charges, registration_number=number),
            content_type="text/csv; charset=utf-8",
        )
    elif fmt == "pdf":
        note = hub_settings.grant_number
        response = HttpResponse(
            documents.invoice_pdf(invoice, charges, issuer_note=note, registration_number=number),
            content_type="application/pdf",
        )
    else:
        raise Http404
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


def _next_or(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def training(request):
    """Coming training sessions, filtered by machine, hub, prefecture and dates; 20 a page."""
    form = TrainingFilterForm(request.GET or None, hubs=selectors.hubs_with_training())
    data = form.cleaned_data if form.is_valid() else {}
    machine = None
    if data.get("equipment"):
        try:
            machine = selectors.get_equipment_for(request.user, data["equipment"])
        except DomainError:
            raise Http404 from None
    sessions = selectors.training_sessions(
        equipment=machine, hub=int(data["hub"]) if data.get("hub") else None,
        prefecture=data.get("prefecture") or None, date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )  # fmt: skip
    page = Paginator(sessions, 20).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    mine = selectors.my_attendance_by_session(request.user, [s.pk for s in rows])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "equipment/training.html", {
        "form": form, "page": page, "sessions": rows, "mine": mine, "machine": machine,
        "query": query.urlencode(),
    })  # fmt: skip


@login_required
@require_POST
def session_register(request, pk: int):
    session = get_object_or_404(TrainingSession, pk=pk)
    try:
        attendance = services.session_register(session=session, user=request.user)
        if attendance.status == AttendanceStatus.WAITLISTED:
            messages.success(
                request,
                _(
                    "The session is full: you are on its waiting list. We will tell you "
                    "if a seat comes free."
                ),  # fmt: skip
            )
        else:
            messages.success(request, _("Registered."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_next_or(request, reverse("equipment:my_training")))


@login_required
@require_POST
def session_unregister(request, pk: int):
    session = get_object_or_404(TrainingSession, pk=pk)
    try:
        services.session_unregister(session=session, user=request.user)
        messages.success(request, _("Your registration is withdrawn."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_next_or(request, reverse("equipment:my_training")))


@login_required
def my_training(request):
    """My registrations, waiting-list places and certificates."""
    now = timezone.now()
    rows = list(selectors.registrations_of(request.user)[:200])
    return render(request, "equipment/my_training.html", {
        "coming": [a for a in rows if a.session.start > now],
        "past": [a for a in rows if a.session.start <= now],
        "certificates": selectors.certificates_of(request.user),
        "today": now.astimezone(TOKYO).date(),
    })  # fmt: skip


# --- the hub's training desk -------------------------------------------------------------------


@login_required
def hub_training(request, hub_id: int):
    """The hub's courses and sessions, with forms to add both."""
    hub = _hub_for_desk(request, hub_id)
    return _render_hub_training(request, hub)


def _render_hub_training(request, hub, *, course_form=None, session_form=None, status=200):
    courses = list(selectors.hub_courses(hub))
    page = Paginator(selectors.hub_sessions(hub), 20).get_page(request.GET.get("page"))
    return render(request, "equipment/hub_training.html", {
        "hub": hub, "courses": courses, "page": page,
        "course_form": course_form or CourseForm(machines=_hub_machines(hub)),
        "session_form": session_form or SessionForm(
            courses=courses, instructors=hub.operators.order_by("pk"),
            initial={"instructor": str(request.user.pk)}),
    }, status=status)  # fmt: skip


def _hub_machines(hub):
    return selectors.equipment_visible_to(None).filter(hub=hub).order_by("name", "id")


@login_required
@require_POST
def hub_course_create(request, hub_id: int):
    hub = _hub_for_desk(request, hub_id)
    form = CourseForm(request.POST, machines=_hub_machines(hub))
    if form.is_valid():
        data = form.cleaned_data
        machine = _hub_machines(hub).filter(pk=data["equipment"]).first() if data["equipment"] \
            else None  # fmt: skip
        try:
            services.course_create(
                hub=hub, by=request.user, title=data["title"], equipment=machine,
                category=data["category"], hours=data["hours"],
                validity_months=data["validity_months"], description=data["description"],
            )  # fmt: skip
            messages.success(request, _("Course added."))
            return redirect("equipment:hub_training", hub_id=hub.pk)
        except DomainError as exc:
            show_domain_error(form, exc)
    return _render_hub_training(request, hub, course_form=form, status=400)


@login_required
@require_POST
def hub_session_create(request, hub_id: int):
    hub = _hub_for_desk(request, hub_id)
    courses = list(selectors.hub_courses(hub))
    instructors = list(hub.operators.order_by("pk"))
    form = SessionForm(request.POST, courses=courses, instructors=instructors)
    if form.is_valid():
        data = form.cleaned_data
        course = next(c for c in courses if str(c.pk) == data["course"])
        instructor = next((u for u in instructors if str(u.pk) == data["instructor"]), None)
        try:
            session = services.session_create(
                course=course, by=request.user, start=data["start"], end=data["end"],
                capacity=data["capacity"], place=data["place"], instructor=instructor,
            )  # fmt: skip
            messages.success(request, _("Session added."))
            return redirect("equipment:hub_session", hub_id=hub.pk, pk=session.pk)
        except DomainError as exc:
            show_domain_error(form, exc)
    return _render_hub_training(request, hub, session_form=form, status=400)


@login_required
def hub_session(request, hub_id: int, pk: int):
    """A session's roster: who registered, who waits; attendance once it has started."""
    hub = _hub_for_desk(request, hub_id)
    try:
        session = selectors.get_session_for_desk(request.user, hub, pk)
    except DomainError:
        raise Http404 from None
    roster = list(selectors.session_roster(session))
    certified = set(
        Certificate.objects.filter(session=session, revoked=False).values_list("user_id", flat=True)
    )
    return render(request, "equipment/hub_session.html", {
        "hub": hub, "session": session, "roster": roster, "certified": certified,
        "started": session.start <= timezone.now(),
    })  # fmt: skip


@login_required
@require_POST
def hub_attendance_record(request, hub_id: int, pk: int):
    hub = _hub_for_desk(request, hub_id)
    try:
        session = selectors.get_session_for_desk(request.user, hub, pk)
    except DomainError:
        raise Http404 from None
    attendance = get_object_or_404(Attendance, session=session, user_id=request.POST.get("user"))
    attended = request.POST.get("attended") == "1"
    try:
        services.attendance_record(
            session=session, user=attendance.user, attended=attended, by=request.user
        )
        if attended:
            messages.success(
                request,
                _("%(name)s passed; the certificate is issued.") % {"name": attendance.user},
            )
        else:
            messages.success(request, _("%(name)s is recorded absent.") % {"name": attendance.user})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("equipment:hub_session", hub_id=hub.pk, pk=session.pk)


# --- the operator desk: machines and the hub's rules ---------------------------------------------


def _form_error(form, exc: DomainError) -> None:
    show_domain_error(form, exc, aliases=EquipmentForm.SERVICE_FIELDS)


@login_required
def hub_machine_new(request, hub_id: int):
    """Add a machine to the hub (its operators, officers)."""
    hub = _hub_for_desk(request, hub_id)
    form = EquipmentForm(request.POST or None, initial={"open_weekdays": list("12345")})
    if request.method == "POST" and form.is_valid():
        try:
            machine = services.equipment_create(
                hub=hub, by=request.user, fees=form.fees(), **form.machine_fields()
            )
            messages.success(request, _("Machine added."))
            return redirect("equipment:detail", pk=machine.pk)
        except DomainError as exc:
            _form_error(form, exc)
    status = 400 if request.method == "POST" else 200
    return render(request, "equipment/machine_form.html", {"hub": hub, "form": form,
                                                           "machine": None}, status=status)  # fmt: skip


def _machine_for_desk(request, pk: int):
    try:
        return selectors.get_equipment_for(request.user, pk, write=True)
    except DomainError:
        raise Http404 from None


@login_required
def machine_edit(request, pk: int):
    """Change a machine: description, who may use it how, opening hours, rules and fees."""
    machine = _machine_for_desk(request, pk)
    form = EquipmentForm(request.POST or None, initial=EquipmentForm.initial_for(machine))
    if request.method == "POST" and form.is_valid():
        try:
            services.equipment_update(
                equipment=machine, by=request.user, fees=form.fees(), clear=form.cleared(),
                **form.machine_fields(),
            )  # fmt: skip
            messages.success(request, _("Saved."))
            return redirect("equipment:detail", pk=machine.pk)
        except DomainError as exc:
            _form_error(form, exc)
    status = 400 if request.method == "POST" else 200
    return render(request, "equipment/machine_form.html", {"hub": machine.hub, "form": form,
                                                           "machine": machine}, status=status)  # fmt: skip


@login_required
@require_POST
def machine_status(request, pk: int):
    """Put a machine into maintenance, back into service, or retire it."""
    machine = _machine_for_desk(request, pk)
    try:
        services.equipment_set_status(
            equipment=machine, status=request.POST.get("status", ""), by=request.user
        )
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": machine.name,
                                          "status": machine.get_status_display()},
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_next_or(request, reverse("equipment:hub_desk", args=[machine.hub_id])))


@login_required
def hub_settings(request, hub_id: int):
    """The hub's billing rules: out-of-area multiplier, staff surcharge, cancellation fees."""
    hub = _hub_for_desk(request, hub_id)
    current = services.hub_settings(hub)
    initial = {f: getattr(current, f) for f in HubSettingsForm().fields}
    form = HubSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.hub_settings_update(hub=hub, by=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("equipment:hub_desk", hub_id=hub.pk)
        except DomainError as exc:
            show_domain_error(form, exc)
    status = 400 if request.method == "POST" else 200
    return render(request, "equipment/hub_settings.html", {"hub": hub, "form": form},
                  status=status)  # fmt: skip


@login_required
def invoices(request):
    """The invoices the person may read: their own lines, or the organisation's as its billing
    contact, the hub's as its operator."""
    page = Paginator(selectors.invoices_listed_for(request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "equipment/invoices.html", {"page": page, "query": ""})


def _last_month() -> tuple[int, int]:
    today = timezone.now().astimezone(TOKYO).date()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


@login_required
def settlement(request):
    """The monthly settlement between hubs: who pays whom for users of another hub's
    programme. Officers see every hub and close a month; hub operators see their hubs' rows."""
    if not selectors.may_read_settlement(request.user):
        raise PermissionDenied
    year, month = _last_month()
    year = request.GET.get("year") or year
    month = request.GET.get("month") or month
    try:
        s = selectors.settlement_month(year, month, user=request.user)
    except DomainError as exc:
        messages.error(request, f"{exc.field}: {exc.message}")
        s = selectors.settlement_month(*_last_month(), user=request.user)
    from kyoten.core.rules import is_officer
    from kyoten.equipment.models import SettlementClose

    today = timezone.now().astimezone(TOKYO).date()
    over = (s["year"], s["month"]) < (today.year, today.month)
    return render(request, "equipment/settlement.html", {
        "s": s, "may_close": is_officer(request.user) and over and not s["closed"],
        "closed_months": SettlementClose.objects.order_by("-year", "-month")[:24],
    })  # fmt: skip


@login_required
@require_POST
def settlement_close(request):
    """The officer closes a month (after a confirming tick): figures fixed, each hub told."""
    from kyoten.core.rules import is_officer

    if not is_officer(request.user):
        raise PermissionDenied
    year, month = request.POST.get("year", ""), request.POST.get("month", "")
    target = reverse("equipment:settlement") + f"?year={year}&month={month}"
    if request.POST.get("confirm") != "1":
        messages.error(request, _("confirm: tick the box to close the month."))
        return redirect(target)
    try:
        services.settlement_close(year=year, month=month, by=request.user)
    except DomainError as exc:
        messages.error(request, f"{exc.field}: {exc.message}")
        return redirect(target)
    messages.success(
        request,
        _("The settlement of %(year)s/%(month)s is closed; each hub is told.")
        % {"year": year, "month": month},
    )
    return redirect(target)
