import csv
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "seed" / "review_stages.csv"
COUNTY = "330122000000"  # the seed's one county owns every stage and department (§10)


def test_review_stages_are_the_seeded_stages_in_order(client):
    with SEED.open(encoding="utf-8") as handle:
        expected = [
            {"code": row["code"], "name": row["name"], "order": int(row["order"]),
             "departments": sorted(row["departments"].split()), "region_code": COUNTY}
            for row in csv.DictReader(handle)
        ]
    response = client.get("/api/v1/review-stages")
    assert response.status_code == 200
    assert response.json() == sorted(expected, key=lambda stage: stage["order"])


def test_departments_name_the_county_that_owns_them(client):
    listed = client.get("/api/v1/departments").json()
    assert listed and all(set(item) == {"code", "name", "region_code"} for item in listed)
    assert {item["region_code"] for item in listed} == {COUNTY}
    assert client.get(f"/api/v1/regions/{COUNTY}").json()["level"] == "county"
