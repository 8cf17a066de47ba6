"""The shape of the source tree, read with `ast`: nothing is imported, no Django.

1. Tests share fixtures through conftests and plain helpers through helper
   modules (tests/factories.py, tests/helpers/, a folder's helpers module):
   no file under tests/ imports a test module or a conftest, and no fixture's
   body is copied into a second file.
2. Within one app, two modules never share a file name (Django's conventional
   names aside), so "calls.py" or "staff.py" says which module it is.
3. No module imports another module's private name (`from x import _y`).

Each check first proves on a made-up source that it catches what it looks
for, so that a check that silently finds nothing cannot pass for a clean tree.
Where application code still breaks a rule, the check is marked xfail(strict)
with the list, and a second test holds the line: nothing new joins the list.
"""
from __future__ import annotations

import ast
import textwrap
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
# The import-linter's root packages (pyproject.toml): all the application code.
PACKAGES = ("helpdesk", "tickets", "standards", "desk", "visits", "charter", "conversations", "api", "demo", "bench")
# The apps whose module names must not repeat (helpdesk's three shared apps count one by one).
APPS = (
    "helpdesk/accounts", "helpdesk/core", "helpdesk/notifications", "tickets", "standards",
    "desk", "visits", "charter", "conversations", "api", "demo", "bench",
)
# Django's own conventions: one per package, wherever the package is.
CONVENTIONAL = {
    "__init__.py", "apps.py", "admin.py", "models.py", "urls.py", "views.py", "forms.py",
    "selectors.py", "services.py", "tasks.py",
}
SKIPPED_DIRS = {"__pycache__", "migrations", "node_modules", ".venv"}


# --- reading the tree -------------------------------------------------------------------------


def python_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts[:-1])
        if parts & SKIPPED_DIRS:
            continue
        if path.parent.name == "commands" and path.parent.parent.name == "management":
            continue
        yield path


def dotted(path: Path) -> str:
    """The module name of a file under ROOT (tests/charter/conftest.py -> tests.charter.conftest)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(source: str, module: str, *, is_package: bool = False) -> Iterator[tuple[int, str, str | None]]:
    """(line, module, name) for every import in `source`, function bodies included;
    relative imports resolved against `module`. `name` is None for `import x`."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".") if package else []
                parent = parent[: len(parent) - (node.level - 1)] if node.level > 1 else parent
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                yield node.lineno, base, alias.name


def module_path(name: str) -> Path | None:
    """The file a dotted module name is read from, if it is one of ours."""
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def is_test_or_conftest(path: Path) -> bool:
    return path.is_relative_to(TESTS) and (path.name.startswith("test_") or path.name == "conftest.py")


# --- 1. tests import helpers, never tests or conftests ------------------------------------------


def imported_tests(source: str, module: str) -> list[str]:
    """What `source` (the module `module` under tests/) imports that is a test module or a conftest."""
    found = []
    for line, name, item in imports(source, module):
        for candidate in ([name, f"{name}.{item}"] if item and item != "*" else [name]):
            path = module_path(candidate)
            if path is not None and is_test_or_conftest(path) and dotted(path) != module:
                found.append(f"{module}:{line} imports {dotted(path)}")
                break
    return found


def test_the_import_check_catches_a_test_module_and_a_conftest() -> None:
    source = textwrap.dedent(
        """
        from tests import test_architecture as architecture_tests
        from tests.test_architecture import ROOT
        from tests.conftest import org
        import tests.conftest
        from tests import factories
        from tests.helpers.clock import kst

        def later():
            from tests.test_architecture import python_files
        """
    )
    found = imported_tests(source, "tests.example.test_example")
    assert found == [
        "tests.example.test_example:2 imports tests.test_architecture",
        "tests.example.test_example:3 imports tests.test_architecture",
        "tests.example.test_example:4 imports tests.conftest",
        "tests.example.test_example:5 imports tests.conftest",
        "tests.example.test_example:10 imports tests.test_architecture",
    ]


def test_no_test_file_imports_a_test_module_or_a_conftest() -> None:
    """Fixtures reach tests through pytest; what tests call by name lives in
    tests/factories.py, tests/helpers/ or a folder's helpers module."""
    files = list(python_files(TESTS))
    assert len([p for p in files if p.name.startswith("test_")]) > 50  # the whole suite was read
    found = [
        entry
        for path in files
        for entry in imported_tests(path.read_text(encoding="utf-8"), dotted(path))
    ]
    assert found == []


