"""`kyoten validate`: check proposal files against the rules of a program (SPEC §4).

`validate_files` does the work so that tests and other tools can call it without a process;
the management command only parses arguments and exits with its status.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from kyoten.calls.program import DEFAULT_PROGRAM, ProgramSettings
from kyoten.proposals.document import Problem, load_document
from kyoten.proposals.eligibility import check_documents, has_errors

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def read_file(path: str) -> tuple[dict | None, list[Problem]]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, [Problem("", f"cannot be read ({exc.strerror or exc})")]
    doc, problems = load_document(data)
    return (None if problems else doc), problems


def validate_files(
    paths: list[str],
    *,
    fmt: str = "text",
    stdout: TextIO,
    stderr: TextIO,
    settings: ProgramSettings = DEFAULT_PROGRAM,
) -> int:
    """Print findings (stdout) and bad input (stderr); return the exit status 0, 1 or 2."""
    docs: list[tuple[str, dict]] = []
    bad_input = False
    for path in paths:
        doc, problems = read_file(path)
        for problem in problems:
            bad_input = True
            where = f"{problem.field}: " if problem.field else ""
            stderr.write(f"{path}: {where}{problem.message}\n")
        if doc is not None:
            docs.append((path, doc))
    results = check_documents(docs, settings)
    rows = [
        {
            "file": path,
            "rule": f.rule,
            "field": f.field,
            "message": f.message_en,
            "severity": f.severity,
        }
        for (path, _), findings in zip(docs, results, strict=True)
        for f in findings
    ]
    if fmt == "json":
        stdout.write(json.dumps({"findings": rows}, ensure_ascii=False, indent=2) + "\n")
    else:
        for row in rows:
            warning = "warning: " if row["severity"] == "warning" else ""
            field = f"{row['field']}: " if row["field"] else ""
            stdout.write(f"{row['file']}: {row['rule']}: {warning}{field}{row['message']}\n")
    if bad_input:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if any(has_errors(f) for f in results) else EXIT_OK
