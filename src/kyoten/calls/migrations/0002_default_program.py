"""The default program of SPEC §3 (FY2009, ¥69.5 bn, cap ¥3 bn) and its first call."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

from kyoten.calls.program import DEFAULT_KPIS, DEFAULT_REVIEW_CRITERIA, FORMS, SECTIONS

TOKYO = ZoneInfo("Asia/Tokyo")
DEFAULT_PROGRAM_NAME = "地域産学官共同研究拠点整備事業（平成21年度補正予算）"


def criteria():
    return [dict(c) for c in DEFAULT_REVIEW_CRITERIA]


def create(apps, schema_editor):
    Program = apps.get_model("calls", "Program")
    Call = apps.get_model("calls", "Call")
    if Program.objects.filter(name=DEFAULT_PROGRAM_NAME).exists():
        return
    program = Program.objects.create(
        name=DEFAULT_PROGRAM_NAME,
        name_en="Regional industry-academia-government joint research hubs (FY2009 supplementary)",
        fiscal_year=2009,
        budget_yen=69_500_000_000,
        cap_yen=3_000_000_000,
        allowed_forms=list(FORMS),
        required_sections=list(SECTIONS),
        kpi_catalogue={k: list(v) for k, v in DEFAULT_KPIS.items()},
        horizon_years=10,
        near_goal_from=3,
        near_goal_to=5,
        review_criteria=criteria(),
    )
    Call.objects.create(
        program=program,
        code="fy2009",
        title="平成21年度 地域産学官共同研究拠点整備事業 公募",
        title_en="FY2009 call for regional joint research hubs",
        opens_at=dt.datetime(2009, 7, 31, 9, 0, tzinfo=TOKYO),
        deadline=dt.datetime(2009, 8, 20, 17, 0, tzinfo=TOKYO),
        budget_yen=69_500_000_000,
        cap_yen=3_000_000_000,
        allowed_forms=list(FORMS),
        categories=[],
        designated_city_reference_date=dt.date(2009, 7, 31),
        review_criteria=criteria(),
        status="closed",
        revision_round=0,
    )


def remove(apps, schema_editor):
    Program = apps.get_model("calls", "Program")
    Call = apps.get_model("calls", "Call")
    Call.objects.filter(code="fy2009").delete()
    Program.objects.filter(name=DEFAULT_PROGRAM_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("calls", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