def module_names(tree: ast.Module, module: str) -> dict[str, str]:
    """What each module-level name of a file stands for: where an imported name
    comes from, or the value a constant is given, so that `return NOW` in two
    files is the same body only if NOW is the same instant."""
    meaning: dict[str, str] = {}
    package = module.rpartition(".")[0]
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                meaning[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:  # import a.b as c: c is a.b
                    meaning[alias.asname] = alias.name
                else:  # import a.b: a is a
                    top = alias.name.partition(".")[0]
                    meaning[top] = top
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            meaning[node.targets[0].id] = ast.dump(node.value)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            meaning[node.name] = f"{module}.{node.name}"  # a module's own helper is its own
    return meaning


def fixtures(source: str, module: str = "example") -> Iterator[tuple[str, str]]:
    """(name, body) of every function decorated as a pytest fixture: the body
    without its docstring, as ast.dump prints it, each module-level name it
    uses replaced by what that name stands for in its file."""
    tree = ast.parse(source)
    meaning = module_names(tree, module)
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        if not any("fixture" in ast.dump(d) and "pytest" in ast.dump(d) for d in node.decorator_list):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        local = {arg.arg for arg in node.args.args}
        copy = ast.parse(ast.unparse(ast.Module(body=body, type_ignores=[])))
        for name in ast.walk(copy):
            if isinstance(name, ast.Name) and name.id not in local and name.id in meaning:
                name.id = meaning[name.id]
        yield node.name, ast.dump(copy)


def copied_fixtures(sources: dict[str, str]) -> dict[str, list[str]]:
    """{fixture name: [files]} for fixtures whose body appears in more than one file.
    `sources` maps each file's module name to its text."""
    bodies: dict[tuple[str, str], list[str]] = defaultdict(list)
    for where, source in sources.items():
        for name, body in fixtures(source, where):
            bodies[name, body].append(where)
    return {name: sorted(places) for (name, _body), places in bodies.items() if len(places) > 1}


def test_the_copy_check_catches_a_fixture_copied_into_two_conftests() -> None:
    body = textwrap.dedent(
        '''
        import pytest
        from tests.helpers.clock import NOW

        @pytest.fixture(autouse=True)
        def _no_broker(monkeypatch):
            """Nothing goes to a broker."""
            monkeypatch.setattr("x.delay", lambda pk: None)

        @pytest.fixture
        def frozen_at():
            return NOW
        '''
    )
    other = body.replace('"""Nothing goes to a broker."""', "# said differently")
    overriding = body.replace("lambda pk: None", "lambda pk: print(pk)")
    elsewhere = body.replace("from tests.helpers.clock import NOW", "NOW = kst(2026, 3, 10, 9)")
    found = copied_fixtures(
        {"a.conftest": body, "b.conftest": other, "c.conftest": overriding, "d.conftest": elsewhere}
    )
    assert found == {
        "_no_broker": ["a.conftest", "b.conftest", "d.conftest"],
        "frozen_at": ["a.conftest", "b.conftest", "c.conftest"],
    }


def test_no_fixture_body_is_copied() -> None:
    """A fixture many folders need is written once, in the root conftest (a
    folder may override a fixture by name, with a body of its own)."""
    sources = {dotted(p): p.read_text(encoding="utf-8") for p in python_files(TESTS)}
    assert copied_fixtures(sources) == {}


# --- 2. one file name, one module, within an app ------------------------------------------------


def name_collisions(files: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """{app: {file name: [paths]}} for names that appear more than once in an app.
    `files` maps each app to the paths of its modules, relative to ROOT."""
    found: dict[str, dict[str, list[str]]] = {}
    for app, paths in files.items():
        by_name: dict[str, list[str]] = defaultdict(list)
        for path in paths:
            name = Path(path).name
            if name not in CONVENTIONAL:
                by_name[name].append(path)
        repeated = {name: sorted(places) for name, places in by_name.items() if len(places) > 1}
        if repeated:
            found[app] = repeated
    return found


def app_modules() -> dict[str, list[str]]:
    return {app: [str(p.relative_to(ROOT)) for p in python_files(ROOT / app)] for app in APPS}


def test_the_name_check_catches_two_modules_of_one_name_and_ignores_conventions() -> None:
    found = name_collisions(
        {
            "desk": ["desk/calls.py", "desk/services/calls.py", "desk/views.py", "desk/dashboard/views.py"],
            "visits": ["visits/calls.py"],
        }
    )
    assert found == {"desk": {"calls.py": ["desk/calls.py", "desk/services/calls.py"]}}
    modules = app_modules()
    assert all(modules[app] for app in APPS)  # every app was read
    assert not any("/migrations/" in p or "/management/commands/" in p for paths in modules.values() for p in paths)


def test_no_two_modules_of_one_app_share_a_file_name() -> None:
    assert name_collisions(app_modules()) == {}


# --- 3. private names stay private --------------------------------------------------------------


def private_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """`from x import _y` in `source`: one leading underscore, not a dunder."""
    return [
        f"{module}:{line} from {name} import {item}"
        for line, name, item in imports(source, module, is_package=is_package)
        if item and item.startswith("_") and not item.startswith("__")
    ]


def private_imports_under(folders: list[Path]) -> list[str]:
    return [
        entry
        for folder in folders
        for path in python_files(folder)
        for entry in private_imports(path.read_text(encoding="utf-8"), dotted(path), is_package=path.name == "__init__.py")
    ]


def test_the_private_name_check_catches_a_private_import_and_spares_the_rest() -> None:
    source = textwrap.dedent(
        """
        from __future__ import annotations
        from django.utils.translation import gettext_lazy as _
        from .guards import _locked, visit_book
        from ..notifications.services import _enqueue

        def later():
            from tickets.lifecycle import _private_table
        """
    )
    assert private_imports(source, "visits.services.outcomes") == [
        "visits.services.outcomes:4 from visits.services.guards import _locked",
        "visits.services.outcomes:5 from visits.notifications.services import _enqueue",
        "visits.services.outcomes:8 from tickets.lifecycle import _private_table",
    ]
    assert private_imports("from . import _y", "visits.services", is_package=True) == [
        "visits.services:1 from visits.services import _y"
    ]


def test_no_test_imports_a_private_name() -> None:
    """A test that needs a private name tests through the public door instead,
    or the name is public."""
    assert private_imports_under([TESTS]) == []


def test_no_application_module_imports_a_private_name() -> None:
    assert private_imports_under([ROOT / package for package in PACKAGES]) == []
