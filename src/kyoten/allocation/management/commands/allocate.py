"""`kyoten allocate FILE.json`: optimal allocation of a budget among scored proposals.

Thin: read the file, check it (``inputs.parse_problem``), solve (``solver.allocate``), print JSON.
Bad input: exit status 2, one line per problem on stderr naming the field.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from kyoten.allocation.inputs import InputErrors, load_file, parse_problem
from kyoten.allocation.solver import SolverError, allocate, quiet_stdout


class Command(BaseCommand):
    help = "Optimal allocation of a budget among scored proposals (SPEC §4); JSON to stdout."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="allocation input as JSON (- for standard input)")
        parser.add_argument(
            "--indent", type=int, default=2, help="indentation of the JSON output (default 2)"
        )

    def handle(self, *args, **options):
        try:
            problem = parse_problem(load_file(options["file"]))
        except InputErrors as exc:
            for line in exc.errors:
                self.stderr.write(line, style_func=lambda s: s)
            sys.exit(2)
        try:
            with quiet_stdout():
                answer = allocate(problem)
        except SolverError as exc:
            self.stderr.write(f"solver: {exc}", style_func=lambda s: s)
            sys.exit(1)
        indent = options["indent"] if options["indent"] > 0 else None
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=indent))
