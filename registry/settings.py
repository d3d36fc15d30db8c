"""One Settings object built from the REGISTRY_* environment variables (contract §1), read by pydantic-settings:
a .env file overlaid by the real environment, which always wins."""

import os
import secrets
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

LANGUAGES = ("zh-Hans", "en")
WEAK_SECRETS = {"", "secret", "changeme", "change-me", "dev", "development", "test", "password"}
MIN_SECRET_LENGTH = 32
PREFIX = "REGISTRY_"

# Where `Settings.from_env` reads from while it builds one object; a plain `Settings(...)` reads nothing but its
# arguments, so tests and scripts that construct settings are never changed by the caller's environment.
_SOURCES: ContextVar[tuple[Mapping[str, str], Path] | None] = ContextVar("registry_settings_sources", default=None)


class SettingsError(RuntimeError):
    """Raised when the configuration is unusable or unsafe for the chosen environment."""


class _MappingEnvSource(EnvSettingsSource):
    """The environment source of pydantic-settings over a given mapping instead of os.environ."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


def _http_url(name: str, value: str, *, base: bool) -> str:
    """An http(s) URL with a host; a base URL also has no query or fragment and loses its trailing slash."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise ValueError(f"{name} must be an http:// or https:// URL with a host")
    if base and (parts.query or parts.fragment):
        raise ValueError(f"{name} must not have a query or a fragment")
    return value.rstrip("/") if base else value


class Settings(BaseSettings):
    """The app's configuration; immutable. Build it with `Settings.from_env()` to read REGISTRY_* variables."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, env_ignore_empty=True, extra="ignore", frozen=True,
                                      str_strip_whitespace=True)

    database_url: str = ""  # empty: the SQLite file var/registry.db (below var_dir)
    secret_key: str = ""
    env: str = "development"
    language: str = "zh-Hans"
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = ("127.0.0.1", "localhost")
    cookie_secure: bool = False  # production turns it on unless REGISTRY_COOKIE_SECURE says otherwise
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
    webhook_max_attempts: Annotated[int, Field(ge=1, le=100)] = 8
    webhook_backoff_seconds: Annotated[float, Field(ge=0.01, le=86400)] = 30.0
    # The daily job and the notification sender run inside the server only when this is on (`registry run`
    # turns it on), so that apps built by tests or scripts never start background threads.
    background_tasks: bool = False
    background_poll_seconds: Annotated[float, Field(ge=0.05, le=3600)] = 5.0
    # Requests one worker serves at once; the next gets a fast 503 with Retry-After (the probes are never refused).
    max_in_flight: Annotated[int, Field(ge=1, le=100_000)] = 64

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources = _SOURCES.get()
        if sources is None:
            return (init_settings,)
        environ, dotenv = sources
        return (init_settings, _MappingEnvSource(settings_cls, environ),
                DotEnvSettingsSource(settings_cls, env_file=dotenv, env_file_encoding="utf-8"))

    @model_validator(mode="before")
    @classmethod
    def _derived_defaults(cls, values: Any) -> Any:
        """The SQLite file lives in var_dir; cookies are Secure by default in production only."""
        if isinstance(values, dict):
            values = dict(values)
            if not str(values.get("database_url") or "").strip():
                values["database_url"] = f"sqlite:///{values.get('var_dir') or 'var'}/registry.db"
            if str(values.get("cookie_secure", "")).strip() == "":
                values["cookie_secure"] = str(values.get("env", "")).strip() == "production"
        return values

    @field_validator("env", "language", mode="before")
    @classmethod
    def _blank_is_default(cls, value: Any, info: Any) -> Any:
        return value if str(value).strip() else cls.model_fields[info.field_name].default

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(h.strip() for h in value.split(",") if h.strip())
        return value

    @field_validator("public_url")
    @classmethod
    def _public_base(cls, value: str) -> str:
        return _http_url(PREFIX + "PUBLIC_URL", value, base=True)

    @field_validator("webhook_url")
    @classmethod
    def _webhook(cls, value: str) -> str:
        return _http_url(PREFIX + "WEBHOOK_URL", value, base=False) if value else ""

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
    def from_env(cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = None) -> "Settings":
        """Build settings from a .env file overlaid by the real environment (which always wins).

        Raises SettingsError naming the variable when a value is unusable."""
        token = _SOURCES.set((os.environ if environ is None else environ,
                              dotenv if dotenv is not None else Path(".env")))
        try:
            return cls()
        except ValidationError as exc:
            problems = "; ".join(f"{PREFIX}{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
            raise SettingsError(problems) from None
        finally:
            _SOURCES.reset(token)

    def configured(self, name: str) -> bool:
        """Whether REGISTRY_<NAME> was given (by the environment, the .env file or an argument)."""
        return name in self.model_fields_set

    def with_secret(self) -> "Settings":
        """Return settings whose secret comes from the environment or var/secret.key (created once)."""
        if self.secret_key:
            return self
        return self.model_copy(update={"secret_key": ensure_secret_file(self.var_dir / "secret.key")})

    def check_production(self) -> None:
        """Refuse unsafe production settings: weak secret or debug on."""
        if not self.production:
            return
        if self.secret_key.strip().lower() in WEAK_SECRETS or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise SettingsError("REGISTRY_SECRET_KEY is weak: production needs at least 32 random characters")
        if self.debug:
            raise SettingsError("debug must be off in production")


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
