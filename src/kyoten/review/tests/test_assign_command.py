"""`kyoten assign FILE.json`: the command's output and its bad-input answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

SPEC_EXAMPLE = {
    "reviewers_per_proposal": 1,
    "max_load": 6,
    "proposals": [
        {
            "id": "P01",
            "prefectures": ["01"],
            "organizations": ["北海道大学"],
            "keywords": ["材料", "医療"],
        }
    ],
    "reviewers": [
        {
            "id": "R01",
            "prefecture": "04",
            "organizations": ["東北大学"],
            "keywords": ["材料"],
            "conflicts": ["P05"],
        }
    ],
}


def run(tmp_path: Path, data) -> tuple[int, str, str]:
    path = tmp_path / "in.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("assign", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_spec_example(tmp_path):
    code, out, err = run(tmp_path, SPEC_EXAMPLE)
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "status": "optimal",
        "assignments": [{"proposal": "P01", "reviewers": ["R01"]}],
        "affinity": 0.5,
        "reason": "",
    }


def test_infeasible_is_an_answer_with_exit_zero(tmp_path):
    code, out, err = run(tmp_path, {**SPEC_EXAMPLE, "reviewers_per_proposal": 2})
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "status": "infeasible",
        "assignments": [],
        "affinity": 0.0,
        "reason": "P01 has only 1 conflict-free reviewer but needs 2",
    }


@pytest.mark.parametrize(
    ("change", "lines"),
    [
        ({"reviewers_per_proposal": 0}, ["reviewers_per_proposal: must be at least 1, not 0"]),
        (
            {"reviewers_per_proposal": 2.0},
            ["reviewers_per_proposal: must be an integer, not a number with a fraction"],
        ),
        ({"max_load": -1}, ["max_load: must be 0 or more, not -1"]),
        ({"max_load": True}, ["max_load: must be an integer, not a boolean"]),
        ({"max_load": None}, ["max_load: must be an integer, not null"]),
        ({"proposals": {}}, ["proposals: must be a list, not an object"]),
        (
            {
                "reviewers": [
                    {**SPEC_EXAMPLE["reviewers"][0], "prefecture": "99"},
                    {"id": "R01", "keywords": "材料"},
                    {"prefecture": 4},
                ]
            },
            [
                'reviewers[0].prefecture: unknown prefecture code "99"',
                'reviewers[1].id: duplicate id "R01" (also reviewers[0])',
                "reviewers[1].keywords: must be a list of strings, not a string",
                "reviewers[2].id: missing",
                'reviewers[2].prefecture: must be a prefecture code as a string (e.g. "13"), '
                "not an integer",
            ],
        ),
        (
            {"proposals": [{"id": "P01", "prefectures": ["48"], "organizations": [1]}, "P02"]},
            [
                'proposals[0].prefectures[0]: unknown prefecture code "48"',
                "proposals[0].organizations[0]: must be a string, not an integer",
                "proposals[1]: must be an object, not a string",
            ],
        ),
        ({"pinned": [["P01", "R09"]]}, ['pinned[0][1]: unknown reviewer "R09"']),
    ],
)
def test_bad_input_exit_2_one_line_per_problem(tmp_path, change, lines):
    code, out, err = run(tmp_path, {**SPEC_EXAMPLE, **change})
    assert (code, out) == (2, "")
    assert err.splitlines() == lines


def test_missing_fields(tmp_path):
    code, out, err = run(tmp_path, {})
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "reviewers_per_proposal: missing",
        "max_load: missing",
        "proposals: missing",
        "reviewers: missing",
    ]


def test_not_json(tmp_path):
    code, out, err = run(tmp_path, "{nope")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{tmp_path / 'in.json'}: not valid JSON (line 1 column 2: "
        "Expecting property name enclosed in double quotes)"
    ]


def test_no_such_file(tmp_path):
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("assign", str(tmp_path / "absent.json"), stdout=out, stderr=err)
    assert exc.value.code == 2
    assert err.getvalue().splitlines() == [f"{tmp_path / 'absent.json'}: no such file"]


def test_console_stdout_is_pure_json_without_solver_chatter(tmp_path):
    """HiGHS prints a banner on fd 1; the real process must keep stdout parseable."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps(SPEC_EXAMPLE), encoding="utf-8")
    src = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-m", "kyoten", "assign", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert json.loads(proc.stdout)["affinity"] == 0.5
    assert "HiGHS" not in proc.stdout


def test_standard_input(monkeypatch):
    import io

    class FakeStdin:
        buffer = io.BytesIO(json.dumps(SPEC_EXAMPLE).encode())

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    out = StringIO()
    call_command("assign", "-", "--indent", "0", stdout=out)
    assert out.getvalue() == (
        '{"status": "optimal", "assignments": [{"proposal": "P01", "reviewers": ["R01"]}], '
        '"affinity": 0.5, "reason": ""}\n'
    )
