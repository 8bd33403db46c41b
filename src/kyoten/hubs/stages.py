"""One transition table for a hub's stage and the evidence each stage needs (issue 19 §5).

Used by the services (a move that lacks its evidence is refused, naming the field) and by the
officer's consistency check (`selectors.hub_contradictions`: records already contradicting
each other). Pure functions over a hub and its stages/assets; no writes.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kyoten.core.dates import format_day
from kyoten.core.fiscal import fiscal_year, fy_label
from kyoten.hubs.enums import HubForm, Stage

# The stages a hub goes through: equipment-only hubs build nothing (design of the equipment
# plan, procurement, delivery and handover, operation).
PATH = list(Stage.values)
EQUIPMENT_ONLY_PATH = [Stage.DESIGN, Stage.TENDER, Stage.HANDOVER, Stage.OPERATING]


def path_of(form: str) -> list[str]:
    return [str(s) for s in (EQUIPMENT_ONLY_PATH if form == HubForm.EQUIPMENT_ONLY else PATH)]


def allowed_moves(form: str, stage: str) -> list[str]:
    """The next stage of the path, and the one before it (a correction)."""
    path = path_of(form)
    if stage not in path:
        return path[:1]
    i = path.index(stage)
    return [s for s in (path[i + 1] if i + 1 < len(path) else None,
                        path[i - 1] if i > 0 else None) if s]  # fmt: skip


def _stage_row(stages, code):
    return next((s for s in stages if s.stage == code), None)


def handover_day(stages) -> dt.date | None:
    """The handover date: the actual end of the handover stage (else its actual start)."""
    row = _stage_row(stages, Stage.HANDOVER)
    if row is None:
        return None
    return row.actual_end or row.actual_start


def evidence_problems(
    *, form: str, stage: str, stages, asset_count: int, operation_start_fy: int | None,
    today: dt.date,
) -> list[tuple[str, str, str]]:  # fmt: skip
    """What a hub in `stage` lacks or contradicts: [(code, field, message)]."""
    out: list[tuple[str, str, str]] = []
    path = path_of(form)
    label = dict(Stage.choices)
    if stage in path:
        for earlier in path[: path.index(stage)]:
            row = _stage_row(stages, earlier)
            if row is None or row.actual_start is None:
                out.append((
                    "stage_dates_missing", f"stages.{earlier}.actual_start",
                    _("the hub is in %(stage)s but %(earlier)s has no actual start date")
                    % {"stage": label[stage], "earlier": label[earlier]},
                ))  # fmt: skip
    if stage == Stage.OPERATING:
        day = handover_day(stages)
        if day is None:
            out.append((
                "handover_missing", "stages.handover.actual_end",
                _("the hub is operating without a handover date"),
            ))  # fmt: skip
        if asset_count == 0:
            out.append((
                "assets_missing", "assets",
                _("the hub is operating without any asset in the register"),
            ))  # fmt: skip
        if operation_start_fy is None:
            out.append((
                "operation_start_missing", "operation_start_fy",
                _("the hub is operating without an operation start year"),
            ))  # fmt: skip
        elif day is not None and operation_start_fy < fiscal_year(day):
            out.append((
                "operation_before_handover", "operation_start_fy",
                _("operation starts in %(start)s, before the handover on %(day)s")
                % {"start": fy_label(operation_start_fy), "day": format_day(day)},
            ))  # fmt: skip
    elif operation_start_fy is not None and operation_start_fy < fiscal_year(today):
        out.append((
            "operation_start_passed", "operation_start_fy",
            _("the hub is still in %(stage)s but its operation start (%(start)s) has passed: "
              "its targets count from then")
            % {"stage": label.get(stage, stage), "start": fy_label(operation_start_fy)},
        ))  # fmt: skip
    return out
