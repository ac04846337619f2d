"""Staff edit the department's settings from the workbench: the hotline
and contact addresses, the official links, the hotline's hours.

Each value is checked for what it is (a phone number stays a quoted
string, a link must be https, hours must parse), the file is rewritten
with ruamel.yaml's round trip so its comments and quotes stay, the result
must load as settings (bot/settings.py) or nothing changes, and the
servers read it again on their next answer.
"""

import io
import re
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlparse

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.settings import WEEKDAYS, SettingsError, load_settings, settings_path
from bot.teaching import TeachingError, data_lock

_PHONE = re.compile(r"^\+?[\d .\-]{8,20}$")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# ruamel.yaml writes characters beyond the first 65536 (emoji) as escapes
# in double quotes; staff read the file, so they are written back as is.
_ESCAPED = re.compile(r"(?<!\\)\\U([0-9A-Fa-f]{8})")
CONTACT = ("hotline", "support_email", "moh_hotline")


def _yaml() -> YAML:
    handler = YAML()
    handler.preserve_quotes = True
    handler.allow_unicode = True  # 👍 stays 👍
    handler.width = 4096  # never fold a long line
    handler.indent(mapping=2, sequence=4, offset=2)  # as the file is written
    return handler


def current(path: Optional[Path] = None) -> Dict[str, Any]:
    raw = _yaml().load((path or settings_path()).read_text(encoding="utf-8"))
    hours = raw["office_hours"]
    return {
        "contact": {key: str(raw["contact"][key]) for key in CONTACT},
        "links": {key: str(url) for key, url in raw["links"].items()},
        "office_hours": {
            "confirmed": bool(hours.get("confirmed")),
            "days": [str(d) for d in hours["days"]],
            "periods": [[str(a), str(b)] for a, b in hours["periods"]],
            "closed_days": [str(d) for d in hours.get("closed_days") or []],
        },
    }


def _shape_ok(values: Any) -> bool:
    """Sections as `current()` gives them, whatever a client sends."""
    if not isinstance(values, dict) or set(values) - {"contact", "links", "office_hours"}:
        return False
    if not all(isinstance(values.get(k, {}), dict) for k in ("contact", "links", "office_hours")):
        return False
    if set(values.get("contact", {})) - set(CONTACT):
        return False
    if not all(isinstance(v, str) for section in ("contact", "links") for v in values.get(section, {}).values()):
        return False
    hours = values.get("office_hours", {})
    if set(hours) - {"confirmed", "days", "periods", "closed_days"}:
        return False
    lists = [hours.get(k, []) for k in ("days", "periods", "closed_days")]
    return (
        isinstance(hours.get("confirmed", False), bool)
        and all(isinstance(x, list) for x in lists)
        and all(isinstance(p, list) and len(p) == 2 for p in hours.get("periods", []))
    )


def _check(values: Dict[str, Any], known_links: List[str]) -> List[str]:
    if not _shape_ok(values):
        return ["Dữ liệu gửi lên không đúng dạng cài đặt."]
    said = []
    contact, links, hours = values.get("contact", {}), values.get("links", {}), values.get("office_hours", {})
    for key in ("hotline", "moh_hotline"):
        if key in contact and not _PHONE.match(str(contact[key]).strip()):
            said.append(f"Số điện thoại {key} không hợp lệ: {contact[key]}")
    if "support_email" in contact and not _EMAIL.match(str(contact["support_email"]).strip()):
        said.append(f"Địa chỉ e-mail không hợp lệ: {contact['support_email']}")
    for key, url in links.items():
        parsed = urlparse(str(url).strip())
        if key not in known_links:
            said.append(f"Không có đường link tên {key}.")
        elif parsed.scheme != "https" or not parsed.netloc:
            said.append(f"Đường link {key} phải bắt đầu bằng https:// ({url})")
    for start, end in hours.get("periods", []):
        if not (_TIME.match(str(start)) and _TIME.match(str(end)) and str(start) < str(end)):
            said.append(f"Ca làm việc không hợp lệ: {start}-{end} (dạng 07:00-11:00)")
    if set(hours.get("days", [])) - set(WEEKDAYS):
        said.append("Ngày làm việc chỉ gồm: " + ", ".join(WEEKDAYS))
    for day in hours.get("closed_days", []):
        try:
            date.fromisoformat(str(day))
        except ValueError:
            said.append(f"Ngày nghỉ không hợp lệ: {day} (dạng 2027-02-11)")
    return said


def change(values: Dict[str, Any], path: Optional[Path] = None) -> List[Tuple[str, str, str]]:
    """Applies the values given (any of `current()`'s); returns what changed
    as (name, before, after)."""
    path = path or settings_path()
    before = current(path)
    said = _check(values, list(before["links"]))
    if said:
        raise TeachingError(" ".join(said))
    with data_lock():
        text = path.read_text(encoding="utf-8")
        raw = _yaml().load(text)
        changed = []
        for section in ("contact", "links"):
            for key, value in (values.get(section) or {}).items():
                value = str(value).strip()
                if str(raw[section][key]) != value:
                    changed.append((f"{section}.{key}", str(raw[section][key]), value))
                    raw[section][key] = DoubleQuotedScalarString(value)
        hours = values.get("office_hours") or {}
        for key in ("confirmed", "days", "periods", "closed_days"):
            if key in hours and before["office_hours"][key] != hours[key]:
                changed.append((f"office_hours.{key}", str(before["office_hours"][key]), str(hours[key])))
                raw["office_hours"][key] = _hours_value(key, hours[key])
        if not changed:
            return []
        out = io.StringIO()
        _yaml().dump(raw, out)
        new_text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), out.getvalue())
        if not _only(changed, yaml.safe_load(text), yaml.safe_load(new_text)):
            raise TeachingError("Không lưu được cài đặt; hãy báo bộ phận kỹ thuật.")
        path.write_text(new_text, encoding="utf-8")
        try:
            load_settings(str(path))
        except (SettingsError, OSError) as error:
            path.write_text(text, encoding="utf-8")
            raise TeachingError(f"Không lưu được cài đặt: {error}") from None
    return changed


def _only(changed: List[Tuple[str, str, str]], old: Dict[str, Any], new: Dict[str, Any]) -> bool:
    """Whether the file read back differs from before in the changed values only."""
    names = {name for name, _, _ in changed}
    for section, values in old.items():
        if not isinstance(values, dict):
            if new.get(section) != values:
                return False
            continue
        for key, value in values.items():
            if f"{section}.{key}" not in names and (new.get(section) or {}).get(key) != value:
                return False
    return set(new) == set(old)


def _hours_value(key: str, value: Any) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    def flow(items: List[Any]) -> CommentedSeq:
        seq = CommentedSeq(items)
        seq.fa.set_flow_style()
        return seq

    if key == "confirmed":
        return bool(value)
    if key == "periods":
        return [flow([DoubleQuotedScalarString(a), DoubleQuotedScalarString(b)]) for a, b in value]
    return flow([str(v) for v in value])
