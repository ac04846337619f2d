"""The one list of the bot's conversation channels. Adding a channel is its
module (with its SPEC) plus its secrets in credentials.yml; the launcher's
banner and environment, `make cluster`, the HTTP guard and the staff report
read this list."""

from typing import Dict, List, Mapping, Optional, Tuple

from bot.channels import facebook, rest, webchat, zalo
from bot.channels.spec import ChannelSpec, Shows

# Rasa's own terminal channel (`make shell`), for staff trying the bot.
SHELL = ChannelSpec(name="cmdline", label="Shell", report_label="Cán bộ thử trên máy (shell)", shows=Shows())
OTHER_LABEL = "Khác"

CHANNELS: Tuple[ChannelSpec, ...] = (webchat.SPEC, facebook.SPEC, zalo.SPEC, rest.SPEC, SHELL)


def by_name(name: str) -> Optional[ChannelSpec]:
    return next((spec for spec in CHANNELS if spec.name == name), None)


def label(input_channel: str) -> str:
    spec = by_name(input_channel)
    return spec.label if spec else OTHER_LABEL


def report_labels() -> Dict[str, str]:
    return {**{spec.label: spec.report_label for spec in CHANNELS}, OTHER_LABEL: OTHER_LABEL}


def secrets() -> List[str]:
    return [name for spec in CHANNELS for name in spec.secrets]


def platform_paths() -> Tuple[str, ...]:
    """Webhook paths the platforms' servers post to (not limited per address)."""
    return tuple(spec.webhook.rsplit("/", 1)[0] + "/" for spec in CHANNELS if spec.platform_posts and spec.webhook)


def status_lines(env: Mapping[str, str]) -> List[str]:
    """One line per channel that needs secrets: on (where), or what turns it on."""
    lines = []
    for spec in CHANNELS:
        if not spec.secrets:
            continue
        missing = spec.missing(env)
        if missing:
            lines.append(f"{spec.label}: off (set {', '.join(missing)} to turn it on)")
        else:
            lines.append(f"{spec.label}: on, webhook at {spec.webhook}")
    return lines
