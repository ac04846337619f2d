"""A deploy from the workbench reaches every Rasa server, one at a time:
the server staff use loads the new live model itself, then asks each peer
($BOT_PEERS, bot.settings.peer_servers) to load it too, and waits for each
before the next, so the others keep answering meanwhile. The servers share
the models folder, and conversations live in the shared store, so none is
lost.
"""

import json
import urllib.error
import urllib.request
from typing import Dict, List, Optional
from urllib.parse import urlparse

RELOAD_PATH = "/admin/api/reload"
# A server loads a model in seconds; one that takes longer than this is
# reported as not updated (the operator can still run `make cluster-rollout`).
RELOAD_TIMEOUT = 180.0


def is_self(peer: str, host: str, port: Optional[int]) -> bool:
    """Whether a peer URL names the server that got `host` (the Host
    header) on its socket `port`."""
    address = urlparse(peer)
    if address.netloc == host:
        return True
    return address.port == port and address.hostname in ("127.0.0.1", "localhost", "::1")


def reload_one(peer: str, token: str, timeout: float = RELOAD_TIMEOUT) -> Dict[str, str]:
    request = urllib.request.Request(
        f"{peer}{RELOAD_PATH}", data=b"{}", method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            body = json.loads(reply.read() or b"{}")
        return {"server": peer, "model_id": str(body.get("model_id") or "")}
    except urllib.error.HTTPError as error:
        return {"server": peer, "error": f"HTTP {error.code}"}
    except (OSError, ValueError) as error:
        return {"server": peer, "error": str(getattr(error, "reason", error))}


def reload_peers(peers: List[str], token: str, timeout: float = RELOAD_TIMEOUT) -> List[Dict[str, str]]:
    """Each peer's new model id, or why it was not updated, in order."""
    return [reload_one(peer, token, timeout) for peer in peers]
