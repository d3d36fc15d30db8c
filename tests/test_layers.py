"""The layering the architecture promises: domain modules (models, schemas, services…) never import the web
layer; only `api.py`, `web.py`, `registry/web/` and `app.py` speak HTTP. The ledger imports no other area."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "registry"
AREAS = {"accounts", "admission", "burden", "catalog", "ledger", "regions"}


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_domain_modules_do_not_import_the_web_layer():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("web/") or path.name in ("api.py", "web.py") or relative in ("app.py", "cli.py"):
            continue
        offenders += [f"{relative} imports {name}" for name in imports(path) if name.startswith("registry.web")]
    assert not offenders, offenders


def test_the_ledger_imports_no_other_area():
    offenders = []
    for path in sorted((PACKAGE / "ledger").glob("*.py")):
        if path.name in ("api.py", "web.py"):
            continue
        for name in imports(path):
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "registry" and parts[1] in AREAS - {"ledger"}:
                offenders.append(f"ledger/{path.name} imports {name}")
    assert not offenders, offenders
