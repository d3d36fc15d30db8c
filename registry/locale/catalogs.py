"""Maintain the message catalogs: `python -m registry.locale.catalogs` (what `make i18n` runs).

Extracts every msgid from registry/**.py and templates/**.html, updates zh_Hans and en .po files
(keeping existing translations), merges pending translations from translations/*.tsv
(`msgid<TAB>Chinese` lines), compiles .mo files, and reports msgids still untranslated.
`--check` changes nothing and exits 1 when a msgid lacks a Chinese translation or a .mo is stale.
"""

import sys
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent.parent
ROOT = PACKAGE.parent
LOCALE_DIR = PACKAGE / "locale"
PENDING_DIR = LOCALE_DIR / "translations"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
LOCALES = ("zh_Hans", "en")
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def extract() -> Catalog:
    template = Catalog(project="registry", charset="utf-8")
    sources = [
        (PACKAGE, [("**.py", "python")], {}),
        (ROOT / "templates", [("**.html", "jinja2"), ("**.svg", "jinja2"), ("**.xml", "jinja2")],
         {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True",
                    "silent": "false"},  # a template that does not parse fails the extraction
          "**.svg": {"extensions": "jinja2.ext.i18n"}, "**.xml": {"extensions": "jinja2.ext.i18n"}}),
    ]
    for directory, method_map, options in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(directory), method_map, options, keywords=KEYWORDS, strip_comment_tags=True
        ):
            if filename.startswith("locale") or not message:
                continue
            location = (str(Path(directory.name) / filename), lineno)
            template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def pending_translations() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(PENDING_DIR.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "\t" in line and not line.startswith("#"):
                msgid, _, text = line.partition("\t")
                if msgid.strip() and text.strip():
                    found[msgid] = text.strip()
    return found


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str) -> Catalog:
    path = po_path(locale)
    if path.is_file():
        with path.open("rb") as handle:
            return read_po(handle, locale=locale)
    return Catalog(locale=locale, project="registry", charset="utf-8")


def build(check: bool = False) -> int:
    template = extract()
    pending = pending_translations()
    missing: list[str] = []
    stale = False
    for locale in LOCALES:
        old = load(locale)
        # Fixed header dates: the compiled .mo then depends only on the messages, so --check can compare bytes.
        catalog = Catalog(locale=locale, project="registry", charset="utf-8", fuzzy=False,
                          creation_date=FIXED_DATE, revision_date=FIXED_DATE)
        for message in template:
            if not message.id:
                continue
            previous = old.get(message.id)
            text = previous.string if previous is not None and previous.string else ""
            if locale == "zh_Hans":
                text = text or pending.get(message.id, "")
                if not text:
                    missing.append(message.id if isinstance(message.id, str) else message.id[0])
            catalog.add(message.id, text or None, message.locations, auto_comments=message.auto_comments)
        po_buffer, mo_buffer = BytesIO(), BytesIO()
        write_po(po_buffer, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
        write_mo(mo_buffer, catalog)
        po_file, mo_file = po_path(locale), po_path(locale).with_suffix(".mo")
        if check:
            if not mo_file.is_file() or mo_file.read_bytes() != mo_buffer.getvalue():
                stale = True
            continue
        po_file.parent.mkdir(parents=True, exist_ok=True)
        po_file.write_bytes(_without_date(po_buffer.getvalue()))
        mo_file.write_bytes(mo_buffer.getvalue())
    for msgid in missing:
        print(f"untranslated (zh_Hans): {msgid!r}")
    if stale:
        print("compiled catalogs are stale: run `make i18n`")
    print(f"{len(template)} msgids, {len(missing)} without Chinese")
    return 1 if (missing or stale) else 0


def _without_date(data: bytes) -> bytes:
    # Keep the files stable between runs so that diffs show only real changes.
    volatile = (b'"POT-Creation-Date', b'"PO-Revision-Date')
    return b"\n".join(line for line in data.split(b"\n") if not line.startswith(volatile))


if __name__ == "__main__":
    sys.exit(build(check="--check" in sys.argv))
