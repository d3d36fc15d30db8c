"""The `registry` command (also `python -m registry`)."""

import logging
import multiprocessing
import os
import sys
from pathlib import Path

import click

from registry.choices import Role, TaskOutcome
from registry.errors import RegistryError
from registry.settings import Settings, SettingsError
from registry.synthetic.plan import SCALES

SHUTDOWN_GRACE_SECONDS = 30  # on SIGTERM, requests under way get this long to finish before the worker is killed
LOCK_WAIT_SECONDS = 600  # an operator's run waits this long for a run already under way (the server's, say)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


def _db():  # type: ignore[no-untyped-def]
    from registry.db import Database

    return Database(_settings().database_url)


def _fail(exc: RegistryError) -> click.ClickException:
    from registry import i18n

    i18n.set_language(_settings().language)
    message = i18n.gettext(exc.message, **exc.params)
    problems = getattr(exc, "problems", [])
    details = "; ".join(f"{p.field}: {i18n.gettext(p.message, **p.params)}" for p in problems)
    return click.ClickException(f"{message} {details}".strip())


@click.group()
def main() -> None:
    """村（社区）工作事项准入登记系统 — village duty-list admission registry."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations to the configured database (safe to repeat)."""
    from registry.migrations.runner import upgrade

    upgrade(_settings().database_url)
    click.echo("database is at the latest migration")


@main.command()
@click.option("--demo", is_flag=True, help="Also create the demo accounts listed in the README.")
@click.option("--synthetic", type=click.Choice(tuple(SCALES)), default=None,
              help="Instead of seed/, build a synthetic data set of this scale (an empty database only).")
@click.option("--seed", "seed_number", type=int, default=1, show_default=True,
              help="With --synthetic: the seed of the deterministic generator.")
def seed(demo: bool, synthetic: str | None, seed_number: int) -> None:
    """Load seed/ (idempotent; the catalog only into an empty catalog), or build a synthetic data set."""
    from registry.seeding import load_seed

    if synthetic:
        if demo:
            raise click.UsageError("--demo and --synthetic exclude each other")
        _seed_synthetic(synthetic, seed_number)
        return
    settings = _settings()
    if demo and settings.production:
        raise click.ClickException("production refuses demo accounts")
    try:
        click.echo(str(load_seed(_db(), demo=demo, demo_reports=demo)))
    except RegistryError as exc:
        raise _fail(exc) from exc


def _seed_synthetic(scale: str, seed_number: int) -> None:
    """The synthetic set, with a progress bar on a terminal (nothing but the summary otherwise)."""
    import time

    from registry.synthetic.build import build, work_units

    began = time.perf_counter()
    try:
        if sys.stderr.isatty():
            regions, items = work_units(scale, seed_number)
            with click.progressbar(length=len(regions) + len(items), label=f"synthetic {scale}",
                                   file=sys.stderr) as bar:
                report = build(_db(), scale, seed_number, progress=bar.update)
        else:
            report = build(_db(), scale, seed_number)
    except RegistryError as exc:
        raise _fail(exc) from exc
    click.echo(f"{report} in {time.perf_counter() - began:.1f} s")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
def run(host: str, port: int, workers: int) -> None:
    """Serve the app with granian (a production ASGI server)."""
    from granian import Granian
    from granian.constants import Interfaces

    settings = _settings().with_secret()  # creates var/secret.key once, before any worker starts
    try:
        settings.check_production()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    if settings.is_sqlite and workers > 1:
        click.echo("note: several workers share one SQLite file; writes are serialised", err=True)
    if not settings.configured("background_tasks"):
        # The server runs the daily job and sends notifications itself unless told not to; the workers read
        # their settings from the environment, so the default travels there.
        os.environ["REGISTRY_BACKGROUND_TASKS"] = "1"
    _sweep_evidence(settings)
    # Workers start as fresh interpreters. A forked worker inherits the main process's SIGTERM handler, which
    # only sets a flag in the worker's copy: a SIGTERM during its start-up was lost, so it went on serving until
    # the main process killed it, requests and all, SHUTDOWN_GRACE_SECONDS later.
    multiprocessing.set_start_method("spawn", force=True)
    # glibc gives each thread of the worker's pool its own malloc arena, and each arena keeps what it freed: a
    # worker's RSS crept past its caches' budgets. Two arenas (unless the operator says otherwise) is the usual
    # setting for threaded Python servers; the workers, fresh interpreters, read it from the environment.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    # SIGTERM/SIGINT: granian stops accepting, lets requests under way finish, then stops the workers.
    Granian("registry.app:asgi_app", factory=True, address=host, port=port, workers=workers,
            interface=Interfaces.ASGI, workers_kill_timeout=SHUTDOWN_GRACE_SECONDS).serve()


def _sweep_evidence(settings: Settings) -> None:
    """Before any worker serves: remove evidence files an upload killed mid-way left without a row. A database
    that does not answer yet only postpones this to the next start (/readyz says 503 meanwhile)."""
    from sqlalchemy.exc import SQLAlchemyError

    from registry.db import Database
    from registry.reports.evidence import directory, sweep_orphans

    database = Database(settings.database_url)
    try:
        removed = sweep_orphans(database, directory(settings))
    except SQLAlchemyError as exc:
        click.echo(f"note: evidence files not swept ({type(exc).__name__}); the next start sweeps them", err=True)
        return
    finally:
        database.dispose()
    if removed:
        click.echo(f"removed {removed} evidence file(s) that no report names (an upload cut short)", err=True)


@main.group()
def users() -> None:
    """Accounts."""


