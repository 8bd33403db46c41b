"""Demo equipment: several hundred machines across the demo hubs, trained users, months of use.

The first hub (Fukuoka) starts with an X線回折装置 on which the demo user `sme` holds a valid
certificate; the first machines of that hub have no future demo bookings, so a visitor (or a
script) always finds their slots free.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from kyoten.core.enums import Role
from kyoten.core.fiscal import fiscal_year
from kyoten.core.models import Organisation, User
from kyoten.equipment import services, totals
from kyoten.equipment.catalogue import HOURS, TYPES, fees_from_base
from kyoten.equipment.enums import (
    MODES_FOR_ACCESS,
    Access,
    AttendanceStatus,
    BookingStatus,
    ChargeKind,
    EquipmentStatus,
    Mode,
)
from kyoten.equipment.fees import compute_fee, percent_of, user_class_for
from kyoten.equipment.models import (
    Attendance,
    Booking,
    BookingQuota,
    Certificate,
    Charge,
    Course,
    Equipment,
    EquipmentFee,
    HubEquipmentSettings,
    StaffAssignment,
    TrainingSession,
    UsageReport,
    WaitlistEntry,
)
from kyoten.equipment.slots import TOKYO
from kyoten.hubs.models import Hub

IN_SERVICE_STAGES = {"operating", "handover", "completion"}
PAST_DAYS = 90
FUTURE_DAYS = 28
QUIET_MACHINES = 10  # the first hub's first machines get no future demo bookings
ROOMS = ["1F 共用機器室", "2F 分析室", "2F 電子顕微鏡室", "3F クリーンルーム", "1F 試作工房",
         "B1F NMR室", "3F 計測室", "1F 材料試験室"]  # fmt: skip


def load(rng: random.Random) -> None:
    hubs = list(
        Hub.objects.order_by("id").prefetch_related(
            "prefectures", "host_organisations", "operators"
        )
    )
    if not hubs:
        return
    now = timezone.now().astimezone(TOKYO).replace(second=0, microsecond=0)
    today = now.date()
    served = [h for i, h in enumerate(hubs) if i == 0 or h.stage in IN_SERVICE_STAGES]

    settings_rows = {
        h.pk: HubEquipmentSettings(
            hub=h,
            out_of_area_multiplier_pct=rng.choice([120, 150, 150, 200]),
            neighbours_exempt=rng.random() < 0.3,
            staff_hourly_yen=rng.choice([1700, 2000, 2500, 3000]),
            late_cancel_hours=rng.choice([24, 48]),
            late_cancel_fee_pct=50,
            no_show_fee_pct=100,
            grant_number=f"JST-RIC-{2009 + i % 3}-{i + 1:03d}",
        )
        for i, h in enumerate(hubs)
    }
    HubEquipmentSettings.objects.bulk_create(settings_rows.values())

    machines = _machines(rng, served, today)
    users, certified = _people_and_training(rng, hubs, served, machines, now)
    _bookings(rng, hubs, machines, users, certified, settings_rows, now)
    # Invoices: every past month for the first hub, last month for the others.
    for index, hub in enumerate(served):
        for months_back in range(1, 5 if index == 0 else 2):
            first = (today.replace(day=1) - dt.timedelta(days=28 * months_back)).replace(day=1)
            services.invoices_issue(hub=hub, year=first.year, month=first.month, by=None)


def _machines(rng: random.Random, served: list[Hub], today: dt.date) -> list[Equipment]:
    rows: list[tuple[Equipment, dict]] = []
    for index, hub in enumerate(served):
        picks = [TYPES[0]] + rng.sample(TYPES[1:], rng.randint(18, 25))
        if rng.random() < 0.6:
            picks += rng.sample(picks[:8], 2)  # second units of popular machines
        seen: dict[str, int] = defaultdict(int)
        for n, kind in enumerate(picks):
            seen[kind.name] += 1
            maker, model = rng.choice(kind.makers)
            quiet = index == 0 and n < QUIET_MACHINES
            status = EquipmentStatus.AVAILABLE
            if not quiet:
                roll = rng.random()
                status = (
                    EquipmentStatus.MAINTENANCE if roll < 0.04
                    else EquipmentStatus.RETIRED if roll < 0.05 else EquipmentStatus.AVAILABLE
                )  # fmt: skip
            name = kind.name if seen[kind.name] == 1 else f"{kind.name} {seen[kind.name]}号機"
            machine = Equipment(
                hub=hub, name=name, name_en=kind.name_en, category=kind.category, maker=maker,
                model_name=model, specs=kind.specs, location=rng.choice(ROOMS), status=status,
                access=kind.access, requires_approval=kind.approval,
                slot_minutes=30, min_booking_minutes=30,
                max_booking_minutes=24 * 60 if kind.hours == "always" else 8 * 60,
                lead_time_minutes=60 if not kind.approval else 24 * 60,
                acquired_fy=rng.randint(2010, 2012),
                created_at=timezone.now() - dt.timedelta(days=400),
                **HOURS[kind.hours], **dict(kind.parts),
            )  # fmt: skip
            # hub-specific price level (±20 %), kept in round hundreds of yen
            level = rng.choice([0.8, 0.9, 1.0, 1.0, 1.1, 1.2])
            machine.search_text = services.equipment_search_text(machine)
            rows.append(
                (machine, fees_from_base(max(100, round(kind.base * level, -2)), kind.access))
            )
    machines = Equipment.objects.bulk_create([m for m, _ in rows])
    EquipmentFee.objects.bulk_create(
        EquipmentFee(equipment=m, user_class=c, mode=mode, hourly_yen=y)
        for m, (_, fees) in zip(machines, rows, strict=True)
        for (c, mode), y in fees.items()
    )
    for m, (_, fees) in zip(machines, rows, strict=True):
        m._rates = fees
    services.equipment_index(equipment=machines, text_saved=True)
    return machines


def _people_and_training(rng, hubs, served, machines, now):
    """Demo equipment users in the hubs' prefectures, courses, sessions and certificates."""
    template = User.objects.filter(username="sme").first()
    password = template.password if template else "!"
    codes = sorted({h.lead_prefecture_id for h in hubs})
    orgs = list(
        Organisation.objects.filter(
            prefecture_id__in=codes, kind__in=["company", "university", "research_institute"]
        ).order_by("id")
    )
    new_users = []
    for i, org in enumerate(orgs):
        for j in range(2 if org.kind == "company" else 1):
            new_users.append(
                User(
                    username=f"user-{org.prefecture_id}-{i:02d}{j}",
                    role=Role.EQUIPMENT_USER,
                    display_name=f"{org.name} {rng.choice(['佐藤', '鈴木', '高橋', '田中', '渡辺'])} "
                    f"{rng.choice(['健', '彩', '誠', '愛', '翔', '恵'])}",
                    organisation=org,
                    prefecture_id=org.prefecture_id,
                    email=f"user-{org.prefecture_id}-{i:02d}{j}@example.jp",
                    password=password,
                )
            )
    User.objects.bulk_create(new_users)
    users = list(
        User.objects.filter(role=Role.EQUIPMENT_USER).select_related("organisation").order_by("id")
    )
    sme = next((u for u in users if u.username == "sme"), None)
    by_pref: dict[str, list[User]] = defaultdict(list)
    for u in users:
        if u.organisation and u.organisation.prefecture_id:
            by_pref[u.organisation.prefecture_id].append(u)

    courses = []
    for m in machines:
        if m.access == Access.TRAINED:
            courses.append(Course(hub=m.hub, title=f"{m.name} 利用講習", equipment=m, hours=3,
                                  validity_months=24, description="装置の原理、操作、安全教育"))  # fmt: skip
    courses = Course.objects.bulk_create(courses)
    sessions, attendances, certificates = [], [], []
    certified: dict[int, list[User]] = defaultdict(list)
    for course in courses:
        local = [u for code in _hub_codes(course.hub) for u in by_pref.get(code, [])]
        pool = list({u.pk: u for u in local + rng.sample(users, min(6, len(users)))}.values())
        for k in range(-4, 2):  # four past sessions, two coming
            day = (now + dt.timedelta(days=45 * k + rng.randint(0, 10))).date()
            start = dt.datetime.combine(day, dt.time(13, 30), tzinfo=TOKYO)
            if start.isoweekday() > 5:
                start += dt.timedelta(days=8 - start.isoweekday())
            session = TrainingSession(course=course, start=start, end=start + dt.timedelta(hours=3),
                                      capacity=6)  # fmt: skip
            sessions.append(session)
            attendees = rng.sample(pool, min(len(pool), rng.randint(2, 5)))
            for u in attendees:
                past = start < now
                attended = past and rng.random() < 0.9
                status = (AttendanceStatus.ATTENDED if attended
                          else AttendanceStatus.ABSENT if past else AttendanceStatus.REGISTERED)  # fmt: skip
                attendances.append((session, u, status))
                if attended and u.pk not in {c.pk for c in certified[course.equipment_id]}:
                    issued = start.date()
                    certificates.append(Certificate(
                        user=u, hub=course.hub, course=course, equipment_id=course.equipment_id,
                        organisation=u.organisation, issued_on=issued,
                        expires_on=issued + dt.timedelta(days=730),
                    ))  # fmt: skip
                    certified[course.equipment_id].append(u)
    TrainingSession.objects.bulk_create(sessions)
    Attendance.objects.bulk_create(
        Attendance(session=s, user=u, status=st) for s, u, st in attendances
    )
    # The demo login `sme` is trained on the first hub's X線回折装置 (valid for two years).
    first_xrd = machines[0]
    if sme is not None and sme not in certified[first_xrd.pk]:
        course = next(c for c in courses if c.equipment_id == first_xrd.pk)
        issued = (now - dt.timedelta(days=120)).date()
        certificates.append(Certificate(
            user=sme, hub=first_xrd.hub, course=course, equipment=first_xrd,
            organisation=sme.organisation, issued_on=issued,
            expires_on=issued + dt.timedelta(days=730),
        ))  # fmt: skip
        certified[first_xrd.pk].append(sme)
    Certificate.objects.bulk_create(certificates)
    return users, certified


