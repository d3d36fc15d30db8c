"""`registry backup --dir D --keep N`: time-named backups for a schedule, the newest N kept, each restorable."""

from datetime import UTC, datetime, timedelta

from registry.backup import prune, scheduled_path
from tests.test_cli import cli, ledger_head, ok


def test_scheduled_backups_keep_the_newest_and_each_restores(database_url, db, tmp_path):
    directory = tmp_path / "backups"
    directory.mkdir()
    unrelated = directory / "notes.txt"
    unrelated.write_text("the operator's own file")
    written = []
    for _ in range(4):
        result = ok(cli(database_url, tmp_path, "backup", "--dir", str(directory), "--keep", "2"))
        written.append(result.stdout.strip().removeprefix("backed up to "))
    kept = sorted(p for p in directory.iterdir() if p.name.startswith("registry-"))
    assert [str(p) for p in kept] == written[-2:]  # the two newest, by name and by order taken
    assert unrelated.is_file()
    db.dispose()
    ok(cli(database_url, tmp_path, "restore", str(kept[0])))
    head = ledger_head(database_url)[0]
    assert ok(cli(database_url, tmp_path, "ledger", "verify")).stdout.startswith(f"ok seq={head} ")


def test_backup_needs_a_file_or_a_directory(database_url, tmp_path):
    assert cli(database_url, tmp_path, "backup").returncode == 2
    assert cli(database_url, tmp_path, "backup", "x.db", "--dir", str(tmp_path)).returncode == 2
    assert cli(database_url, tmp_path, "backup", "x.db", "--keep", "3").returncode == 2


def test_names_sort_by_time_and_prune_keeps_the_newest(tmp_path):
    start = datetime(2026, 11, 30, 23, 59, 59, 999_999, tzinfo=UTC)
    paths = [scheduled_path("sqlite:///x.db", tmp_path, start + timedelta(microseconds=i)) for i in range(5)]
    for path in reversed(paths):
        path.write_bytes(b"x")
    assert sorted(paths) == paths
    assert prune(tmp_path, 3) == paths[:2]
    assert sorted(tmp_path.iterdir()) == paths[2:]
    assert scheduled_path("postgresql://h/db", tmp_path).suffix == ".dump"
