"""Demo: besides the FY2009 call of the data migration (the demo's main call, closed, whose
proposals are reviewed and allocated), an open call where applicants can try the workspace."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from kyoten.calls.models import Call, CallStatus
from kyoten.core.models import User

OPEN_CALL_CODE = "demo-open"


def load(rng: random.Random) -> None:
    main = Call.objects.filter(code="fy2009").select_related("program").first()
    officer = User.objects.filter(username="officer").first()
    if main is None or officer is None or Call.objects.filter(code=OPEN_CALL_CODE).exists():
        return
    now = timezone.now()
    # The same rules as the FY2009 call (designated cities as of 2009-07-31), open now, so that
    # an applicant can draft and submit in the demo.
    Call.objects.create(
        program=main.program,
        code=OPEN_CALL_CODE,
        title="地域産学官共同研究拠点整備事業 公募（デモ：受付中）",
        title_en="Regional joint research hubs: call open for the demo",
        opens_at=now - dt.timedelta(days=7),
        deadline=(now + dt.timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0),
        budget_yen=main.budget_yen,
        cap_yen=main.cap_yen,
        allowed_forms=list(main.allowed_forms),
        categories=[],
        designated_city_reference_date=main.designated_city_reference_date,
        review_criteria=[dict(c) for c in main.review_criteria],
        status=CallStatus.OPEN,
    )
