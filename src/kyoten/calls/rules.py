"""Permission predicates of the calls app (the `rules` package)."""

from __future__ import annotations

import rules

from kyoten.core.rules import is_officer

# Officers set up programs and calls and move calls through their statuses.
can_manage_calls = is_officer

rules.add_perm("calls.manage_call", can_manage_calls)