def _hub_codes(hub: Hub) -> set[str]:
    return {p.code for p in hub.prefectures.all()} | {hub.lead_prefecture_id}


def _bookings(rng, hubs, machines, users, certified, settings_rows, now) -> None:
    hub_facts = {
        h.pk: (_hub_codes(h), {o.pk for o in h.host_organisations.all()},
               {u.pk for u in h.operators.all()})
        for h in hubs
    }  # fmt: skip
    home: dict[int, Hub] = {}
    for h in hubs:
        for o in h.host_organisations.all():
            home.setdefault(o.pk, h)
    first_in_pref: dict[str, Hub] = {}
    for h in hubs:
        for code in sorted(hub_facts[h.pk][0]):
            first_in_pref.setdefault(code, h)
    quiet = {m.pk for m in machines[:QUIET_MACHINES]}
    rows: list[Booking] = []
    extras: list[tuple[Booking, int]] = []  # (booking, actual minutes) for completed ones
    base_paid: set[tuple[int, int, int]] = set()  # (user, machine, fiscal year) with a base fee
    start_day = now.date() - dt.timedelta(days=PAST_DAYS)
    for m in machines:
        if m.status == EquipmentStatus.RETIRED:
            continue
        popularity = rng.choice([0.05, 0.1, 0.15, 0.25])
        hours = m.opening_hours
        rates = m._rates
        prefs, hosts, operators = hub_facts[m.hub_id]
        s = settings_rows[m.hub_id]
        for offset in range(PAST_DAYS + FUTURE_DAYS):
            day = start_day + dt.timedelta(days=offset)
            window = hours.day_window(day)
            if window is None or rng.random() > popularity:
                continue
            if window[0] >= now and (m.pk in quiet or m.status != EquipmentStatus.AVAILABLE):
                continue
            cursor = window[0] + dt.timedelta(minutes=30 * rng.randint(0, 4))
            for _ in range(rng.randint(1, 2)):
                length = dt.timedelta(minutes=60 * rng.randint(1, 4))
                if cursor + length > window[1] or cursor + length - window[0] > dt.timedelta(
                    hours=16
                ):
                    break
                modes = MODES_FOR_ACCESS[m.access]
                trained = certified.get(m.pk) or []
                if Mode.SELF_USE in modes and trained and rng.random() < 0.7:
                    mode, user = Mode.SELF_USE, rng.choice(trained)
                else:
                    mode = rng.choice([x for x in modes if x != Mode.SELF_USE])
                    user = rng.choice(users)
                org = user.organisation
                in_house = user.pk in operators or (org is not None and org.pk in hosts)
                cls = user_class_for(organisation_kind=org.kind if org else None,
                                     is_sme=bool(org and org.is_sme), in_house=in_house)  # fmt: skip
                code = org.prefecture_id if org else user.prefecture_id
                out = bool(code) and code not in prefs
                minutes = int(length.total_seconds() // 60)
                # Samples and the non-publish choice from the time (the random stream, which
                # decides everything else, stays as it was before the fee parts).
                samples = 1 + cursor.day % 5 if m.per_sample_yen else 0
                private = m.private_pct > 100 and cursor.day % 4 == 0
                fee = compute_fee(rates=rates, user_class=cls, mode=mode, minutes=minutes,
                                  staff_hourly_yen=s.staff_hourly_yen, out_of_area=out,
                                  out_of_area_multiplier_pct=s.out_of_area_multiplier_pct,
                                  samples=samples, private=private,
                                  **services.fee_parts(m))  # fmt: skip
                end = cursor + length
                if end <= now:
                    roll = rng.random()
                    status = (BookingStatus.NO_SHOW if roll < 0.03 else BookingStatus.CANCELLED
                              if roll < 0.1 else BookingStatus.COMPLETED)  # fmt: skip
                elif cursor < now:
                    status = BookingStatus.CONFIRMED
                else:
                    status = (BookingStatus.REQUESTED if m.requires_approval and rng.random() < 0.5
                              else BookingStatus.CONFIRMED)  # fmt: skip
                base = 0
                if m.base_fee_yen and status not in (
                    BookingStatus.CANCELLED,
                    BookingStatus.NO_SHOW,
                ):
                    year = (user.pk, m.pk, fiscal_year(cursor.astimezone(TOKYO).date()))
                    if year not in base_paid:
                        base_paid.add(year)
                        base = m.base_fee_yen
                        fee = compute_fee(rates=rates, user_class=cls, mode=mode, minutes=minutes,
                                          staff_hourly_yen=s.staff_hourly_yen, out_of_area=out,
                                          out_of_area_multiplier_pct=s.out_of_area_multiplier_pct,
                                          samples=samples, private=private, base_fee_yen=base,
                                          **services.fee_parts(m))  # fmt: skip
                booking = Booking(
                    equipment=m, user=user, organisation=org, start=cursor, end=end,
                    minutes=minutes, mode=mode, user_class=cls, status=status,
                    samples=samples, private=private, base_fee_yen=base,
                    staff_count=fee.staff_count, estimated_fee_yen=fee.total_yen, out_of_area=out,
                    purpose=rng.choice(["新素材の評価", "試作品の検査", "共同研究の測定",
                                        "品質管理", "学会発表用データ取得", ""]),
                    created_at=cursor - dt.timedelta(days=rng.randint(1, 20)),
                    cancelled_at=(cursor - dt.timedelta(days=2)) if status == "cancelled" else None,
                )  # fmt: skip
                booking._billing = home.get(org.pk) if org else None
                if booking._billing is None and code:
                    booking._billing = first_in_pref.get(code)
                rows.append(booking)
                if status in (BookingStatus.COMPLETED, BookingStatus.NO_SHOW):
                    actual = minutes - (rng.choice([0, 0, 0, 15, 30]) if minutes > 60 else 0)
                    extras.append((booking, actual))
                cursor = end + dt.timedelta(minutes=30 * rng.randint(0, 3))
    created = Booking.objects.bulk_create(rows, batch_size=2000)
    totals.recompute_all()  # the bulk insert sent no signals
    billing = {id(b): b._billing for b in rows}
    reports, charges = [], []
    for booking, actual in extras:
        m = booking.equipment
        s = settings_rows[m.hub_id]
        bill = billing.get(id(booking)) or m.hub
        common = {"booking": booking, "hub_id": m.hub_id, "billing_hub": bill,
                  "organisation": booking.organisation, "user": booking.user,
                  "user_class": booking.user_class, "mode": booking.mode,
                  "occurred_on": booking.start.astimezone(TOKYO).date()}  # fmt: skip
        if booking.status == BookingStatus.NO_SHOW:
            charges.append(Charge(kind=ChargeKind.NO_SHOW,
                                  amount_yen=percent_of(booking.estimated_fee_yen, s.no_show_fee_pct),
                                  **common))  # fmt: skip
            continue
        fee = compute_fee(rates=m._rates, user_class=booking.user_class, mode=booking.mode,
                          minutes=actual, staff_hourly_yen=s.staff_hourly_yen,
                          staff_count=booking.staff_count, out_of_area=booking.out_of_area,
                          out_of_area_multiplier_pct=s.out_of_area_multiplier_pct,
                          samples=booking.samples, private=booking.private,
                          base_fee_yen=booking.base_fee_yen,
                          **services.fee_parts(m))  # fmt: skip
        reports.append(UsageReport(
            booking=booking, actual_start=booking.start,
            actual_end=booking.start + dt.timedelta(minutes=actual), minutes=actual,
            will_acknowledge=True, reported_by=booking.user, reported_at=booking.end,
        ))  # fmt: skip
        charges.append(Charge(kind=ChargeKind.USAGE, hours=fee.hours, hourly_yen=fee.hourly_yen,
                              staff_yen=fee.staff_yen, multiplier_pct=fee.multiplier_pct,
                              amount_yen=fee.total_yen, **common))  # fmt: skip
    UsageReport.objects.bulk_create(reports, batch_size=2000)
    Charge.objects.bulk_create(charges, batch_size=2000)

    # Staff slots for the first hub's coming assisted bookings, a waiting list and quotas.
    first_hub = hubs[0]
    staff = list(first_hub.operators.all())
    if staff:
        StaffAssignment.objects.bulk_create(
            StaffAssignment(booking=b, staff=staff[0], start=b.start, end=b.end)
            for b in created
            if b.equipment.hub_id == first_hub.pk and b.mode != Mode.SELF_USE and b.start > now
            and b.status == BookingStatus.CONFIRMED
        )  # fmt: skip
    coming = [b for b in created if b.start > now and b.status == BookingStatus.CONFIRMED]
    WaitlistEntry.objects.bulk_create(
        WaitlistEntry(equipment=b.equipment, user=rng.choice(users), start=b.start, end=b.end)
        for b in rng.sample(coming, min(20, len(coming)))
    )
    BookingQuota.objects.bulk_create(
        BookingQuota(equipment=m, organisation=None, hours_per_month=40)
        for m in machines[QUIET_MACHINES:]
        if m.access == Access.ASSISTED and rng.random() < 0.3
    )
