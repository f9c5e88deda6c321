"""smscx_client for asyncio: ``AsyncApiClient`` and one ``Async*Api`` class per resource.

::

    import asyncio

    from smscx_client import Configuration
    from smscx_client.aio import AsyncApiClient, AsyncSmsApi
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    async def main() -> None:
        async with AsyncApiClient(Configuration(api_key="...")) as client:
            sms = AsyncSmsApi(client)
            await sms.send_sms(SendSmsMessageRequest(to=["+33612345678"], _from="Brand", text="Hi"))

    asyncio.run(main())

Every method of the synchronous classes is here, awaitable, with the same arguments, checks,
models, exceptions and guarantees (timeouts and deadlines, retry safety, rate-limit waits,
idempotency ids, OAuth tokens). The default transport is aiohttp, the ``async`` extra
(``pip install ".[async]"`` in a clone of this repository), loaded with the first client; ``import smscx_client``
never loads it. Guide: ``docs/guides/async.md``.
"""

from smscx_client.aio._client import AsyncApiClient
from smscx_client.aio.api import *  # noqa: F403 - the generated Async*Api classes
from smscx_client.aio.api import __all__ as _API_CLASSES
from smscx_client.aio.batch import send_sms_batch
from smscx_client.aio.pagination import aiter_items, aiter_pages
from smscx_client.transport import AsyncTransport

__all__ = [
    "AsyncApiClient",
    "AsyncTransport",
    "aiter_items",
    "aiter_pages",
    "send_sms_batch",
    *_API_CLASSES,
]
