import csv
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "seed" / "review_stages.csv"


def test_review_stages_are_the_seeded_stages_in_order(client):
    with SEED.open(encoding="utf-8") as handle:
        expected = [
            {"code": row["code"], "name": row["name"], "order": int(row["order"]),
             "departments": sorted(row["departments"].split())}
            for row in csv.DictReader(handle)
        ]
    response = client.get("/api/v1/review-stages")
    assert response.status_code == 200
    assert response.json() == sorted(expected, key=lambda stage: stage["order"])
