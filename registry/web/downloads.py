"""Download names: the reader's name (UTF-8, RFC 5987 `filename*`) with an ASCII `filename` for old clients."""

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def clean_name(name: str) -> str:
    """No path separators, quotes or control characters; spaces kept as they are."""
    return _UNSAFE.sub("-", unicodedata.normalize("NFC", name)).strip(" .-") or "download"


def ascii_name(name: str) -> str:
    """An ASCII stand-in: the name with every other character dropped (runs of dashes collapsed)."""
    kept = clean_name(name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"-{2,}", "-", kept).strip(" .-") or "download"


def attachment(name: str, fallback: str | None = None) -> str:
    """The Content-Disposition value: `attachment; filename="ascii"; filename*=UTF-8''percent-encoded`."""
    name = clean_name(name)
    plain = ascii_name(fallback or name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
