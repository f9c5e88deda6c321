"""OTP sign-in from asyncio code, shaped like a FastAPI app, run as a plain script.

An async web app makes one ``AsyncApiClient`` when it starts (FastAPI's ``lifespan``), shares it
between its request handlers, and closes it when it stops. Two handlers make the sign-in:

* ``start_sign_in(phone_number)`` (``POST /sign-in``) sends a PIN by SMS and returns the OTP id;
* ``finish_sign_in(otp_id, pin)`` (``POST /sign-in/{otp_id}``) checks the PIN the user typed.

Here the "server" is this script, and three users sign in at once (their requests interleave on
one event loop; none waits for another). Against the sandbox the users read their PINs from the
messages the sandbox sent (``GET /__sandbox/messages``)::

    export SMSCX_HOST=http://127.0.0.1:8787 SMSCX_API_KEY=sandbox-api-key
    python examples/flows/otp_sign_in_async.py

Against SMS.CX (SMSCX_API_KEY only), give your own number as the first argument and type the PIN
you receive when asked; the SMS is charged. Needs the ``async`` extra (aiohttp).

With FastAPI, the same code reads::

    @asynccontextmanager
    async def lifespan(app):
        async with AsyncApiClient(configuration()) as app.state.smscx:
            yield

    @app.post("/sign-in")
    async def sign_in(body: SignIn, request: Request):
        return {"otp_id": await start_sign_in(request.app.state.smscx, body.phone_number)}
"""

from __future__ import annotations

import asyncio
import re
import sys
from typing import List, Optional

from _sandbox_control import configuration, outbox

from smscx_client import ApiConnectionError, ApiException, InvalidPinException
from smscx_client.aio import AsyncApiClient, AsyncOtpApi
from smscx_client.model.new_otp_request import NewOtpRequest

TEMPLATE = "Your MyBrand code is {{pin}}"


# -- the app's handlers --------------------------------------------------------------------------
async def start_sign_in(client: AsyncApiClient, phone_number: str) -> str:
    """``POST /sign-in``: text a PIN to ``phone_number``; the OTP id goes back to the browser."""
    created = await AsyncOtpApi(client).new_otp(
        NewOtpRequest(phone_number=phone_number, _from="MyBrand", template=TEMPLATE, pin_length=6)
    )
    return created.otp_id


async def finish_sign_in(client: AsyncApiClient, otp_id: str, pin: str) -> bool:
    """``POST /sign-in/{otp_id}``: True when ``pin`` is the one that was sent."""
    try:
        result = await AsyncOtpApi(client).verify_otp(otp_id, pin)
    except InvalidPinException:  # 400 invalid_pin: the user may try again
        return False
    return result.status == "VERIFIED"


# -- the users -----------------------------------------------------------------------------------
async def read_pin(host: str, phone_number: str) -> str:
    """What the user types: from the sandbox's outbox, else from the keyboard."""
    messages = await asyncio.to_thread(outbox, host)  # a blocking read, kept off the event loop
    if messages is None:
        return (await asyncio.to_thread(input, "PIN received by SMS on {}: ".format(phone_number))).strip()
    text = [m["text"] for m in messages if m["to"] == phone_number][-1]
    return re.search(r"code is (\w+)", text).group(1)  # type: ignore[union-attr]


async def user(client: AsyncApiClient, host: str, phone_number: str) -> str:
    """One user's sign-in: ask for a PIN, mistype it once, then type it right."""
    otp_id = await start_sign_in(client, phone_number)
    pin = await read_pin(host, phone_number)
    typo = ("1" if pin[0] != "1" else "2") + pin[1:]
    wrong = await finish_sign_in(client, otp_id, typo)
    signed_in = await finish_sign_in(client, otp_id, pin)
    return "{}: typo refused={}, PIN {} -> signed in={}".format(phone_number, not wrong, pin, signed_in)


async def main(numbers: List[str]) -> int:
    config = configuration()
    async with AsyncApiClient(config) as client:  # the app's startup and shutdown
        try:
            lines = await asyncio.gather(*(user(client, config.host, n) for n in numbers))
        except ApiConnectionError as e:  # no answer at all (network, DNS, TLS, timeout): no HTTP status
            print("Failed:", e, file=sys.stderr)
            return 1
        except ApiException as e:
            print("Failed: HTTP", e.status, e.error_type, e.error_code, e.error_message, file=sys.stderr)
            return 1
    for line in lines:
        print(line)
    print("Signed in concurrently:", len(lines))
    return 0


def numbers_from(argv: List[str]) -> List[str]:
    """The numbers to sign in: the arguments, else three French test numbers."""
    given: Optional[List[str]] = argv[1:] or None
    return given or ["+33612345678", "+33612345679", "+33612345680"]


if __name__ == "__main__":
    sys.exit(asyncio.run(main(numbers_from(sys.argv))))
