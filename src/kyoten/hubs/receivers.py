"""Hubs follow the allocation: when a decision adopts proposals, each gets its hub.

The allocation app sits to the left of hubs and never imports it. If it offers a signal
`kyoten.allocation.signals.awards_adopted`, sent as
`awards_adopted.send(sender=..., awards=[(proposal, award_yen), ...], by=officer)`,
the hubs app creates (or updates the award of) each proposal's hub in the same transaction.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any


def on_awards_adopted(sender: Any, *, awards, by, **kwargs) -> None:
    from kyoten.hubs.services import hub_create_from_proposal  # at use: start-up stays light

    for proposal, award_yen in awards:
        hub_create_from_proposal(proposal=proposal, award_yen=award_yen, by=by)


def connect() -> bool:
    """Connect to the allocation's signal when it exists; True when connected."""
    if importlib.util.find_spec("kyoten.allocation.signals") is None:
        return False
    signals = importlib.import_module("kyoten.allocation.signals")
    signal = getattr(signals, "awards_adopted", None)
    if signal is None:
        return False
    signal.connect(on_awards_adopted, dispatch_uid="hubs-from-adopted-awards", weak=False)
    return True
