"""Evidence: photos and PDFs up to 5 MB, at most 5 a report, type read from the content, stored outside the
database with a checksum, served only to those who may see the report; refused uploads store nothing and
leave no file on disk."""

import hashlib

import httpx
from sqlalchemy import func
from sqlmodel import select

from registry.reports.evidence import directory, sweep_orphans
from registry.reports.models import ReportFile
from tests.admission.helpers import has_cjk
from tests.conftest import bearer, registry_server
from tests.reports.helpers import file_report, move

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100
BAD_UPLOADS = [  # (label, bytes, headers, status)
    ("empty", b"", {}, 422),
    ("executable named as a photo", EXE, {"content-type": "image/jpeg", "x-filename": "photo.jpg"}, 422),
    ("html", b"<html><script>alert(1)</script></html>", {"content-type": "image/png"}, 422),
    ("svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", {"content-type": "image/svg+xml"}, 422),
    ("zip", b"PK\x03\x04" + b"\x00" * 50, {}, 422),
    ("text", "这是一段文字".encode(), {}, 422),
    ("truncated jpeg magic", b"\xff\xd8", {}, 422),
    ("riff but not webp", b"RIFF\x24\x00\x00\x00WAVEfmt ", {}, 422),
    ("over 5 MB", JPEG + b"\x00" * (5 * 1024 * 1024), {}, 422),
    ("far over the limit", b"\x00" * (7 * 1024 * 1024), {}, 413),
]


def stored_files(settings) -> list:  # type: ignore[no-untyped-def]
    directory = settings.var_dir / "evidence"
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_upload_serve_and_limits(client, db, settings):
    cadre, office = bearer(db, "lucun_cadre"), bearer(db, "fwb_office")
    report = file_report(client, cadre)
    url = f"/api/v1/reports/{report['id']}/files"
    answered = client.post(url, content=JPEG, headers={**cadre, "content-type": "application/octet-stream"})
    assert answered.status_code == 201, answered.text
    [attached] = answered.json()["files"]
    assert attached["media_type"] == "image/jpeg" and attached["size"] == len(JPEG)
    assert attached["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert len(stored_files(settings)) == 1
    served = client.get(attached["url"], headers=office)
    assert served.status_code == 200 and served.content == JPEG
    assert served.headers["content-type"] == "image/jpeg" and served.headers["x-content-type-options"] == "nosniff"
    # Only those who may see the report: not the public, another village, or the department before in_progress.
    for who in ({}, bearer(db, "jiangnan_cadre"), bearer(db, "nyj_clerk"), bearer(db, "mzj_reviewer")):
        assert client.get(attached["url"], headers=who).status_code == 404
    move(client, office, report, "in_progress")
    assert client.get(attached["url"], headers=bearer(db, "nyj_clerk")).status_code == 200
    for content in (PNG, PDF, WEBP, JPEG):
        assert client.post(url, content=content, headers=office).status_code == 201
    assert client.post(url, content=PNG, headers=cadre).status_code == 409  # a sixth
    assert len(stored_files(settings)) == 5
    assert client.get(f"{url}/999", headers=office).status_code == 404


def test_bad_uploads_store_nothing(client, db, settings):
    cadre = bearer(db, "lucun_cadre")
    report = file_report(client, cadre)
    url = f"/api/v1/reports/{report['id']}/files"
    wrong = []
    for label, content, headers, status in BAD_UPLOADS:
        response = client.post(url, content=content, headers={**cadre, **headers})
        detail = response.json().get("detail", "") if "json" in response.headers.get("content-type", "") else ""
        if response.status_code != status or not has_cjk(detail):
            wrong.append((label, response.status_code, response.text[:120]))
    other = client.post("/api/v1/reports/424242/files", content=JPEG, headers=cadre)
    outside = client.post(url, content=JPEG, headers=bearer(db, "jiangnan_cadre"))
    department = client.post(url, content=JPEG, headers=bearer(db, "nyj_clerk"))
    assert (other.status_code, outside.status_code, department.status_code) == (404, 404, 403)
    assert not wrong, wrong
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(ReportFile)).one() == 0
    assert stored_files(settings) == []


def test_a_closed_case_takes_no_more_evidence(client, db, settings):
    cadre, office = bearer(db, "lucun_cadre"), bearer(db, "fwb_office")
    report = move(client, office, file_report(client, cadre), "in_progress")
    move(client, office, report, "dismissed", "重复报告")
    assert client.post(f"/api/v1/reports/{report['id']}/files", content=JPEG, headers=cadre).status_code == 409
    assert stored_files(settings) == []


def test_start_up_sweeps_files_no_row_names(client, db, settings, database_url, tmp_path):
    """An upload killed between writing its bytes and committing its row leaves a file no row names: `registry
    run` removes such files before it serves, and keeps every file a row names."""
    cadre = bearer(db, "lucun_cadre")
    report = file_report(client, cadre)
    assert client.post(f"/api/v1/reports/{report['id']}/files", content=PNG, headers=cadre).status_code == 201
    [kept] = stored_files(settings)
    evidence = directory(settings)
    (evidence / "0123456789abcdef0123456789abcdef.jpg").write_bytes(JPEG)  # bytes whose row never committed
    (evidence / ".fedcba9876543210fedcba9876543210.pdf.part").write_bytes(PDF)  # a write cut short
    # A grace period spares files younger than it (a sweep while uploads may be under way).
    assert sweep_orphans(db, evidence, older_than_seconds=3600) == 0 and len(stored_files(settings)) == 3
    with registry_server(database_url, tmp_path) as base:
        assert stored_files(settings) == [kept]
        row = client.get(f"/api/v1/reports/{report['id']}", headers=cadre).json()["files"][0]
        assert httpx.get(f"{base}{row['url']}", headers=cadre, timeout=30).content == PNG
