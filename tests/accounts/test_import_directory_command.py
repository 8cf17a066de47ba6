"""`manage.py import_directory` for a nightly job: the summary on stdout, every
refused row with its line on stderr, and the exit code a scheduler reads —
0 imported (or a clean dry run), 1 refused rows (nothing written), 2 a file
that cannot be read. And the sample files `seed_demo` points at import
cleanly into the demo's organisation."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from demo.org import password_hash, people_ensure, positions_ensure, structure_ensure
from helpdesk.accounts.models import Department, User
from tests.accounts.import_helpers import csv_bytes

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "demo" / "import_samples"


def exit_code(capsys, *args: str) -> tuple[int, str, str]:
    """Run the command; (exit code, stdout, stderr) as manage.py gives them: it
    prints a CommandError on stderr and exits with its returncode. (Not through
    run_from_argv itself, which closes the test's database connection.)"""
    code, failure = 0, ""
    try:
        call_command("import_directory", *args)
    except CommandError as error:
        code, failure = error.returncode, f"CommandError: {error}\n"
    out, err = capsys.readouterr()
    return code, out, err + failure


def test_a_clean_file_imports_with_exit_code_0(org, tmp_path, capsys):
    path = tmp_path / "departments.csv"
    path.write_bytes(csv_bytes([["code", "name", "division"], ["PLAN", "경영기획부", "PROD"]], encoding="cp949"))

    code, out, err = exit_code(capsys, "--kind", "departments", "--file", str(path), "--dry-run")
    assert code == 0
    assert "departments.csv (CP949 (EUC-KR)): 1 new, 0 changed, 0 unchanged, 0 refused." in out
    assert "Dry run: nothing was written." in out
    assert not Department.objects.filter(code="PLAN").exists()

    code, out, err = exit_code(capsys, "--kind", "departments", "--file", str(path))
    assert code == 0 and "Imported." in out and err == ""
    assert Department.objects.get(code="PLAN").name == "경영기획부"


def test_refused_rows_exit_1_name_their_lines_and_write_nothing(org, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(
        csv_bytes(
            [["username", "last_name", "first_name", "department"], ["good", "김", "민지", "QA"], ["bad", "이", "영희", "NOPE"]]
        )
    )
    code, out, err = exit_code(capsys, "--kind", "people", "--file", str(path))

    assert code == 1
    assert "line 3: department: No department has the code NOPE." in err
    assert "Nothing was imported" in err
    assert "1 new, 0 changed, 0 unchanged, 1 refused." in out
    assert not User.objects.filter(username="good").exists()


@pytest.mark.parametrize(
    ("content", "says"),
    [(None, "cannot be read"), ("café;naïve\n".encode("cp1252"), "characters cannot be read")],
    ids=["missing-file", "wrong-encoding"],
)
def test_a_file_that_cannot_be_read_exits_2(org, tmp_path, capsys, content, says):
    path = tmp_path / "assets.csv"
    if content is not None:
        path.write_bytes(content)
    code, out, err = exit_code(capsys, "--kind", "assets", "--file", str(path))

    assert code == 2
    assert says in err


def test_the_demo_sample_files_import_into_the_demo_organisation(db, capsys):
    positions = positions_ensure()
    _divisions, departments, teams = structure_ensure()
    people_ensure(departments=departments, teams=teams, positions=positions, hashed=password_hash())

    for kind, name in [("departments", "departments.csv"), ("positions", "positions.csv"),
                       ("people", "people-cp949.csv"), ("assets", "assets.xlsx")]:
        call_command("import_directory", kind=kind, file=SAMPLES / name)
        assert "0 refused" in capsys.readouterr().out

    assert User.objects.get(username="taewoo.namgung").display_name == "남궁태우"
    assert not User.objects.get(username="taewoo.namgung").is_active
    assert User.objects.get(username="customer").assets.filter(tag="NB-900001").exists()
