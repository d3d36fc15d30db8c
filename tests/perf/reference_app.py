"""The benchmark's reference handlers, served by the same stack as the registry (Litestar under granian,
plain `def` handlers run in the thread pool like the registry's):

    GET /text   a bare plain-text answer
    GET /page   a bare Jinja page with one row per item of the village list (rendered per request)
    GET /json   the village list's JSON document, encoded per request

BENCH_DOCUMENT names a JSON file holding the village list document as the registry served it.

    python -m granian --interface asgi --factory tests.perf.reference_app:app
"""

import json
import os

from jinja2 import DictLoader, Environment, select_autoescape
from litestar import Litestar, MediaType, Response, get
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template import TemplateConfig

PAGE = """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/static/app.css">
</head><body><header><h1>{{ title }}</h1><p>{{ rows|length }} 项</p></header><main>
{% for row in rows %}
<article class="duty" id="{{ row.code }}">
  <h3><span class="code">{{ row.code }}</span> {{ row.title }}</h3>
  <p>{{ row.description }}</p>
  <dl><dt>类别</dt><dd>{{ row.category }}</dd><dt>责任部门</dt><dd>{{ row.department }}</dd>
  <dt>频次</dt><dd>{{ row.frequency }}</dd><dt>每月工时</dt><dd>{{ row.hours }}</dd>
  <dt>台账</dt><dd>{{ row.ledgers }}</dd></dl>
</article>
{% endfor %}
</main><footer>reference</footer></body></html>
"""


def _rows(document: dict) -> list[dict]:
    return [{"code": d["code"], "title": d["title"], "description": d["description"], "category": d["category"],
             "department": d["department"]["name"], "frequency": d["frequency"], "hours": d["hours_per_month"],
             "ledgers": "、".join(d["burdens"]["ledgers"])} for d in document["duties"]]


def app() -> Litestar:
    """The reference application (a granian factory)."""
    with open(os.environ["BENCH_DOCUMENT"], encoding="utf-8") as handle:
        document = json.load(handle)
    rows = _rows(document)
    environment = Environment(loader=DictLoader({"page.html": PAGE}), autoescape=select_autoescape(default=True))

    @get("/text", media_type=MediaType.TEXT, sync_to_thread=True)
    def text() -> str:
        return "ok"

    @get("/page", sync_to_thread=True)
    def page() -> Template:
        return Template(template_name="page.html", context={"title": document["region"]["name"], "rows": rows},
                        media_type=MediaType.HTML)

    @get("/json", sync_to_thread=True)
    def body() -> Response:
        return Response(content=document)

    return Litestar([text, page, body], template_config=TemplateConfig(
        instance=JinjaTemplateEngine.from_environment(environment)))
