"""`kyoten validate` (SPEC §4): rule ids per fixture file, output formats, exit statuses."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kyoten.proposals.validation import validate_files

FIXTURES = Path(__file__).with_name("fixtures")


def run(*names: str, fmt: str = "text") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = validate_files([str(FIXTURES / n) for n in names], fmt=fmt, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def rules_of(*names: str) -> tuple[int, list[tuple[str, str, str]]]:
    status, out, err = run(*names, fmt="json")
    assert err == ""
    return status, [
        (Path(f["file"]).name, f["rule"], f["severity"]) for f in json.loads(out)["findings"]
    ]


@pytest.mark.parametrize(
    ("name", "status", "rules"),
    [
        ("valid.json", 0, []),
        ("r1_tokyo_kanagawa.json", 0, []),  # alone it is fine: R-1 needs another file
        ("r2_far_consortium.json", 0, [("R-2", "warning")]),
        ("r2_lead_not_listed.json", 1, [("R-2", "error")]),
        ("r3_no_industry.json", 1, [("R-3", "error"), ("R-3", "error")]),
        ("r3_representative_without_reason.json", 1, [("R-3", "error")]),
        ("r4_kawasaki_missing.json", 1, [("R-4", "error")]),
        ("r5_empty_section.json", 1, [("R-5", "error")]),
        ("r5_unknown_kpi.json", 1, [("R-5", "error")]),
        ("r6_short_funding_plan.json", 1, [("R-6", "error")]),
        ("r7_equipment_only_no_building.json", 1, [("R-7", "error")]),
        ("r8_over_cap.json", 1, [("R-8", "error")]),
        ("r9_jst_operating.json", 1, [("R-9", "error")]),
    ],
)
def test_each_fixture_gets_exactly_its_rules(name, status, rules):
    assert rules_of(name) == (status, [(name, rule, severity) for rule, severity in rules])


def test_r1_across_files():
    assert rules_of("valid.json", "r1_tokyo_kanagawa.json", "r8_over_cap.json") == (
        1,
        [
            ("valid.json", "R-1", "error"),
            ("r1_tokyo_kanagawa.json", "R-1", "error"),
            ("r8_over_cap.json", "R-1", "error"),
            ("r8_over_cap.json", "R-8", "error"),
        ],
    )


def test_text_format():
    status, out, err = run("r8_over_cap.json")
    assert (status, err) == (1, "")
    assert out.splitlines() == [
        f"{FIXTURES / 'r8_over_cap.json'}: R-8: requested_yen: the requested amount "
        "¥3,500,000,000 is over the cap of ¥3,000,000,000",
    ]
    status, out, err = run("r2_far_consortium.json")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"{FIXTURES / 'r2_far_consortium.json'}: R-2: warning: prefectures: the consortium "
        "(Kanagawa, Okinawa) is not made of neighbouring prefectures (connected by land borders "
        "or regional blocks); the officer must acknowledge it",
    ]


def test_json_format_fields():
    status, out, _ = run("r5_unknown_kpi.json", fmt="json")
    assert status == 1
    assert json.loads(out) == {
        "findings": [
            {
                "file": str(FIXTURES / "r5_unknown_kpi.json"),
                "rule": "R-5",
                "field": "goals[3].kpi",
                "message": "the goal's KPI 'smiles' is not in the program's KPI catalogue",
                "severity": "error",
            }
        ]
    }


def test_bad_input_exit_2_one_line_per_problem():
    status, out, err = run(
        "bad_float_yen.json", "bad_prefecture.json", "not_json.json", "valid.json"
    )
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert lines[:2] == [
        f"{FIXTURES / 'bad_float_yen.json'}: funding_plan[3].cost_yen.staff: "
        "must be a non-negative integer number of yen",
        f"{FIXTURES / 'bad_prefecture.json'}: prefectures[1]: unknown prefecture code '48' "
        "(JIS X 0401, 01 to 47)",
    ]
    assert lines[2].startswith(f"{FIXTURES / 'not_json.json'}: (document): is not valid JSON")
    assert len(lines) == 3


def test_missing_file():
    status, _, err = run("does_not_exist.json")
    assert status == 2
    assert err.startswith(f"{FIXTURES / 'does_not_exist.json'}: cannot be read")


def test_the_console_command(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])}
    env["KYOTEN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "kyoten", "validate", "--format", "json",
         str(FIXTURES / "r9_jst_operating.json")],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (1, "")
    assert [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["R-9"]
    bad = subprocess.run(
        [sys.executable, "-m", "kyoten", "validate", str(FIXTURES / "bad_float_yen.json")],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert (bad.returncode, bad.stdout) == (2, "")
    assert "Traceback" not in bad.stderr
