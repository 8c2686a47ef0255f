"""The package is laid out by pipeline stage, and each stage uses only the stages below it:
cli → pipeline → render → i18n → inputs → core. A newcomer can tell from the folder where a change goes."""

import ast
import subprocess

from tests.support import ROOT

STAGES = ["core", "inputs", "i18n", "render", "pipeline"]  # each may import only the ones before it


def package_imports() -> dict[str, set[str]]:
    """For every module of the package, the leafletpress modules it imports."""
    found = {}
    for path in (ROOT / "leafletpress").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("leafletpress"):
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names if alias.name.startswith("leafletpress"))
        found[module] = names
    return found


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else None


def test_each_stage_imports_only_the_stages_below_it():
    upward = []
    for module, imports in package_imports().items():
        stage = stage_of(module)
        if stage is None:
            continue
        allowed = set(STAGES[: STAGES.index(stage) + 1])
        upward += [f"{module} imports {name}" for name in imports if stage_of(name) and stage_of(name) not in allowed]
        upward += [f"{module} imports {name}" for name in imports if name in ("leafletpress.cli", "leafletpress.report")]
    assert upward == []


def test_no_source_file_of_the_package_is_ignored_by_git():
    """A file git ignores is missing from every clone (a folder named build/ once was)."""
    files = [str(path.relative_to(ROOT)) for path in (ROOT / "leafletpress").rglob("*.py")]
    ignored = subprocess.run(["git", "check-ignore", *files], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert ignored == []
