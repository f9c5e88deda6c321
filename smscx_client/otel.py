"""OpenTelemetry tracing of smscx_client calls (the ``smscx_client[otel]`` extra).

``instrument(client)`` registers hooks that give every call one span, ``smscx <operation>``
(kind CLIENT), with the operation id, HTTP method, path, server, final status, number of
attempts, request id, and one ``retry`` event per retry (reason and wait). No credential, no
body and no phone number leaves the process: the path's numbers are masked whatever
``Configuration.mask_phone_numbers`` says, and an error is recorded by its type and API code,
not its text (which may list rejected numbers)::

    from smscx_client.otel import instrument

    instrument(client)                      # the global tracer provider
    instrument(client, tracer_provider=tp)  # or one of your own
"""

from __future__ import annotations

from typing import Any, Dict, Optional
from urllib.parse import urlsplit

from smscx_client._hooks import CallEvent
from smscx_client._logs import mask_numbers
from smscx_client._version import __version__
from smscx_client.api_client import ApiClient

__all__ = ["instrument"]

_SPAN = "otel_span"


def instrument(client: ApiClient, tracer_provider: Optional[Any] = None) -> None:
    """Trace every call of ``client`` (and of its ``with_options`` copies) with OpenTelemetry."""
    try:
        from opentelemetry import trace
        from opentelemetry.trace import SpanKind, Status, StatusCode
    except ImportError:
        raise ImportError('smscx_client.otel needs OpenTelemetry: pip install "opentelemetry-api>=1.20" (the otel extra)') from None
    tracer = trace.get_tracer("smscx_client", __version__, tracer_provider=tracer_provider)
    server = urlsplit(client.configuration.host)

    def on_request(info: CallEvent) -> None:
        span = info.scratch.get(_SPAN)
        if span is None:
            attributes: Dict[str, Any] = {
                "smscx.operation": info.operation,
                "http.request.method": info.method,
                "url.path": mask_numbers(info.path),
                "server.address": server.hostname or "",
            }
            if server.port:
                attributes["server.port"] = server.port
            if info.idempotency_id:
                attributes["smscx.idempotency_id"] = info.idempotency_id
            span = info.scratch[_SPAN] = tracer.start_span("smscx " + info.operation, kind=SpanKind.CLIENT, attributes=attributes)
        span.set_attribute("smscx.attempts", info.attempt)

    def on_response(info: CallEvent) -> None:
        span = info.scratch.get(_SPAN)
        if span is None:
            return
        span.set_attribute("http.response.status_code", info.status or 0)
        request_id = info.headers.get("X-Request-Id")
        if request_id:
            span.set_attribute("smscx.request_id", request_id)
        if info.final and info.status is not None and 200 <= info.status <= 299:
            span.set_status(Status(StatusCode.OK))
            span.end()

    def on_retry(info: CallEvent) -> None:
        span = info.scratch.get(_SPAN)
        if span is not None:
            span.add_event("retry", {"smscx.retry.reason": info.reason or "", "smscx.retry.wait": info.wait or 0.0})

    def on_error(info: CallEvent) -> None:
        span = info.scratch.get(_SPAN)
        if span is None:  # nothing was sent (e.g. the token could not be had)
            return
        error = info.error
        span.set_attribute("error.type", type(error).__name__)
        code = getattr(error, "error_code", None)
        if code is not None:
            span.set_attribute("smscx.error_code", code)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        span.end()

    client.add_hook("request", on_request)
    client.add_hook("response", on_response)
    client.add_hook("retry", on_retry)
    client.add_hook("error", on_error)
