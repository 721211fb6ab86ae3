from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _vault_key(settings: Any) -> None:
    """Every interview stores its turns in the vault: a one-key ring."""
    settings.ENCRYPTION_KEYS = [f"t1:{base64.b64encode(os.urandom(32)).decode()}"]


@dataclass
class FakeOpenAI:
    """A local OpenAI-compatible server: scripted JSON replies by path, requests recorded."""

    replies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def reply(self, path: str, *bodies: dict[str, Any]) -> None:
        self.replies.setdefault(path, []).extend(bodies)


@pytest.fixture
def openai_server(settings: Any) -> Iterator[FakeOpenAI]:
    """The server, with the settings pointing at it (a key, the openai provider)."""
    fake = FakeOpenAI()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            fake.requests.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "body": json.loads(self.rfile.read(length) or b"{}"),
                }
            )
            queue = fake.replies.get(self.path) or []
            status, body = (200, queue.pop(0)) if queue else (404, {"error": {"message": "no"}})
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    settings.OPENAI_API_KEY = "sk-test-server-side-only"
    settings.OPENAI_BASE_URL = fake.url
    settings.OPENAI_MODEL = "test-model"
    settings.OPENAI_MAX_RETRIES = 0
    settings.OPENAI_TIMEOUT_SECONDS = 5.0
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def completion(content: dict[str, Any]) -> dict[str, Any]:
    """A chat completion whose message is ``content`` as JSON."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": json.dumps(content), "refusal": None},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
