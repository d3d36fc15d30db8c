"""Settings from REGISTRY_* variables (contract §1): defaults, .env overlaid by the real environment,
production refusals, and the generated secret key."""

import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from registry.app import create_app
from registry.settings import MIN_SECRET_LENGTH, WEAK_SECRETS, Settings, SettingsError

STRONG = "k" * 20 + "9Qz_7fHw2LmXo4Rt"  # 36 characters, not a known weak value


def no_dotenv(tmp_path: Path) -> Path:
    return tmp_path / "absent.env"


def test_defaults_follow_the_contract_table(tmp_path):
    s = Settings.from_env(environ={}, dotenv=no_dotenv(tmp_path))
    assert s.database_url == "sqlite:///var/registry.db"
    assert s.env == "development"
    assert s.language == "zh-Hans"
    assert s.allowed_hosts == ("127.0.0.1", "localhost")
    assert s.cookie_secure is False
    assert s.secret_key == ""  # generated later into var/secret.key
    assert s.debug is False
    assert s.max_body_bytes == 1024 * 1024


def test_real_environment_wins_over_dotenv(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# a comment\n"
        "REGISTRY_LANGUAGE=en\n"
        "export REGISTRY_ALLOWED_HOSTS='from-dotenv.example'\n"
        'REGISTRY_DATABASE_URL="sqlite:///from-dotenv.db"\n',
        encoding="utf-8",
    )
    only_file = Settings.from_env(environ={}, dotenv=dotenv)
    assert only_file.language == "en"
    assert only_file.allowed_hosts == ("from-dotenv.example",)
    assert only_file.database_url == "sqlite:///from-dotenv.db"

    both = Settings.from_env(
        environ={"REGISTRY_LANGUAGE": "zh-Hans", "REGISTRY_DATABASE_URL": "sqlite:///from-env.db"}, dotenv=dotenv
    )
    assert both.language == "zh-Hans"
    assert both.database_url == "sqlite:///from-env.db"
    assert both.allowed_hosts == ("from-dotenv.example",)  # not overridden: the file's value stays


def test_allowed_hosts_are_comma_separated_and_trimmed(tmp_path):
    s = Settings.from_env(environ={"REGISTRY_ALLOWED_HOSTS": " registry.example.gov.cn , 10.0.0.5,,"},
                          dotenv=no_dotenv(tmp_path))
    assert s.allowed_hosts == ("registry.example.gov.cn", "10.0.0.5")


@pytest.mark.parametrize(
    ("env", "flag", "expected"),
    [
        ("development", None, False),
        ("production", None, True),
        ("production", "false", False),
        ("production", "0", False),
        ("development", "true", True),
        ("development", "1", True),
    ],
)
def test_cookie_secure_defaults_to_true_only_in_production(tmp_path, env, flag, expected):
    environ = {"REGISTRY_ENV": env}
    if flag is not None:
        environ["REGISTRY_COOKIE_SECURE"] = flag
    assert Settings.from_env(environ=environ, dotenv=no_dotenv(tmp_path)).cookie_secure is expected


@pytest.mark.parametrize("language", ["fr", "zh-CN-x", "english", "de"])
def test_unknown_language_is_refused(tmp_path, language):
    with pytest.raises(SettingsError):
        Settings.from_env(environ={"REGISTRY_LANGUAGE": language}, dotenv=no_dotenv(tmp_path))


@pytest.mark.parametrize("language", ["zh-Hans", "en"])
def test_supported_languages_are_accepted(tmp_path, language):
    assert Settings.from_env(environ={"REGISTRY_LANGUAGE": language}, dotenv=no_dotenv(tmp_path)).language == language


WEAK = sorted(WEAK_SECRETS - {""}) + ["", "short", "a" * (MIN_SECRET_LENGTH - 1), "CHANGEME", "  password  "]


@pytest.mark.parametrize("secret", WEAK)
def test_production_refuses_a_weak_secret(secret):
    with pytest.raises(SettingsError):
        Settings(env="production", secret_key=secret).check_production()


def test_production_accepts_a_strong_secret_and_development_accepts_anything():
    Settings(env="production", secret_key=STRONG).check_production()
    Settings(env="development", secret_key="dev", debug=True).check_production()


def test_production_refuses_debug():
    with pytest.raises(SettingsError):
        Settings(env="production", secret_key=STRONG, debug=True).check_production()


def test_debug_from_environment_is_refused_in_production(tmp_path):
    s = Settings.from_env(
        environ={"REGISTRY_ENV": "production", "REGISTRY_SECRET_KEY": STRONG, "REGISTRY_DEBUG": "1"},
        dotenv=no_dotenv(tmp_path),
    )
    with pytest.raises(SettingsError):
        s.check_production()


def test_secret_key_file_is_created_once_private_and_reused(tmp_path):
    var = tmp_path / "var"
    first = Settings(var_dir=var).with_secret()
    key_file = var / "secret.key"
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.secret_key) >= MIN_SECRET_LENGTH
    assert first.secret_key not in WEAK_SECRETS
    before = key_file.read_bytes()

    second = Settings(var_dir=var).with_secret()
    assert second.secret_key == first.secret_key
    assert key_file.read_bytes() == before

    other = Settings(var_dir=tmp_path / "elsewhere").with_secret()
    assert other.secret_key != first.secret_key  # random, not a constant


def test_secret_from_environment_wins_and_writes_no_file(tmp_path):
    s = Settings(var_dir=tmp_path / "var", secret_key=STRONG).with_secret()
    assert s.secret_key == STRONG
    assert not (tmp_path / "var" / "secret.key").exists()


def test_create_app_in_production_refuses_enabled_demo_accounts(settings, db):
    production = settings.model_copy(update=dict(env="production", secret_key=STRONG, cookie_secure=True))
    with pytest.raises(SettingsError):
        create_app(production, db)
    with db.write() as session:
        session.execute(text("UPDATE users SET disabled = :yes WHERE demo = :yes"), {"yes": True})
    create_app(production, db)  # every demo account disabled: it starts


def test_create_app_in_production_refuses_a_weak_secret(settings, db):
    with db.write() as session:
        session.execute(text("UPDATE users SET disabled = :yes WHERE demo = :yes"), {"yes": True})
    with pytest.raises(SettingsError):
        create_app(settings.model_copy(update=dict(env="production", secret_key="changeme")), db)


@pytest.mark.parametrize(("name", "value"), [
    ("REGISTRY_WEBHOOK_MAX_ATTEMPTS", "0"), ("REGISTRY_WEBHOOK_MAX_ATTEMPTS", "many"),
    ("REGISTRY_BACKGROUND_POLL_SECONDS", "0.001"), ("REGISTRY_DEBUG", "perhaps"),
])
def test_an_unusable_value_is_refused_naming_the_variable(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env(environ={name: value}, dotenv=no_dotenv(tmp_path))


def test_settings_built_in_code_ignore_the_callers_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("REGISTRY_LANGUAGE", "en")
    monkeypatch.setenv("REGISTRY_DEBUG", "1")
    assert Settings(var_dir=tmp_path).language == "zh-Hans"
    assert Settings(var_dir=tmp_path).debug is False
    assert Settings.from_env(dotenv=no_dotenv(tmp_path)).language == "en"  # from_env reads the real environment


def test_the_cli_knows_whether_a_variable_was_given(tmp_path):
    assert not Settings.from_env(environ={}, dotenv=no_dotenv(tmp_path)).configured("background_tasks")
    assert Settings.from_env(environ={"REGISTRY_BACKGROUND_TASKS": "0"},
                             dotenv=no_dotenv(tmp_path)).configured("background_tasks")
