"""registry/choices.py is the one place for every enumeration: value and label together, and no enumeration
value written as a string literal anywhere else in the package."""

import ast
import inspect
from pathlib import Path

import registry.choices as choices
from registry.choices import Labelled

PACKAGE = Path(choices.__file__).resolve().parent
# Files that may spell values out: the enumerations themselves, the standalone verifier (standard library
# only, by design), migrations (frozen history) and the catalogs.
EXEMPT = {"choices.py", "ledger/verifier.py"}
# TOTALS field names are also the keys of the TOTALS shape and of a duty's `burdens`: they are field names.
FIELD_NAME_ENUMS = {choices.TotalsField}


def enumerations() -> list[type[Labelled]]:
    return [v for v in vars(choices).values() if inspect.isclass(v) and issubclass(v, Labelled) and v is not Labelled]


def test_every_member_has_a_label_of_its_own():
    for enumeration in enumerations():
        for member in enumeration:
            assert member.label and member.label != member.value, f"{enumeration.__name__}.{member.name}"
        assert len({m.label for m in enumeration}) == len(enumeration), enumeration.__name__


def names_not_values(tree: ast.AST) -> set[int]:
    """ids of string constants used as names of things rather than as values: dict keys, subscripts, `.get()`
    keys, `getattr` names, field paths of FieldProblem, column keys, handler names, form field names."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            skip.update(id(k) for k in node.keys if k is not None)
        elif isinstance(node, ast.Subscript):
            skip.add(id(node.slice))
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) \
                and all(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) \
                and not isinstance(node.comparators[0], (ast.Tuple, ast.List, ast.Set)):
            skip.add(id(node.left))  # `"code" in body`: a key of a mapping
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("get", "getattr", "pop", "setdefault", "FieldProblem", "hasattr") and node.args:
                skip.add(id(node.args[-1] if name in ("getattr", "hasattr") else node.args[0]))
            skip.update(id(k.value) for k in node.keywords if k.arg in ("name", "path"))
            if name in ("option", "argument"):  # click parameter names
                skip.update(id(a) for a in node.args)
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets) \
                and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))  # a named constant of another vocabulary (e.g. a protocol's value)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("FIELDS")
                                                  for t in node.targets):
            skip.update(id(c) for c in ast.walk(node.value) if isinstance(c, ast.Constant))  # form field names
        elif isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name) \
                and node.target.id in ("name", "field"):
            skip.update(id(c) for c in ast.walk(node.iter) if isinstance(c, ast.Constant))  # loops over field names
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("COLUMNS")
                                                  for t in node.targets):
            for element in ast.walk(node.value):
                if isinstance(element, ast.Tuple) and element.elts:
                    skip.add(id(element.elts[0]))
    return skip


def test_no_enumeration_value_is_written_as_a_literal():
    values = {m.value: e.__name__ for e in enumerations() if e not in FIELD_NAME_ENUMS for m in e}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in EXEMPT or relative.startswith(("migrations/", "locale/")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = names_not_values(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in values \
                    and id(node) not in skip:
                found.append(f"{relative}:{node.lineno} {node.value!r} (use {values[node.value]})")
    assert not found, "enumeration values written as literals:\n" + "\n".join(found)


def test_the_scan_finds_a_literal():
    """The scan above can fail: a comparison with a bare value is found."""
    tree = ast.parse('if state == "approved":\n    pass\nx = {"approved": 1}\n')
    skip = names_not_values(tree)
    literals = [n for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and n.value == "approved" and id(n) not in skip]
    assert len(literals) == 1 and literals[0].lineno == 1
