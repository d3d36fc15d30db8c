"""The in-memory region index follows the database: after its TTL a renamed, added or moved region is seen,
and an unchanged table keeps the same snapshot object (caches keyed on it stay valid)."""

from sqlmodel import select

from registry.regions import services
from registry.regions.models import Region


def expire(db) -> None:  # type: ignore[no-untyped-def]
    """Age the cached snapshot past its TTL without waiting for it."""
    key = str(db.engine.url)
    when, index, digest = services._cache[key]
    services._cache[key] = (when - services.INDEX_TTL_SECONDS - 1, index, digest)


def rename(db, code: str, name: str) -> None:  # type: ignore[no-untyped-def]
    with db.write() as session:
        region = session.exec(select(Region).where(Region.code == code)).one()
        region.name = name
        session.add(region)


def test_an_unchanged_table_keeps_the_same_snapshot(db):  # type: ignore[no-untyped-def]
    with db.read() as session:
        first = services.region_index(session)
        expire(db)
        assert services.region_index(session) is first


def test_a_renamed_region_is_seen_after_the_ttl(db):  # type: ignore[no-untyped-def]
    with db.read() as session:
        first = services.region_index(session)
    rename(db, "330122101201", "改名后的芦茨村")
    with db.read() as session:
        assert services.region_index(session) is first  # within the TTL: the snapshot is kept
        expire(db)
        renewed = services.region_index(session)
    assert renewed is not first
    assert renewed.get("330122101201").name == "改名后的芦茨村"  # type: ignore[union-attr]


def test_a_region_moved_to_another_parent_is_seen_after_the_ttl(db):  # type: ignore[no-untyped-def]
    with db.read() as session:
        first = services.region_index(session)
        village = first.get("330122101201")
        county = first.roots()[0]
        other_town = next(t for t in first.children_of(county) if t.id != village.parent_id)  # type: ignore[union-attr]
    with db.write() as session:
        row = session.exec(select(Region).where(Region.code == "330122101201")).one()
        row.parent_id = other_town.id
        session.add(row)
    expire(db)
    with db.read() as session:
        renewed = services.region_index(session)
    assert renewed.parent(renewed.get("330122101201")).code == other_town.code  # type: ignore[union-attr,arg-type]


def test_the_database_moves_the_tree_version_on_every_change_to_regions(db):  # type: ignore[no-untyped-def]
    """The triggers of migration 0014, whoever writes (plain SQL too), so that no change can go unseen."""
    from sqlalchemy import text

    def version() -> int:
        with db.read() as session:
            return services._tree_version(session)

    start = version()
    rename(db, "330122101201", "改名后的芦茨村")
    assert version() > start
    with db.write() as session:
        parent = session.exec(select(Region).where(Region.code == "330122101000")).one()
        statements = (
            ("INSERT INTO regions (code, name, level, kind, parent_id) VALUES ('330122101299', '新村', 'village', "
             "'village', :parent)"),
            "UPDATE regions SET name = '又一新村' WHERE code = '330122101299'",
            "DELETE FROM regions WHERE code = '330122101299'",
        )
        seen = [start]
        for statement in statements:
            session.execute(text(statement), {"parent": parent.id})
            seen.append(int(session.execute(text("SELECT version FROM region_tree_versions WHERE id = 1")).scalar()))
    assert seen == sorted(set(seen)), f"each change moves the version: {seen}"
    with db.read() as session:
        assert services.region_index(session).get("330122101299") is None
