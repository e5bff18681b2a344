"""A real HTTP server on 127.0.0.1 that answers `POST /v1/messages` with scripted bodies.

Unlike `fakes.FakeAnthropic`, which stands in for `client.messages.create`, this
lets the real `anthropic.Anthropic` client (or the `generate-llm` command in a
subprocess, through `ANTHROPIC_BASE_URL`) send real requests and parse real
replies: a proxy's HTML error page with status 200, a JSON body whose
`content` is null, or a reply that takes a long time.
"""
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, List, Optional

import anthropic


@dataclass
class Reply:
    """One scripted HTTP answer."""

    body: bytes
    content_type: str = "application/json"
    status: int = 200
    delay_s: float = 0.0


class LocalAPIServer:
    """Serves `replies` in order, then `factory(call_number)`; use as a context manager."""

    def __init__(self, replies=(), factory: Optional[Callable[[int], Reply]] = None):
        self.replies: List[Reply] = list(replies)
        self.factory = factory
        self.requests: List[bytes] = []
        self.first_request = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def client(self, **kwargs) -> anthropic.Anthropic:
        """The real SDK client, pointed at this server."""
        return anthropic.Anthropic(api_key="sk-ant-test", base_url=self.base_url, **{"max_retries": 0, **kwargs})

    def next_reply(self, body: bytes) -> Reply:
        with self._lock:
            self.requests.append(body)
            number = len(self.requests)
            if self.replies:
                return self.replies.pop(0)
        if self.factory is None:
            return Reply(b'{"type": "error", "error": {"type": "api_error", "message": "unscripted"}}', status=500)
        return self.factory(number)

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the http.server hook's name)
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                reply = server.next_reply(body)
                server.first_request.set()
                if reply.delay_s:
                    server.release.wait(reply.delay_s)
                self.send_response(reply.status)
                self.send_header("content-type", reply.content_type)
                self.send_header("content-length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self) -> "LocalAPIServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
