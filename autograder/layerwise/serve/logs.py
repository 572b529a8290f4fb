"""Structured logs: one JSON object per line on stderr, with the record's extra fields. Request
paths are logged with sign-in tokens cut out; no token, password or cookie is ever logged."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import Response

STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
TOKEN_PATH = re.compile(r"^/signin/.*")
access = logging.getLogger("layerwise.serve.access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created)),
                 "level": record.levelname.lower(), "logger": record.name,
                 "message": record.getMessage()}
        entry |= {k: v for k, v in vars(record).items() if k not in STANDARD}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("layerwise", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


def redact(path: str) -> str:
    return TOKEN_PATH.sub("/signin/<token>", path)


async def log_requests(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                       ) -> Response:
    """Middleware: one line per request (method, path without tokens or query, status, ms)."""
    started = time.perf_counter()
    response = await call_next(request)
    access.info("request", extra={"method": request.method, "path": redact(request.url.path),
                                  "status": response.status_code,
                                  "ms": round(1000 * (time.perf_counter() - started), 1)})
    return response
