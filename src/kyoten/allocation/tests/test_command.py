"""`kyoten allocate FILE.json`: JSON on stdout, exit 2 and one line per problem on stderr."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

SRC = Path(__file__).resolve().parents[3]

EXAMPLE = {
    "budget_yen": 69_500_000_000,
    "cap_yen": 3_000_000_000,
    "min_score": 60,
    "proposals": [
        {
            "id": "P13",
            "prefectures": ["13"],
            "score": 82.5,
            "options": [
                {"label": "full", "amount_yen": 2_800_000_000, "value": 82.5},
                {"label": "reduced", "amount_yen": 1_900_000_000, "value": 70.0},
            ],
        },
        {"id": "P01", "prefectures": ["01"], "score": 75.0, "requested_yen": 1_500_000_000},
    ],
    "max_per_block": {"kanto": 4},
}


def allocate(path: Path) -> tuple[int, dict | str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("allocate", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, json.loads(out.getvalue()), err.getvalue()


def test_prints_the_allocation(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    code, answer, err = allocate(path)
    assert (code, err) == (0, "")
    assert answer["awards"] == [
        {"id": "P13", "option": "full", "amount_yen": 2_800_000_000},
        {"id": "P01", "option": "full", "amount_yen": 1_500_000_000},
    ]
    assert answer["status"] == "optimal"


def test_bad_input_exits_2_with_one_line_per_problem(tmp_path):
    doc = json.loads(json.dumps(EXAMPLE))
    doc["proposals"][0]["options"][0]["amount_yen"] = 2.8e9
    doc["proposals"][1]["id"] = "P13"
    del doc["budget_yen"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert allocate(path) == (
        2,
        "",
        "budget_yen: required (an integer number of yen)\n"
        "proposals[0].options[0].amount_yen: must be a positive integer number of yen\n"
        "proposals[1].id: duplicate id 'P13' (also proposals[0].id)\n",
    )


def test_not_json_and_missing_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{budget_yen: 1}", encoding="utf-8")
    assert allocate(path) == (
        2,
        "",
        f"{path}: not valid JSON (line 1 column 2: Expecting property name enclosed in"
        " double quotes)\n",
    )
    missing = tmp_path / "nope.json"
    assert allocate(missing) == (
        2,
        "",
        f"{missing}: cannot read the file (No such file or directory)\n",
    )


@pytest.mark.parametrize(
    ("doc", "stderr"),
    [
        (
            EXAMPLE | {"budget_yen": 1.0},
            "budget_yen: must be a non-negative integer number of yen\n",
        ),
        (
            EXAMPLE | {"max_per_block": {"kanto": 4, "Kanto": 1}},
            "max_per_block.Kanto: unknown regional block (one of hokkaido, tohoku, kanto, chubu, kinki, chugoku, shikoku, kyushu)\n",
        ),
    ],
)
def test_more_bad_input(tmp_path, doc, stderr):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert allocate(path) == (2, "", stderr)


def test_stdout_of_the_real_command_is_pure_json(tmp_path):
    # HiGHS prints a banner on file descriptor 1 when it starts; the command must hide it.
    path = tmp_path / "in.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    env = os.environ | {
        "PYTHONPATH": str(SRC),
        "KYOTEN_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
    }
    done = subprocess.run(
        [sys.executable, "-m", "kyoten", "allocate", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    answer = json.loads(done.stdout)
    assert answer["objective"] == 157.5
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(EXAMPLE | {"budget_yen": -5}), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kyoten", "allocate", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "budget_yen: must be a non-negative integer number of yen\n",
    )
