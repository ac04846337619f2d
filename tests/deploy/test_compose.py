"""deploy/docker-compose.yml, checked by Debian's docker-compose (`make
compose`): no Docker engine runs here, but `config` resolves and validates
the file against the Compose schema."""

import os
import subprocess

import pytest
import yaml

from bot.paths import project_path

# Debian's docker-compose comes with `make test` (`make compose`).
pytestmark = pytest.mark.stack

COMPOSE_FILE = str(project_path("deploy/docker-compose.yml"))


def compose_config(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "FB_"))}
    environment.update(env)
    return subprocess.run(
        ["docker-compose", "-p", "bluezone", "-f", COMPOSE_FILE, "config"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def test_the_compose_file_is_valid_and_every_service_gets_its_settings():
    result = compose_config(POSTGRES_PASSWORD="s3cret")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"postgres", "redis", "actions", "rasa", "nginx", "purge"}
    for name in ("rasa", "purge"):
        env = services[name]["environment"]
        assert env["DB_HOST"] == "postgres" and env["DB_PASSWORD"] == "s3cret"
        assert env["REDIS_HOST"] == "redis"
    assert services["rasa"]["environment"]["ACTION_ENDPOINT_URL"] == "http://actions:5055/webhook"
    # Only nginx is published; it proxies to the `rasa` service by name.
    assert [name for name, service in services.items() if service.get("ports")] == ["nginx"]
    with open(project_path("deploy/nginx.compose.conf"), encoding="utf-8") as handle:
        assert "server rasa:5005" in handle.read()


def test_the_database_password_must_come_from_the_environment():
    result = compose_config()
    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD" in result.stderr