@users.command("create")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(Role.values()))
@click.option("--department", "department", default=None, help="Department code (department, reviewer, office).")
@click.option("--region", "region", default=None, help="Region code (cadre).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(name: str, role: str, department: str | None, region: str | None, password_stdin: bool) -> None:
    """Create an account."""
    from registry.accounts.services import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        create_user(_db(), name, role, password, department, region)
    except RegistryError as exc:
        raise _fail(exc) from exc
    click.echo(f"created {role} {name}")


@users.command("disable")
@click.argument("name")
def users_disable(name: str) -> None:
    """Disable an account: no sign-in; its sessions and tokens stop working."""
    from registry.accounts.services import disable_user

    try:
        disable_user(_db(), name)
    except RegistryError as exc:
        raise _fail(exc) from exc
    click.echo(f"disabled {name}")


@main.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.argument("name")
def tokens_create(name: str) -> None:
    """Print a new API token for NAME as the only line on stdout."""
    from registry.accounts.services import create_token

    try:
        click.echo(create_token(_db(), name))
    except RegistryError as exc:
        raise _fail(exc) from exc


@tokens.command("revoke")
@click.argument("token")
def tokens_revoke(token: str) -> None:
    """Revoke TOKEN."""
    from registry.accounts.services import revoke_token

    try:
        revoke_token(_db(), token)
    except RegistryError as exc:
        raise _fail(exc) from exc
    click.echo("revoked", err=True)


@main.group()
def ledger() -> None:
    """The public ledger."""


@ledger.command("verify")
def ledger_verify() -> None:
    """Check the hash chain and that the catalog equals the replay of the ledger."""
    from registry.catalog.integrity import verify_ledger_and_catalog

    with _db().read() as session:
        verdict = verify_ledger_and_catalog(session)
    click.echo(verdict.line)
    sys.exit(0 if verdict.ok else 1)


@main.group()
def lifecycle() -> None:
    """The daily job."""


@lifecycle.command("run")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The job's day (YYYY-MM-DD); default: today in Asia/Shanghai.")
def lifecycle_run(today) -> None:  # type: ignore[no-untyped-def]
    """Run every daily task not yet done for the day; one line per task. Safe to repeat."""
    from registry.lifecycle.job import run_daily_job
    from registry.timeutil import local_date, utcnow

    day = today.date() if today is not None else local_date(utcnow())
    lines = run_daily_job(_db(), day, _settings(), wait_seconds=LOCK_WAIT_SECONDS)
    if lines is None:
        raise click.ClickException(f"another run of the daily job held its lock for {LOCK_WAIT_SECONDS} seconds")
    for line in lines:
        click.echo(str(line))
    if any(line.outcome == TaskOutcome.FAILED for line in lines):
        sys.exit(1)


@main.group()
def notifications() -> None:
    """The notification outbox."""


@notifications.command("send")
def notifications_send() -> None:
    """Post every due notification to REGISTRY_WEBHOOK_URL now (the server also does this by itself)."""
    from registry.notifications.sender import send_due, waiting

    settings, db_ = _settings(), _db()
    if not settings.webhook_url:
        click.echo(f"REGISTRY_WEBHOOK_URL is not set: nothing sent; waiting={waiting(db_)}")
        return
    report = send_due(db_, settings)
    click.echo(f"{report} waiting={waiting(db_)}")


@notifications.command("test")
def notifications_test() -> None:
    """Queue a test message for the office's webhook; the next send delivers it."""
    from registry import i18n
    from registry.notifications.services import TEST_BODY, TEST_SUBJECT, enqueue_test_message

    i18n.set_language(_settings().language)  # the message is stored as the group will read it
    queued = enqueue_test_message(_db(), i18n.gettext(TEST_SUBJECT), i18n.gettext(TEST_BODY))
    click.echo(f"queued notification {queued}")


@main.command()
@click.option("--region", "region_code", required=True)
@click.option("--format", "fmt", required=True, type=click.Choice(["csv", "xlsx", "json"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export(region_code: str, fmt: str, output: Path | None) -> None:
    """Export a region's official list (CSV/XLSX: a header row, then one row per item)."""
    from registry.catalog.export import export_region

    db_ = _db()
    try:
        data = export_region(db_, region_code, fmt, _settings().language)
    except RegistryError as exc:
        raise _fail(exc) from exc
    if output is None:
        sys.stdout.buffer.write(data)
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from exc
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write registry-<UTC time>.db|.dump into this directory instead of FILE (for a schedule).")
@click.option("--keep", type=click.IntRange(1, 100_000), default=None,
              help="With --dir: then delete all but the KEEP newest backups there.")
def backup(file: Path | None, directory: Path | None, keep: int | None) -> None:
    """Write a consistent online backup of the whole database to FILE, or into --dir with --keep retention."""
    from registry.backup import BackupError, prune, scheduled_path
    from registry.backup import backup as run_backup

    if (file is None) == (directory is None):
        raise click.UsageError("give either FILE or --dir")
    if keep is not None and directory is None:
        raise click.UsageError("--keep needs --dir")
    url = _settings().database_url
    target = file if file is not None else scheduled_path(url, directory)  # type: ignore[arg-type]
    try:
        run_backup(url, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backed up to {target}")
    if directory is not None and keep is not None:
        for removed in prune(directory, keep):
            click.echo(f"removed {removed}", err=True)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Replace the whole database with the backup in FILE."""
    from registry.backup import BackupError
    from registry.backup import restore as run_restore

    try:
        run_restore(_settings().database_url, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored from {file}")
