"""Evidence attached to a report: at most MAX_FILES files of at most MAX_BYTES each, photos (JPEG, PNG, WebP) or
PDF, the type read from the content (never from the name or the declared type). The bytes are written outside
the database, under `<evidence dir>/<stored_name>`, with their SHA-256 in the row; they are served only to those
who may see the report. A refused upload stores nothing and leaves no file behind; a process killed between
writing the bytes and committing the row leaves a file without a row, which `sweep_orphans` removes (`registry
run` calls it before serving)."""

import hashlib
import os
import time
import uuid
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from registry.accounts.services import Principal
from registry.choices import CLOSED_REPORT_STATES, N_, Role
from registry.db import Database
from registry.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound
from registry.reports.models import Report, ReportFile
from registry.reports.services import find
from registry.settings import Settings

MAX_FILES = 5
MAX_BYTES = 5 * 1024 * 1024
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


def directory(settings: Settings) -> Path:
    """Where evidence files live: outside the database, under the var directory."""
    return settings.var_dir / "evidence"


def sniff(content: bytes) -> str | None:
    """The media type the bytes themselves declare (magic numbers), or None when not an accepted type."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def upload_refusal(principal: Principal | None, report: Report) -> Forbidden | Conflict | None:
    """Cadres who see the report and the office may attach evidence while the case is open."""
    if principal is None or principal.role not in (Role.CADRE, Role.OFFICE):
        return Forbidden()
    if report.state in CLOSED_REPORT_STATES:
        return Conflict(N_("A closed case takes no more evidence."))
    return None


def files_of(session: Session, report_ids: list[int]) -> dict[int, list[ReportFile]]:
    found: dict[int, list[ReportFile]] = {}
    if report_ids:
        statement = select(ReportFile).where(col(ReportFile.report_id).in_(report_ids)).order_by(col(ReportFile.id))
        for row in session.exec(statement):
            found.setdefault(row.report_id, []).append(row)
    return found


def attach(db: Database, directory: Path, principal: Principal, report_id: int, content: bytes) -> int:
    """Store one file for the report; the file's id. Invalid for an empty, oversize or unaccepted file,
    Conflict past MAX_FILES or on a closed case."""
    if not content:
        raise Invalid([FieldProblem("file", N_("The file is empty."))])
    if len(content) > MAX_BYTES:
        raise Invalid([FieldProblem("file", N_("A file may be at most 5 MB."))])
    media_type = sniff(content)
    if media_type is None:
        raise Invalid([FieldProblem("file", N_("Only photos (JPEG, PNG, WebP) and PDF files are accepted."))])
    digest = hashlib.sha256(content).hexdigest()
    stored_name = f"{uuid.uuid4().hex}.{EXTENSIONS[media_type]}"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / stored_name
    try:
        with db.write() as session:
            report = find(session, principal, report_id)
            refusal = upload_refusal(principal, report)
            if refusal is not None:
                raise refusal
            count = session.exec(select(func.count()).select_from(ReportFile)
                                 .where(ReportFile.report_id == report.id)).one()
            if count >= MAX_FILES:
                raise Conflict(N_("A report may have at most 5 files."))
            row = ReportFile(report_id=report.id, media_type=media_type, size=len(content),  # type: ignore[arg-type]
                             sha256=digest, stored_name=stored_name)
            session.add(row)
            session.flush()
            temporary = directory / f".{stored_name}.part"
            temporary.write_bytes(content)
            os.replace(temporary, path)  # whole or absent
            return row.id  # type: ignore[return-value]
    except BaseException:
        path.unlink(missing_ok=True)
        (directory / f".{stored_name}.part").unlink(missing_ok=True)
        raise


def read(db: Database, directory: Path, principal: Principal | None, report_id: int,
         file_id: int) -> tuple[ReportFile, str, bytes]:
    """The file's row, the report's number and the bytes, if the principal may see the report (NotFound
    otherwise); Conflict when the bytes on disk no longer match their checksum."""
    with db.read() as session:
        report = find(session, principal, report_id)
        row = session.get(ReportFile, file_id) if 1 <= file_id <= 2**31 - 1 else None
        if row is None or row.report_id != report.id:
            raise NotFound(N_("No such file."))
        number = report.number
    content = (directory / row.stored_name).read_bytes()
    if hashlib.sha256(content).hexdigest() != row.sha256:
        raise Conflict(N_("The stored file does not match its checksum."))
    return row, number, content


def sweep_orphans(db: Database, directory: Path, older_than_seconds: float = 0.0) -> int:
    """Remove every file in *directory* that no `report_files` row names (a `.part` temporary, or bytes whose
    transaction never committed because the process was killed), if it was last modified more than
    *older_than_seconds* ago; the number removed. Files named by a row are never touched.

    With no grace period this must run while nothing else uploads into *directory* (at start-up): an upload
    under way has written its file before its row commits."""
    if not directory.is_dir():
        return 0
    cutoff = time.time() - older_than_seconds
    # The listing comes before the read of the rows, so a row committed meanwhile only keeps its file.
    candidates = [path for path in directory.iterdir() if path.is_file() and path.stat().st_mtime <= cutoff]
    if not candidates:
        return 0
    with db.read() as session:
        named = set(session.exec(select(ReportFile.stored_name)))
    removed = 0
    for path in candidates:
        if path.name not in named:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
