import subprocess
import sys

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_program_pdf_and_excel(hub, tmp_path):
    call_command("monitoring-report", "--fiscal-year", "2013", "--out", str(tmp_path / "a.pdf"))
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF-")
    call_command("monitoring-report", "--fiscal-year", "2013", "--hub", str(hub.pk),
                 "--out", str(tmp_path / "h.pdf"))  # fmt: skip
    assert (tmp_path / "h.pdf").read_bytes().startswith(b"%PDF-")
    call_command("monitoring-report", "--excel", "--out", str(tmp_path / "k.xlsx"))
    assert (tmp_path / "k.xlsx").read_bytes()[:2] == b"PK"


def test_bad_input_exits_2_with_one_line_per_problem(tmp_path):
    # A real process: exit status and stderr as a shell sees them (no database needed).
    result = subprocess.run(
        [sys.executable, "-m", "kyoten", "monitoring-report", "--fiscal-year", "abc",
         "--out", str(tmp_path / "no" / "x.pdf")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "--fiscal-year: must be a fiscal year such as 2025, not 'abc'",
        f"--out: the directory {tmp_path / 'no'} does not exist",
    ]


def test_unknown_hub(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("monitoring-report", "--fiscal-year", "2013", "--hub", "999999",
                     "--out", str(tmp_path / "x.pdf"))  # fmt: skip
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines() == ["--hub: no hub with id '999999'"]
