"""Log output: one JSON object per line (``ACCR_LOG_FORMAT=json``, the default) or plain text.

Records may carry structured ``fields`` (``extra={"fields": {...}}``): the request log line
does. Nothing here reads request headers or bodies, so secrets cannot end up in the logs.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import orjson


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def configure(level: str, form: str) -> None:
    handler = logging.StreamHandler()
    if form == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if getattr(h, "accr", False) is False]
    handler.accr = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
