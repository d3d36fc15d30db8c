"""Schema conformance: schemathesis drives every operation of /schema/openapi.json against the real server with
all of its checks on (status codes and response bodies as documented, content types, `Allow`, negative data
refused, no 5xx), as anonymous, as the admin and as a cadre, with bearer tokens. The long run is in `make chaos`."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import bearer, registry_server

ST = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
# Anonymous, the widest role and a narrow one: the role matrix itself is tests/web/test_access.py, and make chaos
# fuzzes every role (CI time stays under 30 minutes).
ACCOUNTS = [None, "admin", "lucun_cadre"]


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a or "anonymous")
def test_every_operation_answers_as_documented(account, database_url, db, tmp_path):
    auth = [] if account is None else ["-H", "Authorization: " + bearer(db, account)["Authorization"]]
    with registry_server(database_url, tmp_path) as base:
        run = subprocess.run(
            [str(ST), "--config-file", str(CONFIG), "run", f"{base}/schema/openapi.json", "--checks", "all",
             "--max-examples", "5", "--seed", "20261130", "--generation-deterministic", "--workers", "1", "--no-color",
             "--request-timeout", "20", *auth],
            capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
