"""Hooks: functions a client calls at each step of a call, to record metrics, logs or traces.

``ApiClient.add_hook(event, fn)`` (or ``Configuration(hooks={event: [fn, ...]})``) registers
``fn(info: CallEvent)`` for one of:

* ``"request"``: before each attempt is sent;
* ``"response"``: each answer received (any status), once the body of a 2xx is decoded;
  ``info.final`` says whether the call ends with it;
* ``"retry"``: a failed attempt is about to be retried, after ``info.wait`` seconds, because of
  ``info.reason``;
* ``"error"``: the call ends with ``info.error``, the exception its caller gets.

``CallEvent`` holds no secret: no credentials, no body; the path has its phone numbers masked
when ``Configuration.mask_phone_numbers`` is set. ``info.scratch`` is one dict per call, shared by
that call's events (an OpenTelemetry span lives there). An exception raised by a hook is logged
and ignored: a metrics bug must not fail a send.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional

from smscx_client._logs import logger, redact_headers

__all__ = ["CallEvent", "Hook", "EVENTS"]

EVENTS = ("request", "response", "retry", "error")


class CallEvent:
    """What a hook learns about one step of a call."""

    __slots__ = (
        "event",
        "operation",
        "method",
        "path",
        "attempt",
        "idempotency_id",
        "status",
        "headers",
        "elapsed",
        "final",
        "wait",
        "reason",
        "error",
        "scratch",
    )

    def __init__(self, event: str, operation: str, method: str, path: str, attempt: int, idempotency_id: Optional[str], scratch: Dict[str, Any]) -> None:
        self.event = event
        self.operation = operation  # the method's name, e.g. "send_sms"
        self.method = method
        self.path = path
        self.attempt = attempt  # 1 for the first try
        self.idempotency_id = idempotency_id
        self.status: Optional[int] = None  # "response": the HTTP status
        self.headers: Mapping[str, Any] = {}  # "request": sent (credentials masked); "response": received
        self.elapsed: Optional[float] = None  # "response": seconds since the attempt started
        self.final = False  # "response": no retry follows
        self.wait: Optional[float] = None  # "retry": seconds before the next attempt
        self.reason: Optional[str] = None  # "retry": why (e.g. "HTTP 503", "ApiTimeoutError")
        self.error: Optional[BaseException] = None  # "error": what the caller gets
        self.scratch = scratch

    def __repr__(self) -> str:
        return "CallEvent({} {} {} {} attempt={} status={})".format(
            self.event, self.operation, self.method, self.path, self.attempt, self.status
        )


Hook = Callable[[CallEvent], Any]


def check_event(event: str) -> str:
    """``event`` when it names a hook event, else a ValueError listing them."""
    if event not in EVENTS:
        raise ValueError("Unknown hook event {!r}; the events are: {}".format(event, ", ".join(EVENTS)))
    return event


def run(hooks: List[Hook], info: CallEvent) -> None:
    """Call each hook; one that fails is logged (without its event's headers) and skipped."""
    for hook in hooks:
        try:
            hook(info)
        except Exception as exc:  # a hook must not break the call it observes
            logger.warning("smscx_client hook %r failed on %s: %s: %s", hook, info.event, type(exc).__name__, exc)


def request_headers(headers: Mapping[str, str]) -> Dict[str, Any]:
    """The headers a hook sees of a request: credentials masked."""
    return redact_headers(headers)
