"""The seed files that later areas load (contract §6, §8, §9): read with the standard library only and checked
for everything a loader relies on — codes unique and resolvable, values from the contract's lists, dates valid
and not after the seed's "today", the seed's figures reproduced exactly, and no person named anywhere."""

import csv
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parent.parent / "seed"
TODAY = date(2026, 11, 30)  # nothing in the demo data may happen after this day

# Contract lists, typed here independently of registry/choices.py.
INDICATOR_TYPES = {"integer", "decimal", "text", "boolean", "date", "choice"}  # §8
FORM_PERIODS = {"monthly", "quarterly", "yearly", "once"}  # §8
# seed/README.md: a duty's frequency decides its forms' period; weekly and daily reports are collected monthly.
PERIOD_OF_FREQUENCY = {"monthly": "monthly", "quarterly": "quarterly", "yearly": "yearly", "once": "once",
                       "as_needed": "once", "weekly": "monthly", "daily": "monthly"}
REPORT_KINDS = {"unlisted_task", "problem"}  # §6
REPORT_SOURCES = {"village", "town", "enterprise", "public"}
CHANNELS = {"document", "meeting", "phone", "message_group", "app", "other"}
STATES = {"received", "in_progress", "advanced", "resolved", "dismissed"}
OUTCOMES = {"withdrawn", "admitted", "coordinated", "not_violation"}
EVENT_BY = {"office", "department", "reporter"}
MOVES = {("received", "in_progress"), ("in_progress", "advanced"), ("in_progress", "resolved"),
         ("in_progress", "dismissed"), ("advanced", "resolved"), ("advanced", "dismissed")}
OPEN_STATES = {"received", "in_progress", "advanced"}
SECONDMENT_OUTCOMES = {"returned", "transferred", "extended"}  # §9
DEPARTMENT_KINDS = {"party", "government", "mass", "vertical"}

# The seed's sentences (reference/domain.md §1), typed here, not read from the data.
SEED_REPORTS_SENTENCE = "共收集问题 30 个，已协调解决 19 个，实质性推进 4 个"
SEED_CAMPAIGN = {"units_checked": 38, "cleared": 21, "transferred": 15, "returned": 6}
BAIJIANG = "330122112000"

STAFF_NUMBER = re.compile(r"TL-(\d{4})-\d{4}")
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
            "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
PERSON_PATTERNS = (
    # an office holder is a person: records speak of units (县民政局, 村里), never of 书记/主任/局长
    re.compile(r"书记|主任|局长|镇长|乡长|村长|部长|科长|处长|主席|同志|先生|女士|师傅|老师|姓名"),
    re.compile(rf"[{SURNAMES}][某]"),  # 张某, 王某某
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),  # a mobile number
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),  # an identity card number
)


def names_a_person(text: str) -> bool:
    """True when the text contains something that identifies or points at a person."""
    return any(pattern.search(text) for pattern in PERSON_PATTERNS)


