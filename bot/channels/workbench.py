"""The staff workbench at /admin/ (bot/web/workbench/): staff try the bot
as a citizen would and see what it made of each turn (bot/staff_trial.py).
`python -m bot ask` uses the same API with a Bearer token.

A staff page (bot/channels/staff_access.py), as the report is. Staff also
label missed questions here (bot/teaching.py) and ship the change
(bot/shipping.py).
"""

import asyncio
import json
import re
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import answer_editing, new_family, rolling_deploy, settings_editing, shipping, staff_checks
from bot.audit import record
from bot.channels.staff_access import HEADERS, StaffPage
from bot.data_check import MAX_ANSWER_CHARS
from bot.settings import load_settings, peer_servers
from bot.staff_trial import Workbench
from bot.teaching import TeachingError, labels, taught, teach

WORKBENCH_DIR = Path(__file__).resolve().parent.parent / "web" / "workbench"
ASSETS = {"workbench.js": "application/javascript", "workbench.css": "text/css"}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PAGE_HEADERS = {**HEADERS, "Content-Security-Policy": CSP}
MAX_MESSAGE = 2000  # characters, as the citizens' channels allow
_CONVERSATION = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def json_object(body: bytes) -> Optional[Dict[str, Any]]:
    try:
        data = json.loads(body or b"")
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def said(body: bytes) -> Optional[Dict[str, str]]:
    """{"conversation", "message"} from a request body, or None if it is not that."""
    data = json_object(body)
    if data is None:
        return None
    conversation, message = data.get("conversation"), data.get("message")
    if not isinstance(conversation, str) or not _CONVERSATION.match(conversation):
        return None
    if not isinstance(message, str) or not message.strip() or len(message) > MAX_MESSAGE:
        return None
    return {"conversation": conversation, "message": message}


def missed_groups(engine: Any, first_day: Optional[date]) -> List[Dict[str, Any]]:
    from zoneinfo import ZoneInfo

    from bot.analytics.conversations import read_turns
    from bot.analytics.report import start_of
    from bot.analytics.review import review

    settings = load_settings()
    zone = ZoneInfo(settings.office_hours.timezone)
    turns = read_turns(engine, since=start_of(first_day, zone) if first_day else None)
    return review(turns, settings.report, set(taught()))


def label_choices() -> List[Dict[str, str]]:
    report = load_settings().report
    return [
        {"key": item.key, "topic": item.topic, "topic_name": report.topic(item.topic), "question": item.question}
        for item in labels()
    ]


