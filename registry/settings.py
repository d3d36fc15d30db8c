"""One Settings object built from the REGISTRY_* environment variables (contract §1)."""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

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


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


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
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, dotenv: Path | None = None) -> "Settings":
        """Build settings from a .env file overlaid by the real environment (which always wins)."""
        merged = _read_dotenv(dotenv if dotenv is not None else Path(".env"))
        merged.update(os.environ if environ is None else environ)
        env = merged.get("REGISTRY_ENV", "development").strip() or "development"
        language = merged.get("REGISTRY_LANGUAGE", "zh-Hans").strip() or "zh-Hans"
        if language not in LANGUAGES:
            raise SettingsError(f"REGISTRY_LANGUAGE must be one of {', '.join(LANGUAGES)}")
        hosts = tuple(
            h.strip() for h in merged.get("REGISTRY_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
        )
        var_dir = Path(merged.get("REGISTRY_VAR_DIR", "var"))
        return cls(
            database_url=merged.get("REGISTRY_DATABASE_URL", "").strip() or f"sqlite:///{var_dir}/registry.db",
            secret_key=merged.get("REGISTRY_SECRET_KEY", "").strip(),
            env=env,
            language=language,
            allowed_hosts=hosts,
            cookie_secure=_flag(merged.get("REGISTRY_COOKIE_SECURE"), env == "production"),
            var_dir=var_dir,
            debug=_flag(merged.get("REGISTRY_DEBUG"), False),
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
