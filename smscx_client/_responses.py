"""What came with an answer besides its body: ``ApiResponse`` (``api.with_raw_response``) and
``get_request_id(result)``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Dict, Generic, Mapping, Optional, Tuple, TypeVar

from smscx_client.exceptions import ApiTypeError, _reset_time

__all__ = ["ApiResponse", "raw_call", "araw_call", "get_request_id"]

T = TypeVar("T")


class ApiResponse(Generic[T]):
    """One call's answer: ``status``, ``headers`` and the decoded result (``data``, or ``parse()``)."""

    __slots__ = ("data", "status", "headers")

    def __init__(self, data: T, status: int, headers: Mapping[str, str]) -> None:
        self.data = data
        self.status = status
        self.headers = headers  # looked up case-insensitively

    def parse(self) -> T:
        """The decoded result, as the plain call returns it."""
        return self.data

    @property
    def request_id(self) -> Optional[str]:
        """``X-Request-Id``: quote it to SMS.CX support."""
        return self.headers.get("X-Request-Id")

    @property
    def idempotency_id(self) -> Optional[str]:
        """``X-Idempotency-Id``: the id a send was accepted under (a replay names the first one)."""
        return self.headers.get("X-Idempotency-Id")

    @property
    def rate_limit_limit(self) -> Optional[int]:
        """``X-Rate-Limit-Limit``: requests allowed per window."""
        return _int(self.headers.get("X-Rate-Limit-Limit"))

    @property
    def rate_limit_remaining(self) -> Optional[int]:
        """``X-Rate-Limit-Remaining``: requests left in this window."""
        return _int(self.headers.get("X-Rate-Limit-Remaining"))

    @property
    def rate_limit_reset(self) -> Optional[datetime]:
        """``X-Rate-Limit-Reset`` as an aware datetime: when the window ends."""
        return _reset_time(self.headers)

    def __repr__(self) -> str:
        return "ApiResponse(status={}, request_id={!r}, data={})".format(
            self.status, self.request_id, type(self.data).__name__
        )


def _int(value: Optional[str]) -> Optional[int]:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _refuse_return_options(name: str, options: Dict[str, Any]) -> None:
    for option in ("async_req", "_return_http_data_only", "_preload_content"):
        if option in options:
            raise ApiTypeError("with_raw_response.{}() does not take {}".format(name, option))


def raw_call(method: Callable[..., Any], name: str, args: Tuple[Any, ...], keywords: Dict[str, Any], options: Dict[str, Any]) -> ApiResponse[Any]:
    """Call an API method for its ``with_raw_response`` twin: the result with status and headers."""
    _refuse_return_options(name, options)
    data, status, headers = method(*args, _return_http_data_only=False, **keywords, **options)
    return ApiResponse(data, status, headers)


async def araw_call(method: Callable[..., Any], name: str, args: Tuple[Any, ...], keywords: Dict[str, Any], options: Dict[str, Any]) -> ApiResponse[Any]:
    """``raw_call`` for the methods of the asyncio API classes."""
    _refuse_return_options(name, options)
    data, status, headers = await method(*args, _return_http_data_only=False, **keywords, **options)
    return ApiResponse(data, status, headers)


def get_request_id(result: Any) -> Optional[str]:
    """The ``X-Request-Id`` of the answer a result was decoded from (a model the API returned), or
    ``None``: for a model built in code, a CSV text or a downloaded file."""
    from smscx_client._model import response_of

    headers: Optional[Mapping[str, str]] = response_of(result)
    return headers.get("X-Request-Id") if headers is not None else None
