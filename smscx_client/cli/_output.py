"""How the ``smscx`` command writes: results (text or ``--json``), one-line errors, progress bars."""

from __future__ import annotations

import json
from typing import IO, Any, Callable, Dict, Optional

__all__ = ["Output", "Progress", "error_line", "plain"]


def plain(value: Any) -> Any:
    """A JSON-ready form of a model (its wire object), a dataclass-like result or plain data."""
    if hasattr(value, "to_wire"):
        return value.to_wire()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value


class Output:
    """Results to stdout: human text, or one JSON document with ``--json``."""

    def __init__(self, stdout: IO[str], as_json: bool) -> None:
        self.stdout = stdout
        self.as_json = as_json

    def result(self, data: Any, text: Callable[[], str]) -> None:
        """Write ``data`` as JSON, or ``text()`` for a person."""
        if self.as_json:
            self.stdout.write(json.dumps(plain(data), ensure_ascii=False, default=str) + "\n")
        else:
            self.stdout.write(text().rstrip("\n") + "\n")
        self.stdout.flush()


def error_line(exc: BaseException, as_json: bool) -> str:
    """One line naming the error's class, the API's type and code, and its message."""
    batch = getattr(getattr(exc, "result", None), "batch_id", None)
    # a batch that stopped: name the error of its chunk (the BatchError carries its details)
    kind = type(exc.__cause__ if batch is not None and exc.__cause__ is not None else exc).__name__
    fields: Dict[str, Any] = {"error": kind}
    for key, name in (("status", "status"), ("type", "error_type"), ("code", "error_code")):
        value = getattr(exc, name, None)
        if value is not None:
            fields[key] = value
    message = getattr(exc, "error_message", None) or getattr(exc, "reason", None) or str(exc)
    fields["message"] = " ".join(str(message).split())  # one line, whatever the server wrote
    if batch is not None:  # say how to resume it
        fields["batchId"], fields["chunk"] = batch, getattr(exc, "chunk", None)
    if as_json:
        return json.dumps(fields, ensure_ascii=False, default=str)
    detail = ", ".join(
        "{} {}".format(label, fields[key]) for key, label in (("type", "type"), ("code", "code"), ("status", "HTTP")) if key in fields
    )
    line = "smscx: {}{}: {}".format(kind, " ({})".format(detail) if detail else "", fields["message"])
    if batch is not None:
        line += " [batch {} stopped at chunk {}: run the same command again to resume]".format(batch, fields["chunk"])
    return line


class Progress:
    """A progress bar on a terminal; nothing at all when the stream is not one."""

    WIDTH = 30

    def __init__(self, stream: IO[str], label: str, enabled: Optional[bool] = None) -> None:
        self.stream = stream
        self.label = label
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) if enabled is None else enabled
        self._shown = False

    def update(self, done: int, total: Optional[int], unit: str = "") -> None:
        """Redraw the bar at ``done`` of ``total`` (``total`` None or 0: a counter only)."""
        if not self.enabled:
            return
        if total:
            filled = min(self.WIDTH, self.WIDTH * done // total)
            bar = "[{}{}] {}/{}{}".format("#" * filled, "." * (self.WIDTH - filled), done, total, unit)
        else:
            bar = "{}{}".format(done, unit)
        self.stream.write("\r{} {}".format(self.label, bar))
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """End the bar's line."""
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False
