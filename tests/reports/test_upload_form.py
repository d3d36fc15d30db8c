"""The case page's upload form over HTTP against the real server: a cadre attaches a small PNG and sees it listed
(and can fetch it); a text file named .png is refused in the page's error summary, in the reader's language, and
leaves no file on disk and no row; a post without the CSRF token is refused too."""

import re
import struct
import zlib

import httpx
from sqlalchemy import func
from sqlmodel import select

from registry.reports.models import ReportFile
from tests.conftest import bearer, sign_in
from tests.reports.helpers import file_report


def tiny_png() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def test_attach_through_the_case_page(live_server, db, tmp_path):
    evidence = tmp_path / "var" / "evidence"
    png = tiny_png()
    with httpx.Client(base_url=live_server, timeout=30, follow_redirects=False) as client:
        report = file_report(client, bearer(db, "lucun_cadre"))
        page_path = f"/reports/{report['id']}"
        sign_in(client, "lucun_cadre")  # type: ignore[arg-type]
        page = client.get(page_path)
        assert page.status_code == 200 and 'id="evidence-form"' in page.text
        assert 'enctype="multipart/form-data"' in page.text
        token = client.cookies.get("csrftoken")
        action = f"{page_path}/files"

        done = client.post(action, data={"_csrf_token": token}, files={"file": ("photo.png", png, "image/png")})
        assert done.status_code == 303 and done.headers["location"].startswith(page_path), done.text[:300]
        listed = client.get(page_path).text
        links = re.findall(r'<ul id="evidence-files">.*?</ul>', listed, re.S)
        [url] = re.findall(r'href="(/reports/\d+/files/\d+)"', links[0])
        served = client.get(url)
        assert served.status_code == 200 and served.content == png

        refused = client.post(action, data={"_csrf_token": token},
                              files={"file": ("notes.png", "只是一段文字，不是照片。".encode(), "image/png")})
        assert refused.status_code == 422
        summary = re.search(r'<div class="flash flash-error error-summary"[^>]*id="error-summary".*?</div>',
                            refused.text, re.S)
        assert summary and "只接受照片" in summary.group(0) and 'href="#field-file"' in summary.group(0)
        assert 'aria-invalid="true"' in refused.text

        forged = client.post(action, files={"file": ("photo.png", png, "image/png")})  # no CSRF token
        assert forged.status_code == 403

    assert len([p for p in evidence.iterdir()]) == 1  # the PNG alone: no part files, nothing from the refusals
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(ReportFile)).one() == 1
