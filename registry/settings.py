"""One Settings object built from the REGISTRY_* environment variables (contract §1)."""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

LANGUAGES = ("zh-Hans", "en")
WEAK_SECRETS = {"", "secret", "changeme", "change-me", "dev", "development", "test", "password"}
MIN_SECRET_LENGTH = 32


class SettingsError(RuntimeError):
    """Raised when the configuration is unusable or unsafe for the chosen environment."""


def _read_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines of a .env file; comments and blank lines are ignored."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip().removeprefix("export ").strip()] = value
    return values


def configured_variables(environ: dict[str, str] | None = None, dotenv: Path | None = None) -> dict[str, str]:
    """The variables of the .env file overlaid by the real environment (which always wins)."""
    merged = _read_dotenv(dotenv if dotenv is not None else Path(".env"))
    merged.update(os.environ if environ is None else environ)
    return merged


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _number(merged: dict[str, str], name: str, default: float, minimum: float, maximum: float) -> float:
    raw = merged.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number") from None
    if not minimum <= value <= maximum:
        raise SettingsError(f"{name} must be between {minimum:g} and {maximum:g}")
    return value


def _http_url(name: str, value: str, *, base: bool) -> str:
    """An http(s) URL with a host; a base URL also has no query or fragment and loses its trailing slash."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise SettingsError(f"{name} must be an http:// or https:// URL with a host")
    if base and (parts.query or parts.fragment):
        raise SettingsError(f"{name} must not have a query or a fragment")
    return value.rstrip("/") if base else value


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///var/registry.db"
    secret_key: str = ""
    env: str = "development"
    language: str = "zh-Hans"
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    cookie_secure: bool = False
    var_dir: Path = Path("var")
    max_body_bytes: int = 1024 * 1024
    session_idle_seconds: int = 30 * 60
    session_absolute_seconds: int = 8 * 3600
    login_max_failures: int = 5
    login_window_seconds: int = 15 * 60
    debug: bool = False
    # Every absolute link the app writes (feeds, notifications, exports) starts with this, never the Host header.
    public_url: str = "http://127.0.0.1:8000"
    # Where notifications are posted (a DingTalk robot or anything that takes its JSON); empty: they wait.
    webhook_url: str = ""
    webhook_max_attempts: int = 8
    webhook_backoff_seconds: float = 30.0
    # The daily job and the notification sender run inside the server only when this is on (`registry run`
    # turns it on), so that apps built by tests or scripts never start background threads.
    background_tasks: bool = False
    background_poll_seconds: float = 5.0
    # Requests one worker serves at once; the next gets a fast 503 with Retry-After (the probes are never refused).
    max_in_flight: int = 64
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def absolute_url(self, path: str) -> str:
        """The public address of a site path ("/duties/D00001" → "https://…/duties/D00001")."""
        if not path.startswith("/") or path.startswith("//"):
            raise ValueError(f"not a site path: {path!r}")
        return self.public_url + path

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, dotenv: Path | None = None) -> "Settings":
        """Build settings from a .env file overlaid by the real environment (which always wins)."""
        merged = configured_variables(environ, dotenv)
        env = merged.get("REGISTRY_ENV", "development").strip() or "development"
        language = merged.get("REGISTRY_LANGUAGE", "zh-Hans").strip() or "zh-Hans"
        if language not in LANGUAGES:
            raise SettingsError(f"REGISTRY_LANGUAGE must be one of {', '.join(LANGUAGES)}")
        hosts = tuple(
            h.strip() for h in merged.get("REGISTRY_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
        )
        var_dir = Path(merged.get("REGISTRY_VAR_DIR", "var"))
        webhook = merged.get("REGISTRY_WEBHOOK_URL", "").strip()
        return cls(
            database_url=merged.get("REGISTRY_DATABASE_URL", "").strip() or f"sqlite:///{var_dir}/registry.db",
            secret_key=merged.get("REGISTRY_SECRET_KEY", "").strip(),
            env=env,
            language=language,
            allowed_hosts=hosts,
            cookie_secure=_flag(merged.get("REGISTRY_COOKIE_SECURE"), env == "production"),
            var_dir=var_dir,
            debug=_flag(merged.get("REGISTRY_DEBUG"), False),
            public_url=_http_url("REGISTRY_PUBLIC_URL",
                                 merged.get("REGISTRY_PUBLIC_URL", "").strip() or cls.public_url, base=True),
            webhook_url=_http_url("REGISTRY_WEBHOOK_URL", webhook, base=False) if webhook else "",
            webhook_max_attempts=int(_number(merged, "REGISTRY_WEBHOOK_MAX_ATTEMPTS", cls.webhook_max_attempts,
                                             1, 100)),
            webhook_backoff_seconds=_number(merged, "REGISTRY_WEBHOOK_BACKOFF_SECONDS", cls.webhook_backoff_seconds,
                                            0.01, 86400),
            background_tasks=_flag(merged.get("REGISTRY_BACKGROUND_TASKS"), False),
            background_poll_seconds=_number(merged, "REGISTRY_BACKGROUND_POLL_SECONDS", cls.background_poll_seconds,
                                            0.05, 3600),
            max_in_flight=int(_number(merged, "REGISTRY_MAX_IN_FLIGHT", cls.max_in_flight, 1, 100_000)),
        )

    def with_secret(self) -> "Settings":
        """Return settings whose secret comes from the environment or var/secret.key (created once)."""
        if self.secret_key:
            return self
        return _replace(self, secret_key=ensure_secret_file(self.var_dir / "secret.key"))

    def check_production(self) -> None:
        """Refuse unsafe production settings: weak secret or debug on."""
        if not self.production:
            return
        if self.secret_key.strip().lower() in WEAK_SECRETS or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise SettingsError("REGISTRY_SECRET_KEY is weak: production needs at least 32 random characters")
        if self.debug:
            raise SettingsError("debug must be off in production")


def _replace(settings: Settings, **changes: object) -> Settings:
    from dataclasses import replace

    return replace(settings, **changes)


def ensure_secret_file(path: Path) -> str:
    """Read the secret from *path*, creating it atomically with a random value when absent."""
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its value
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value
