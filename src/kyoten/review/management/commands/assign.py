"""`kyoten assign FILE.json`: optimal reviewer assignment with conflicts of interest (SPEC §4).

Thin: read and check the file (`review.assign_inputs`), solve (`review.assignment.solve`),
print the JSON answer on stdout. Exit 0 with status "optimal" or "infeasible" (an infeasible
instance is an answer, not an error); exit 2 on bad input, one line per problem on stderr.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from kyoten.review.assign_inputs import InputError, load_problem
from kyoten.review.assignment import SolverError, quiet_stdout, solve


def _plain(text: str) -> str:
    return text


class Command(BaseCommand):
    help = (
        "Assign k conflict-free reviewers to every proposal within the load limit, "
        "maximising keyword affinity (SPEC §4); JSON to stdout."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="assignment input as JSON (- for standard input)")
        parser.add_argument(
            "--indent", type=int, default=2, help="indentation of the JSON output (0: one line)"
        )

    def handle(self, *args, file: str, indent: int, **options):
        try:
            problem = load_problem(file)
        except InputError as exc:
            for line in exc.problems:
                self.stderr.write(line, style_func=_plain)
            sys.exit(2)
        try:
            with quiet_stdout():
                result = solve(problem)
        except SolverError as exc:
            self.stderr.write(f"solver: {exc}", style_func=_plain)
            sys.exit(1)
        self.stdout.write(
            json.dumps(result.as_json(), ensure_ascii=False, indent=indent if indent > 0 else None)
        )
