"""Every exception the SDK raises.

The class names and their parents are those of smscx_client 0.1.x, misspellings included
(``RateLimitExcedeedException``, also reachable under its correct spelling
``RateLimitExceededException``: the same class), so existing ``except`` clauses keep working.
Which class a failed response becomes is decided by ``from_response`` with the generated table in
``_error_catalog``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Type

__all__ = [
    "ApiExceptionBase",
    "ApiTypeError",
    "ApiValueError",
    "ApiAttributeError",
    "ApiKeyError",
    "ApiException",
    "ApiConnectionError",
    "ApiTimeoutError",
    "InsufficientBalanceException",
    "DuplicateIdException",
    "DuplicateValueException",
    "OtpAlreadyVerifiedException",
    "OtpCancelledException",
    "OtpExpiredException",
    "OtpFailedException",
    "InvalidPinException",
    "InvalidPhoneNumberException",
    "InvalidScopeException",
    "InvalidRequestException",
    "InvalidCredentialsException",
    "InsufficientScopeException",
    "NoCoverageException",
    "TemplateNotApprovedException",
    "ChannelNotActiveException",
    "OtpActionNotAllowedException",
    "AccessDeniedException",
    "ResourceNotFoundException",
    "ApiMethodNotAllowedException",
    "RateLimitExcedeedException",
    "RateLimitExceededException",
    "ServerErrorException",
    "render_path",
    "from_response",
]


class ApiExceptionBase(Exception):
    """Base class of every exception raised by smscx_client."""


def render_path(path_to_item: Optional[Sequence[Any]]) -> str:
    """Render a path such as ``['to'][0]`` for error messages."""
    result = ""
    for pth in path_to_item or ():
        result += "[{}]".format(pth) if isinstance(pth, int) else "['{}']".format(pth)
    return result


class _ClientSideError(ApiExceptionBase):
    """An argument was rejected before anything was sent."""

    def __init__(self, msg: str, path_to_item: Optional[Sequence[Any]] = None) -> None:
        self.path_to_item = path_to_item
        full = msg
        if path_to_item:
            full = "{} at {}".format(msg, render_path(path_to_item))
        super().__init__(full)


class ApiTypeError(_ClientSideError, TypeError):
    """An argument or field has the wrong type."""

    def __init__(
        self,
        msg: str,
        path_to_item: Optional[Sequence[Any]] = None,
        valid_classes: Optional[Tuple[type, ...]] = None,
        key_type: Optional[bool] = None,
    ) -> None:
        self.valid_classes = valid_classes
        self.key_type = key_type
        super().__init__(msg, path_to_item)


class ApiValueError(_ClientSideError, ValueError):
    """An argument or field has a value the API does not accept."""


class ApiAttributeError(_ClientSideError, AttributeError):
    """A model has no such attribute, or it was never set."""


class ApiKeyError(_ClientSideError, KeyError):
    """A key is missing from a mapping argument."""


_UNPARSED: Any = object()


def _body_text(data: Any) -> Optional[str]:
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


def _json_body(text: Optional[str]) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _error_object(body: Any) -> Dict[str, Any]:
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return err
    return {}


def _as_code(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _reset_time(headers: Optional[Mapping[str, str]]) -> Optional[datetime]:
    raw = headers.get("X-Rate-Limit-Reset") if headers is not None else None
    try:
        return datetime.fromtimestamp(float(raw), tz=timezone.utc) if raw else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None


class ApiException(ApiExceptionBase):
    """The API answered with an error status, or could not be reached.

    Besides the 0.1.x attributes (``status``, ``reason``, ``body`` as text, ``headers``) it
    carries the parsed error: ``error_type``, ``error_code``, ``error_message``, ``invalid``
    (phone numbers the API rejected, when listed), ``rate_limit_reset`` (an aware datetime),
    ``request_id``, ``attempts`` and ``idempotency_id``.
    """

    def __init__(
        self,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        http_resp: Any = None,
        *,
        _parsed: Any = _UNPARSED,
    ) -> None:
        super().__init__()
        self.status = status
        self.reason = reason
        self.body: Optional[str] = None
        self.headers: Any = None
        self.error_type: Optional[str] = None
        self.error_code: Optional[int] = None
        self.error_message: Optional[str] = None
        self.invalid: Optional[List[str]] = None
        self.rate_limit_reset: Optional[datetime] = None
        self.request_id: Optional[str] = None
        self.attempts: int = 1
        self.idempotency_id: Optional[str] = None
        if http_resp is not None:
            self.status = http_resp.status
            self.reason = http_resp.reason
            self.headers = http_resp.getheaders()
            self.body = _body_text(http_resp.data)
            self._parse_body(_json_body(self.body) if _parsed is _UNPARSED else _parsed)

    def _parse_body(self, parsed: Any) -> None:
        err = _error_object(parsed)
        etype = err.get("type")
        self.error_type = etype if isinstance(etype, str) else None
        self.error_code = _as_code(err.get("code"))
        msg = err.get("message")
        self.error_message = msg if isinstance(msg, str) else None
        invalid = err.get("invalid")
        if invalid is None and isinstance(parsed, dict):
            invalid = parsed.get("invalid")
        if isinstance(invalid, list):
            self.invalid = [str(x) for x in invalid]
        self.rate_limit_reset = _reset_time(self.headers)
        if self.headers is not None:
            self.request_id = self.headers.get("X-Request-Id")

    def __str__(self) -> str:
        lines = ["Status Code: {}".format(self.status), "Reason: {}".format(self.reason)]
        if self.error_type or self.error_code is not None:
            lines.append(
                "Error: {} (code {}): {}".format(self.error_type, self.error_code, self.error_message)
            )
        if self.attempts > 1:
            lines.append("Attempts: {}".format(self.attempts))
        if self.idempotency_id:
            lines.append("Idempotency id: {}".format(self.idempotency_id))
        if self.headers:
            lines.append("HTTP response headers: {}".format(self.headers))
        if self.body:
            lines.append("HTTP response body: {}".format(self.body))
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        return "{}(status={!r}, error_type={!r}, error_code={!r}, request_id={!r})".format(
            type(self).__name__, self.status, self.error_type, self.error_code, self.request_id
        )

    def __reduce__(self) -> Any:
        # pickle by state, not by constructor arguments: subclasses take different ones, and
        # exceptions cross process boundaries (multiprocessing, celery)
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: Type[ApiException], state: Dict[str, Any]) -> ApiException:
    obj = cls.__new__(cls)
    obj.__dict__.update(state)
    return obj


class ApiConnectionError(ApiException):
    """The request could not be completed: no connection, reset, TLS or protocol failure."""

    def __init__(self, message: str, *, sent: bool = True) -> None:
        super().__init__(status=0, reason=message)
        #: False when the failure proves the server never received the request.
        self.sent = sent

    def __str__(self) -> str:
        text = "{}: {}".format(type(self).__name__, self.reason)
        if self.attempts > 1:
            text += " (after {} attempts)".format(self.attempts)
        if self.idempotency_id:
            text += " [idempotency id {}]".format(self.idempotency_id)
        return text


class ApiTimeoutError(ApiConnectionError):
    """The server did not answer within the configured timeout."""


class ResourceNotFoundException(ApiException):
    """404: the resource does not exist."""


class InvalidCredentialsException(ApiException):
    """401: missing, wrong or expired credentials."""


class AccessDeniedException(ApiException):
    """403 access_denied: the action is not allowed on this resource."""


class ServerErrorException(ApiException):
    """5xx: the API failed."""


class InsufficientBalanceException(ApiException):
    """400 insufficient_credit: the balance or credit limit does not cover the request."""


class DuplicateIdException(ApiException):
    """400 duplicate_id: the id was already used."""


class DuplicateValueException(ApiException):
    """400 duplicate_value: the value already exists."""


class OtpAlreadyVerifiedException(ApiException):
    """400 otp_verified: the OTP was already verified."""


class OtpCancelledException(ApiException):
    """The OTP was cancelled (400 otp_cancelled, or 403 access_denied 2030)."""


class OtpExpiredException(ApiException):
    """400 otp_expired: the OTP or its PIN expired."""


class OtpFailedException(ApiException):
    """400 otp_failed: too many wrong PINs."""


class InvalidPinException(ApiException):
    """400 invalid_pin: the PIN does not match."""


class InvalidPhoneNumberException(ApiException):
    """400 invalid_param 1207/1210: one or more phone numbers are invalid (see ``invalid``)."""


class InvalidScopeException(ApiException):
    """400 invalid_scope: an unknown OAuth scope was requested."""


class InvalidRequestException(ApiException):
    """400: a parameter is missing or invalid."""


class InsufficientScopeException(ApiException):
    """403: the access token lacks the scope this call needs."""


class NoCoverageException(ApiException):
    """403 no_coverage: the destination is not covered or is restricted."""


class TemplateNotApprovedException(ApiException):
    """403 access_denied 1132/1133: the template is not approved."""


class ChannelNotActiveException(ApiException):
    """403 access_denied 1606/1608: the channel is not active on the account."""


class OtpActionNotAllowedException(ApiException):
    """403 access_denied 2031: the OTP cannot be changed any more."""


class ApiMethodNotAllowedException(ApiException):
    """405: the HTTP method is not allowed on this path."""


class RateLimitExcedeedException(ApiException):
    """429: too many requests; ``rate_limit_reset`` says when to try again."""


#: The correct spelling of ``RateLimitExcedeedException`` (0.1.x's name): the same class.
RateLimitExceededException = RateLimitExcedeedException


def exception_class(status: int, error_type: Optional[str], error_code: Optional[int]) -> Type[ApiException]:
    """The exception class for a failed response, looked up in the generated error table."""
    from smscx_client import _error_catalog as cat

    cls = cat.BY_STATUS_TYPE_CODE.get((status, error_type, error_code))
    if cls is None:
        cls = cat.BY_STATUS_TYPE.get((status, error_type))
    if cls is None:
        cls = cat.BY_STATUS.get(status)
    if cls is None:
        cls = ServerErrorException if 500 <= status <= 599 else ApiException
    return cls


def from_response(http_resp: Any) -> ApiException:
    """Build the right ``ApiException`` subclass for a non-2xx response; never raises."""
    parsed = _json_body(_body_text(http_resp.data))  # parsed once: it picks the class and fills it
    err = _error_object(parsed)
    etype = err.get("type")
    cls = exception_class(int(http_resp.status or 0), etype if isinstance(etype, str) else None, _as_code(err.get("code")))
    return cls(http_resp=http_resp, _parsed=parsed)
