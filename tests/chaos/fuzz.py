"""Fuzz: schemathesis over /schema/openapi.json (positive and negative data) as anonymous and with each role's
bearer token, and a form fuzzer over every HTML form with a valid CSRF token. Counts cases; 0 × 5xx and
0 response-schema violations pass."""

import random
import time
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx

from tests.chaos.common import Databases, say, start, tokens
from tests.conftest import ADMIN_PASSWORD, PASSWORD

ROLES = {"cadre": "lucun_cadre", "department": "yjj_clerk", "reviewer": "mzj_reviewer", "office": "fwb_office",
         "admin": "admin"}
PAGES = ["/", "/login", "/requests/mine", "/requests/new", "/review", "/burden/budget", "/admin/outbox",
         "/requests/1", "/requests/1/edit", "/requests/2", "/ledger", "/duties"]
NASTY = ["", " ", "0", "-1", "99999999999999999999", "1e309", "NaN", "a" * 5000, "\x00", "a\x00b", "中文" * 200,
         "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "\ud7ff", "😀" * 50, "2030-02-30", "true",
         "{\"a\":1}", "%00", "\r\nX-Injected: 1"]


@dataclass
class Tally:
    cases: int = 0
    server_errors: list[str] = field(default_factory=list)
    schema_violations: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def count(self, label: str, status: int) -> None:
        self.cases += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500:
            self.server_errors.append(f"{label} -> {status}")


def fuzz_api(base: str, keys: dict[str, str], examples: int, tally: Tally) -> None:
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.specs.openapi.checks import response_schema_conformance

    schema = schemathesis.openapi.from_url(f"{base}/schema/openapi.json")
    identities = {"anonymous": {}, **{role: {"Authorization": f"Bearer {key}"} for role, key in keys.items()}}
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for role, headers in identities.items():
                check = one_check(base, f"{role} {operation.method.upper()} {operation.path}", headers,
                                  mode == GenerationMode.POSITIVE, tally, response_schema_conformance)
                test = settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
                                suppress_health_check=list(HealthCheck), derandomize=True, print_blob=False)(
                    given(case=operation.as_strategy(generation_mode=mode))(check))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        test()
                    except Unsatisfiable:  # no negative data exists for an operation without inputs
                        continue


def one_check(base: str, label: str, headers: dict, positive: bool, tally: Tally, conformance):  # type: ignore[no-untyped-def]
    def check(case) -> None:  # type: ignore[no-untyped-def]
        try:
            response = case.call(base_url=base, headers=headers, timeout=60)
        except Exception as exc:  # a request the client library refuses to send (bad header bytes, say)
            if "Invalid" in type(exc).__name__ or "Encode" in type(exc).__name__:
                return
            raise
        tally.count(label, response.status_code)
        if positive and response.status_code < 500:
            try:
                case.validate_response(response, checks=[conformance])
            except Exception as exc:  # noqa: BLE001 (schemathesis raises its failure group)
                tally.schema_violations.append(f"{label}: {str(exc)[:300]}")

    return check


class Forms(HTMLParser):
    """The forms of a page: action, method and fields (inputs, selects with their options, textareas)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                               "fields": {}})
        elif self.forms and tag in ("input", "textarea", "select") and a.get("name"):
            self.forms[-1]["fields"].setdefault(a["name"], []).append(a.get("value") or "")
            self._select = a["name"] if tag == "select" else None
        elif self.forms and tag == "option" and self._select:
            self.forms[-1]["fields"][self._select].append(a.get("value") or "")


def fuzz_forms(base: str, cases_per_form: int, tally: Tally, seed: int = 5) -> int:
    rng = random.Random(seed)
    forms_seen = set()
    # Every role signs in before any form is fuzzed: fuzzed sign-in and password forms count as failures from
    # 127.0.0.1 and would throttle a later sign-in.
    clients = {}
    for role, name in {**ROLES, "anonymous": None}.items():
        client = clients[role] = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
        if name:
            client.get("/login")
            token = client.cookies.get("csrftoken")
            signed = client.post("/login", data={"name": name, "password": ADMIN_PASSWORD if name == "admin"
                                                 else PASSWORD, "_csrf_token": token})
            assert signed.status_code == 303, signed.text[:200]
    try:
        for role, client in clients.items():
            for page in PAGES:
                response = client.get(page)
                if response.status_code != 200:
                    continue
                parser = Forms()
                parser.feed(response.text)
                for form in parser.forms:
                    if form["method"] != "post" or form["action"] in ("/logout",):
                        continue
                    action = form["action"] or page
                    forms_seen.add(action)
                    for _ in range(cases_per_form):
                        token = client.cookies.get("csrftoken") or ""
                        data = {}
                        for field_name, values in form["fields"].items():
                            if field_name == "_csrf_token":
                                data[field_name] = token
                            elif rng.random() < 0.5:
                                data[field_name] = rng.choice(values)  # a value the form offers
                            elif rng.random() < 0.9:
                                data[field_name] = rng.choice(NASTY)
                        try:
                            answer = client.post(action, data=data)
                        except (httpx.InvalidURL, UnicodeEncodeError):
                            continue
                        tally.count(f"{role} form {action}", answer.status_code)
    finally:
        for client in clients.values():
            client.close()
    return len(forms_seen)


def run(backend: str, examples: int, form_cases: int, tmp: Path, databases: Databases) -> bool:
    url = databases.seeded(backend)
    keys = tokens(url, tuple(ROLES.values()))
    keys = {role: keys[name] for role, name in ROLES.items()}
    server = start(url, tmp, env={"REGISTRY_MAX_IN_FLIGHT": "10000"})
    base = f"http://127.0.0.1:{server.port}"
    began = time.monotonic()
    api, forms = Tally(), Tally()
    try:
        fuzz_api(base, keys, examples, api)
        form_count = fuzz_forms(base, form_cases, forms)
    finally:
        server.__exit__(None, None, None)
    total = api.cases + forms.cases
    errors = api.server_errors + forms.server_errors
    ok = not errors and not api.schema_violations
    say(f"fuzz[{backend}]: {total} cases ({api.cases} API as 6 identities, {forms.cases} form posts over "
        f"{form_count} forms); 5xx={len(errors)} schema violations={len(api.schema_violations)}; "
        f"statuses {dict(sorted((api.statuses | {}).items()))} in {time.monotonic() - began:.0f} s")
    for line in (errors + api.schema_violations)[:8]:
        say(f"  {line}")
    return ok
