"""The registry is the one list of channels: what opens a conversation is
in it, and what is configured elsewhere agrees with it."""

import importlib
import re
from pathlib import Path

import yaml

from actions import escalation
from bot.channels import handover, registry
from bot.channels.admin_report import AdminReportPage
from bot.channels.webpage import WebChatPage
from bot.channels.workbench import WorkbenchPage
from bot.cluster import Cluster, nginx_config

ROOT = Path(__file__).resolve().parents[3]
# Pages the Rasa server serves that are not conversations.
# (The workbench's trials never reach the conversation store.)
PAGES = {WebChatPage.name(), AdminReportPage.name(), WorkbenchPage.name()}


def configured_channels():
    for path in yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8")):
        module, _, name = path.rpartition(".")
        yield getattr(importlib.import_module(module), name)


def test_every_configured_conversation_channel_is_registered():
    names = {channel.name() for channel in configured_channels()} - PAGES
    assert names <= {spec.name for spec in registry.CHANNELS}
    assert {"socketio", "facebook", "zalo", "rest"} <= names


def test_credentials_take_each_secret_from_the_environment():
    credentials = (ROOT / "credentials.yml").read_text(encoding="utf-8")
    for secret in registry.secrets():
        assert "${" + secret + "}" in credentials


def test_compose_passes_every_channel_secret_to_the_servers():
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text(encoding="utf-8"))
    assert set(registry.secrets()) <= set(compose["x-bot-environment"])


def test_nginx_sends_every_platform_webhook_to_any_server_without_the_address_limit(tmp_path):
    compose_conf = (ROOT / "deploy" / "nginx.compose.conf").read_text(encoding="utf-8")
    cluster_conf = nginx_config(Cluster(state_dir=tmp_path))
    for path in registry.platform_paths():
        for conf in (compose_conf, cluster_conf):
            assert f"location {path} {{ proxy_pass http://rasa_any; }}" in conf


def test_every_channel_has_a_label_for_the_staff_report():
    labels = registry.report_labels()
    assert all(labels[spec.label] for spec in registry.CHANNELS)
    assert registry.label("zalo") == "Zalo" and registry.label("telegram") == registry.OTHER_LABEL


def test_actions_never_name_a_channel():
    names = [spec.name for spec in registry.CHANNELS]
    for source in (ROOT / "actions").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+bot\.channels", text, re.MULTILINE), source
        for name in names:
            assert not re.search(rf"[\"']{name}[\"']", text), (source, name)


def test_the_action_and_the_channels_agree_on_the_hand_over_flag():
    assert escalation.STAFF_CAN_TAKE_OVER == handover.STAFF_CAN_TAKE_OVER


def test_a_client_cannot_claim_that_staff_watch_its_conversation():
    assert handover.unclaimed({handover.STAFF_CAN_TAKE_OVER: True, "lang": "vi"}) == {"lang": "vi"}
    assert handover.unclaimed(["not", "a", "dict"]) == {}
