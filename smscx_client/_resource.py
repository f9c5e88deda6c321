"""``ApiResource``: the base of every generated API class (``SmsApi``, ``OtpApi`` ...), with
``with_options``. (Each class generates its own typed ``with_raw_response``.)"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Dict, Generic, Optional, TypeVar

if TYPE_CHECKING:
    from smscx_client.api_client import _ClientCore

__all__ = ["ApiResource"]

C = TypeVar("C", bound="_ClientCore")  # ApiClient, or the asyncio AsyncApiClient
R = TypeVar("R", bound="ApiResource[Any]")
_NOT_SET: Any = object()


class ApiResource(Generic[C]):
    """Base of the generated API classes (``SmsApi`` on an ``ApiClient``, ``AsyncSmsApi`` on an
    ``AsyncApiClient``)."""

    api_client: C

    def with_options(
        self: R,
        *,
        timeout: Any = _NOT_SET,
        max_retries: Any = _NOT_SET,
        max_rate_limit_wait: Any = _NOT_SET,
        auto_idempotency: Any = _NOT_SET,
        headers: Optional[Dict[str, str]] = None,
    ) -> R:
        """This API with other settings for its calls, on the same client (``ApiClient.with_options``)."""
        given = {
            name: value
            for name, value in (
                ("timeout", timeout),
                ("max_retries", max_retries),
                ("max_rate_limit_wait", max_rate_limit_wait),
                ("auto_idempotency", auto_idempotency),
            )
            if value is not _NOT_SET
        }
        clone = copy.copy(self)
        clone.api_client = self.api_client.with_options(headers=headers, **given)
        return clone