def read_csv(name: str) -> list[dict[str, str]]:
    raw = (SEED / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{name} starts with a BOM"
    with (SEED / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_json(name: str) -> object:
    raw = (SEED / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{name} starts with a BOM"
    return json.loads(raw.decode("utf-8"))


def strings(value: object) -> list[str]:
    """Every string inside a JSON value, keys excluded."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def day(text: str) -> date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", text), text
    return date.fromisoformat(text)


def months_between(start: date, end: date) -> float:
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 30


@pytest.fixture(scope="module")
def indicators() -> dict[str, dict[str, str]]:
    rows = read_csv("indicators.csv")
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)), [c for c, n in Counter(codes).items() if n > 1]
    return {r["code"]: r for r in rows}


@pytest.fixture(scope="module")
def forms() -> list[dict[str, str]]:
    return read_csv("forms.csv")


@pytest.fixture(scope="module")
def catalog() -> dict[str, dict]:
    return {d["code"]: d for d in read_json("catalog.json")}


@pytest.fixture(scope="module")
def regions() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in read_csv("regions.csv")}


@pytest.fixture(scope="module")
def departments() -> dict[str, dict[str, str]]:
    rows = read_csv("departments.csv")
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)), [c for c, n in Counter(codes).items() if n > 1]
    return {r["code"]: r for r in rows}


@pytest.fixture(scope="module")
def demo_reports() -> dict:
    return read_json("demo_reports.json")


@pytest.fixture(scope="module")
def demo_secondments() -> dict:
    return read_json("demo_secondments.json")


def uses(forms: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Indicator code → the forms that ask it."""
    used: dict[str, list[dict[str, str]]] = {}
    for form in forms:
        for code in form["indicators"].split():
            used.setdefault(code, []).append(form)
    return used


@pytest.mark.parametrize(("name", "header"), [
    ("indicators.csv", ["code", "name", "unit", "type", "choices", "definition", "source"]),
    ("forms.csv", ["code", "title", "department", "duty_code", "period", "indicators"]),
    ("staff.csv", ["town_code", "town_name", "staff", "source"]),
    ("departments.csv", ["code", "name", "kind"]),
])
def test_csv_files_have_their_header_and_full_rows(name, header):
    with (SEED / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == header
    short = [i for i, row in enumerate(rows[1:], start=2) if len(row) != len(header)]
    assert not short, f"{name}: rows with the wrong number of fields at lines {short}"
    assert all("\x00" not in cell for row in rows for cell in row)


# ---------------------------------------------------------------- indicators and forms (§8)

def test_indicator_codes_are_readable_and_in_order(indicators):
    assert list(indicators) == [f"I{n:03d}" for n in range(1, len(indicators) + 1)]
    assert len(indicators) >= 40
    names = [row["name"] for row in indicators.values()]
    assert len(names) == len(set(names)), [n for n, k in Counter(names).items() if k > 1]


def test_the_dictionary_holds_the_statistics_villages_are_asked_for(indicators):
    names = {row["name"] for row in indicators.values()}
    asked = {"户籍人口", "常住人口", "户数", "低保户数", "低保人数", "特困人员数", "80 岁以上老人数",
             "60 岁以上老人数", "残疾人数", "持证残疾人数", "留守儿童数", "困境儿童数", "退役军人数", "流动人口数",
             "出租房屋数", "耕地面积", "永久基本农田面积", "林地面积", "村集体经济收入", "村集体经营性收入", "党员数",
             "村民小组数", "网格数", "注册志愿者人数", "消防隐患处数", "垃圾分类户数"}
    assert asked - names == set()


def test_every_indicator_has_a_type_unit_definition_and_source(indicators):
    for code, row in indicators.items():
        assert row["type"] in INDICATOR_TYPES, code
        choices = row["choices"].split("|") if row["choices"] else []
        if row["type"] == "choice":
            assert len(choices) >= 2 and len(set(choices)) == len(choices) and all(c.strip() for c in choices), code
        else:
            assert choices == [], f"{code}: choices only for type choice"
        # a number needs its unit; a date, a yes/no, a text or a choice has none
        assert bool(row["unit"]) == (row["type"] in {"integer", "decimal"}), code
        assert len(row["definition"]) >= 15, f"{code}: definition too short to fix the 统计口径"
        assert row["source"] == "illustrative" or re.fullmatch(r"https?://\S+", row["source"]), code
        assert row["name"] == row["name"].strip() and len(row["name"]) <= 100, code


def test_area_and_money_are_decimals_counts_are_integers(indicators):
    for code, row in indicators.items():
        if row["unit"] in {"亩", "万元", "公里", "吨"}:
            assert row["type"] == "decimal", code
        if row["unit"] in {"人", "户", "个", "处", "件", "次", "人次", "场", "家", "张", "座"}:
            assert row["type"] == "integer", code


def test_forms_codes_and_indicators(forms, indicators):
    assert [f["code"] for f in forms] == [f"F{n:03d}" for n in range(1, len(forms) + 1)]
    for form in forms:
        codes = form["indicators"].split()
        assert 3 <= len(codes) <= 12, form["code"]
        assert len(codes) == len(set(codes)), f"{form['code']} asks an indicator twice"
        assert set(codes) <= set(indicators), f"{form['code']}: unknown {set(codes) - set(indicators)}"
        assert form["period"] in FORM_PERIODS, form["code"]


def test_every_indicator_is_asked_by_some_form(forms, indicators):
    assert set(indicators) - set(uses(forms)) == set()


def test_each_report_of_each_seed_duty_has_exactly_one_form(forms, catalog, departments):
    expected = Counter((code, name) for code, duty in catalog.items() for name in duty["burdens"]["reports"])
    found = Counter((f["duty_code"], f["title"]) for f in forms)
    assert found == expected
    assert len(forms) == 25  # the seed catalog has 25 duties with one report each
    for form in forms:
        duty = catalog[form["duty_code"]]
        assert form["department"] == duty["department"] and form["department"] in departments, form["code"]
        assert form["period"] == PERIOD_OF_FREQUENCY[duty["frequency"]], form["code"]


def test_flows_are_shared_only_between_forms_of_one_period(forms, indicators):
    # "报告期内…" counts what happened in the period: one entry cannot serve a monthly and a yearly form.
    for code, users in uses(forms).items():
        if indicators[code]["definition"].startswith("报告期内"):
            assert len({f["period"] for f in users}) == 1, f"{code} is a flow asked for different periods"


def test_sharing_is_visible(forms, indicators):
    used = uses(forms)
    by_two = [c for c, users in used.items() if len(users) >= 2]
    by_four = [c for c, users in used.items() if len(users) >= 4]
    assert len(by_two) >= 10, by_two
    assert len(by_four) >= 3, by_four
    code_of = {row["name"]: code for code, row in indicators.items()}
    for name in ("户籍人口", "常住人口", "户数", "低保人数"):
        departments = {f["department"] for f in used[code_of[name]]}
        assert len(departments) >= 3, f"{name} is asked by only {departments}"


# ---------------------------------------------------------------- departments and staff

def test_departments_include_the_office_that_serves_the_grassroots(departments):
    assert departments["FWB"] == {"code": "FWB", "name": "县服务基层办公室", "kind": "government"}
    assert all(row["kind"] in DEPARTMENT_KINDS for row in departments.values())
    names = [row["name"] for row in departments.values()]
    assert len(names) == len(set(names))


def test_staff_numbers_for_every_town(regions):
    rows = read_csv("staff.csv")
    towns = {code: r["name"] for code, r in regions.items() if r["level"] == "town"}
    assert {r["town_code"]: r["town_name"] for r in rows} == towns
    assert len(rows) == len(towns) == 14
    for row in rows:
        assert re.fullmatch(r"\d+", row["staff"]) and 40 <= int(row["staff"]) <= 120, row
        assert row["source"] == "illustrative" or re.fullmatch(r"https?://\S+", row["source"]), row
    assert {r["town_code"]: int(r["staff"]) for r in rows}[BAIJIANG] == 60


# ---------------------------------------------------------------- demo reports (§6)

def test_demo_reports_reproduce_the_seed_sentence(demo_reports):
    reports = demo_reports["reports"]
    states = Counter(r["state"] for r in reports)
    sentence = f"共收集问题 {len(reports)} 个，已协调解决 {states['resolved']} 个，实质性推进 {states['advanced']} 个"
    assert sentence == SEED_REPORTS_SENTENCE
    assert set(states) <= STATES
    assert states["received"] + states["in_progress"] + states["dismissed"] == 30 - 19 - 4
    assert demo_reports["illustrative"] is True and demo_reports["source"]


def test_demo_reports_mix_kinds_sources_channels_and_outcomes(demo_reports):
    reports = demo_reports["reports"]
    assert {r["kind"] for r in reports} == REPORT_KINDS
    assert {r["source"] for r in reports} == REPORT_SOURCES
    assert {r["channel"] for r in reports} == CHANNELS
    assert {r["outcome"] for r in reports if r["state"] == "resolved"} == OUTCOMES


def test_each_demo_report_is_a_valid_report_body(demo_reports, regions, departments):
    for n, report in enumerate(demo_reports["reports"], start=1):
        where = f"report {n}"
        assert report["kind"] in REPORT_KINDS and report["source"] in REPORT_SOURCES, where
        assert report["channel"] in CHANNELS, where
        assert 0 < len(report["title"].strip()) <= 200 and 0 < len(report["description"].strip()) <= 5000, where
        assert isinstance(report["share_region_with_department"], bool), where
        asked_on = day(report["asked_on"])
        assert asked_on.year == 2026 and asked_on <= TODAY, where
        region = report["region_code"]
        if report["source"] in {"enterprise", "public"}:
            assert region is None, where
        else:  # a village reports for itself; the office logs a town's problems against the town
            assert region in regions and regions[region]["level"] == report["source"], where
        if report["department"] is None:
            assert report["unit_text"].strip(), f"{where}: no department and no unit"
        else:
            assert report["department"] in departments, where


def test_each_demo_report_reaches_its_state_by_allowed_moves(demo_reports, departments):
    for n, report in enumerate(demo_reports["reports"], start=1):
        where = f"report {n}"
        state, last_day = "received", 0
        for event in report["events"]:
            assert event["by"] in EVENT_BY and event["state"] in STATES, where
            assert isinstance(event["days_after"], int) and event["days_after"] >= last_day, where
            last_day = event["days_after"]
            assert event["note"].strip(), where
            if event["by"] == "department":
                # the named department responds once the case is in progress; it does not move the case
                assert report["department"] is not None and state in {"in_progress", "advanced"}, where
                assert event["state"] == state, where
                assert event["note"].startswith(departments[report["department"]]["name"]), where
            elif event["state"] != state:
                assert (state, event["state"]) in MOVES, f"{where}: {state} → {event['state']}"
                state = event["state"]
        assert state == report["state"], where
        assert date.fromordinal(day(report["asked_on"]).toordinal() + last_day) <= TODAY, where
        if report["state"] == "resolved":
            assert report["outcome"] in OUTCOMES, where
            assert report.get("request_number") is None, f"{where}: the loader names the request"
            if report["kind"] == "problem":
                assert report["outcome"] == "coordinated", f"{where}: a problem is solved, not withdrawn or admitted"
        else:
            assert report["outcome"] is None, where
        if report["state"] == "received":
            assert report["events"] == [], where


# ---------------------------------------------------------------- demo secondments (§9)

def test_the_campaign_figures_are_the_seeds(demo_secondments):
    campaign = demo_secondments["campaign"]
    assert {k: campaign[k] for k in SEED_CAMPAIGN} == SEED_CAMPAIGN
    outcomes = Counter(s["outcome"] for s in demo_secondments["secondments"])
    assert len(demo_secondments["secondments"]) == campaign["cleared"] == 21
    assert outcomes == {"transferred": 15, "returned": 6}
    assert set(outcomes) <= SECONDMENT_OUTCOMES
    assert demo_secondments["illustrative"] is True and demo_secondments["source"]


def test_the_checked_units_exist_and_include_temporary_bodies(demo_secondments, departments):
    campaign = demo_secondments["campaign"]
    bodies = {b["code"]: b for b in demo_secondments["temporary_bodies"]}
    units = campaign["checked_units"]
    assert len(units) == len(set(units)) == campaign["units_checked"]
    assert set(units) <= set(departments) | set(bodies)
    by_kind = Counter("temporary_body" if u in bodies else "department" for u in units)
    assert by_kind == campaign["units_checked_by_kind"]
    assert by_kind["temporary_body"] >= 1
    assert campaign["lead_department"] == "ZZB"
    assert day(campaign["checked_on"]) <= TODAY


def test_temporary_bodies_have_a_lead_department_and_an_end(demo_secondments, departments):
    bodies = demo_secondments["temporary_bodies"]
    codes = [b["code"] for b in bodies]
    assert len(codes) == len(set(codes)) and not set(codes) & set(departments)
    for body in bodies:
        assert body["lead_department"] in departments and body["name"].strip(), body
        day(body["ends_on"])


def test_each_secondment_is_coherent(demo_secondments, departments, regions):
    bodies = {b["code"]: b for b in demo_secondments["temporary_bodies"]}
    checked = set(demo_secondments["campaign"]["checked_units"])
    refs = [s["person_ref"] for s in demo_secondments["secondments"]]
    assert len(refs) == len(set(refs))
    for item in demo_secondments["secondments"]:
        match = STAFF_NUMBER.fullmatch(item["person_ref"])
        assert match and len(item["person_ref"]) <= 50, item["person_ref"]
        home, host = item["home"], item["host"]
        assert home in departments or (home in regions and regions[home]["level"] == "town"), home
        assert host in departments or host in bodies, host
        assert host != home and host in checked, item["person_ref"]
        start, end = day(item["start_on"]), day(item["end_on"])
        assert int(match.group(1)) <= start.year, f"{item['person_ref']} seconded before joining"
        assert start < end <= TODAY, item["person_ref"]
        if host in bodies:
            assert end <= day(bodies[host]["ends_on"]), item["person_ref"]
        assert item["reason"].strip() and item["outcome"] in SECONDMENT_OUTCOMES, item["person_ref"]


def test_one_loan_of_nearly_three_years_and_a_tenth_of_baijiang(demo_secondments):
    secondments = demo_secondments["secondments"]
    lengths = [months_between(day(s["start_on"]), day(s["end_on"])) for s in secondments]
    assert any(33 <= months < 36 for months in lengths), sorted(lengths)[-3:]
    staff = {r["town_code"]: int(r["staff"]) for r in read_csv("staff.csv")}
    from_baijiang = [s for s in secondments if s["home"] == BAIJIANG]
    assert len(from_baijiang) * 10 == staff[BAIJIANG]  # issue 13: six seconded, a tenth of its establishment


# ---------------------------------------------------------------- no person named

@pytest.mark.parametrize("text", [
    "张某某反映打卡要求", "王某", "县农业农村局李局长答复", "由村书记陪同", "请联系刘主任", "经办人：陈先生",
    "电话 13912345678", "身份证号 33012219800101123X", "姓名：略",
])
def test_the_person_check_catches_names(text):
    assert names_a_person(text)


@pytest.mark.parametrize("text", [
    "县农业农村局答复：同意停止。", "百江镇反映农村建房审批周期长", "要求村主要负责人全程陪同", "县妇女联合会",
    "TL-2019-0412", "2026-11-30", "缺口约 300 人", "县服务基层办公室",
])
def test_the_person_check_lets_units_through(text):
    assert not names_a_person(text)


@pytest.mark.parametrize("name", ["demo_reports.json", "demo_secondments.json"])
def test_demo_files_name_no_person(name):
    found = [s for s in strings(read_json(name)) if names_a_person(s)]
    assert found == []