class WorkbenchPage(StaffPage):
    def __init__(self, token: str = "") -> None:
        super().__init__(token)
        self.workbench: Optional[Workbench] = None
        self.swapping = asyncio.Lock()

    @classmethod
    def name(cls) -> str:
        return "workbench"

    def _workbench(self, agent: Any) -> Workbench:
        if self.workbench is None or self.workbench.agent is not agent:
            self.workbench = Workbench(agent)
        return self.workbench

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bench = Blueprint("workbench", __name__)
        page = (WORKBENCH_DIR / "index.html").read_text(encoding="utf-8")

        @bench.route("/", methods=["GET"])
        @self.staff_only
        async def index(request: Request) -> HTTPResponse:
            return response.html(page.replace("{csrf_token}", self.access.csrf_token), headers=PAGE_HEADERS)

        @bench.route("/static/<name>", methods=["GET"])
        @self.staff_only
        async def asset(request: Request, name: str) -> HTTPResponse:
            if name not in ASSETS:
                return response.text("Not found", status=404, headers=HEADERS)
            return response.raw(
                (WORKBENCH_DIR / name).read_bytes(), content_type=f"{ASSETS[name]}; charset=utf-8", headers=PAGE_HEADERS
            )

        @bench.route("/api/say", methods=["POST"])
        @self.staff_only
        async def say(request: Request) -> HTTPResponse:
            turn = said(request.body)
            if turn is None:
                return response.json(
                    {"error": "Cần {conversation: chữ/số/-, tối đa 64; message: 1 đến 2000 ký tự}."},
                    status=400,
                    headers=HEADERS,
                )
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"error": "Bot chưa sẵn sàng."}, status=503, headers=HEADERS)
            result = await self._workbench(agent).say(turn["conversation"], turn["message"])
            return response.json(result.as_json(), headers=HEADERS)

        @bench.route("/api/missed", methods=["GET"])
        @self.staff_only
        async def missed(request: Request) -> HTTPResponse:
            try:
                first_day = self.first_day(request)
            except ValueError as error:
                return response.json({"error": str(error)}, status=400, headers=HEADERS)
            engine = self.conversation_store(request)
            if engine is None:
                return response.json({"error": "Cần kho hội thoại SQL."}, status=503, headers=HEADERS)
            groups = await asyncio.get_running_loop().run_in_executor(None, missed_groups, engine, first_day)
            return response.json({"groups": groups, "labels": label_choices()}, headers=HEADERS)

        @bench.route("/api/label", methods=["POST"])
        @self.staff_only
        async def label(request: Request) -> HTTPResponse:
            data = json_object(request.body) or {}
            text, chosen = data.get("text"), data.get("label")
            if not isinstance(text, str) or not isinstance(chosen, str):
                return response.json({"error": "Cần {text, label}."}, status=400, headers=HEADERS)
            try:
                path = await asyncio.get_running_loop().run_in_executor(None, teach, text, chosen)
            except TeachingError as error:
                return response.json({"error": str(error)}, status=400, headers=HEADERS)
            record(self.access.who(request), "label", {"text": text, "label": chosen, "file": path.name})
            return response.json({"saved": path.name}, headers=HEADERS)

        @bench.route("/api/family", methods=["POST"])
        @self.staff_only
        async def add_family(request: Request) -> HTTPResponse:
            """A new question family, with its answer and the source it rests on."""
            data = json_object(request.body) or {}
            fields = ("topic", "name", "question", "answer", "fact", "source", "published")
            examples = data.get("examples")
            if not all(isinstance(data.get(f), str) for f in fields) or not (
                isinstance(examples, list) and all(isinstance(e, str) for e in examples)
            ):
                return response.json(
                    {"error": "Cần {" + ", ".join(fields) + ": chữ, examples: [câu...]}."}, status=400, headers=HEADERS
                )
            family = new_family.NewFamily(**{f: data[f] for f in fields}, examples=examples)
            who = self.access.who(request)
            try:
                key = await asyncio.get_running_loop().run_in_executor(None, new_family.add, family, who)
            except TeachingError as error:
                return response.json({"error": str(error)}, status=400, headers=HEADERS)
            record(who, "family", {**{f: data[f] for f in fields}, "examples": examples, "key": key})
            return response.json({"saved": key}, headers=HEADERS)

        @bench.route("/api/check", methods=["POST"])
        @self.staff_only
        async def keep_check(request: Request) -> HTTPResponse:
            """Keeps a tried conversation as one of staff's test conversations."""
            data = json_object(request.body) or {}
            name, turns = data.get("name"), data.get("turns")
            if (
                not isinstance(name, str)
                or not isinstance(turns, list)
                or not all(
                    isinstance(t, list) and len(t) == 2 and all(isinstance(part, str) for part in t) for t in turns
                )
            ):
                return response.json(
                    {"error": "Cần {name, turns: [[tin nhắn, mong đợi]...]}."}, status=400, headers=HEADERS
                )
            who = self.access.who(request)
            try:
                path = await asyncio.get_running_loop().run_in_executor(None, staff_checks.save, name, turns, who)
            except TeachingError as error:
                return response.json({"error": str(error)}, status=400, headers=HEADERS)
            record(who, "check", {"name": name, "turns": turns, "file": path.name})
            return response.json({"saved": path.name}, headers=HEADERS)

        @bench.route("/api/answers", methods=["GET"])
        @self.staff_only
        async def answer_list(request: Request) -> HTTPResponse:
            found = await asyncio.get_running_loop().run_in_executor(None, answer_editing.answers)
            return response.json(
                {
                    "answers": [asdict(a) for a in found],
                    "variables": load_settings().response_variables(),
                    "max_chars": MAX_ANSWER_CHARS,
                },
                headers=HEADERS,
            )

        @bench.route("/api/answer", methods=["POST"])
        @self.staff_only
        async def answer_text(request: Request) -> HTTPResponse:
            data = json_object(request.body) or {}
            key, text = data.get("key"), data.get("text")
            if not isinstance(key, str) or not isinstance(text, str):
                return response.json({"error": "Cần {key, text}."}, status=400, headers=HEADERS)
            try:
                name, before = await asyncio.get_running_loop().run_in_executor(None, answer_editing.change, key, text)
            except TeachingError as error:
                return response.json({"error": str(error)}, status=400, headers=HEADERS)
            record(self.access.who(request), "answer", {"key": key, "before": before, "after": text, "file": name})
            return response.json({"saved": name}, headers=HEADERS)

        @bench.route("/api/settings", methods=["GET", "POST"])
        @self.staff_only
        async def settings(request: Request) -> HTTPResponse:
            loop = asyncio.get_running_loop()
            if request.method == "GET":
                return response.json(await loop.run_in_executor(None, settings_editing.current), headers=HEADERS)
            values = json_object(request.body)
            if values is None:
                return response.json({"error": "Cần một đối tượng JSON."}, status=400, headers=HEADERS)
            try:
                changed = await loop.run_in_executor(None, settings_editing.change, values)
            except TeachingError as error:
                return response.json({"error": str(error)}, status=400, headers=HEADERS)
            if changed:
                record(self.access.who(request), "settings", {"changes": changed})
            return response.json({"changed": changed}, headers=HEADERS)

        @bench.route("/api/train", methods=["GET", "POST"])
        @self.staff_only
        async def train(request: Request) -> HTTPResponse:
            if request.method == "POST":
                if not shipping.start_preparing():
                    return response.json({"error": "Đang huấn luyện; hãy đợi xong."}, status=409, headers=HEADERS)
                record(self.access.who(request), "train", {})
            agent = getattr(request.app.ctx, "agent", None)
            return response.json(
                {**shipping.current_status(), "model_id": getattr(agent, "model_id", None)}, headers=HEADERS
            )

        @bench.route("/api/deploy", methods=["POST"])
        @self.staff_only
        async def deploy(request: Request) -> HTTPResponse:
            return await swap(request, "deploy")

        @bench.route("/api/rollback", methods=["POST"])
        @self.staff_only
        async def rollback(request: Request) -> HTTPResponse:
            return await swap(request, "rollback")

        @bench.route("/api/reload", methods=["POST"])
        @self.staff_only
        async def reload(request: Request) -> HTTPResponse:
            """A peer's deploy: load the live model from the shared folder."""
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None:
                return response.json({"error": "Bot chưa sẵn sàng."}, status=503, headers=HEADERS)
            async with self.swapping:
                await asyncio.get_running_loop().run_in_executor(None, agent.load_model, shipping.LIVE)
            record(self.access.who(request), "reload", {"model_id": agent.model_id})
            return response.json({"model_id": agent.model_id}, headers=HEADERS)

        async def swap(request: Request, change: str) -> HTTPResponse:
            """Deploys the candidate or rolls back, loads the model here,
            then on the other servers, one at a time."""
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or shipping.busy():
                return response.json({"error": "Chưa thể đổi mô hình lúc này."}, status=409, headers=HEADERS)
            loop = asyncio.get_running_loop()
            async with self.swapping:
                try:
                    model = await loop.run_in_executor(None, getattr(shipping, change))
                except FileNotFoundError as error:
                    return response.json({"error": str(error)}, status=409, headers=HEADERS)
                except OSError as error:  # a read-only models folder (Compose mounts it so)
                    return response.json(
                        {"error": f"Không ghi được thư mục mô hình ({error.strerror}); hãy báo bộ phận kỹ thuật."},
                        status=409,
                        headers=HEADERS,
                    )
                # Conversations live in the tracker store: none is lost while
                # the new model loads (the old one answers meanwhile).
                await loop.run_in_executor(None, agent.load_model, model)
            port = request.conn_info.server_port if request.conn_info else None
            peers = [p for p in peer_servers() if not rolling_deploy.is_self(p, request.host, port)]
            servers = await loop.run_in_executor(None, rolling_deploy.reload_peers, peers, self.token)
            record(self.access.who(request), change, {"model_id": agent.model_id, "servers": servers})
            return response.json(
                {**shipping.current_status(), "model_id": agent.model_id, "servers": servers}, headers=HEADERS
            )

        return bench
