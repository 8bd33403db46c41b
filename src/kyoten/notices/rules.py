import rules

from kyoten.core.rules import is_officer

rules.add_perm("notices.view_outbox", is_officer)
