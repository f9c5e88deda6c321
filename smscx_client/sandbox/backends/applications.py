"""Applications: the sandbox's one OAuth application, its settings and the scope names.

The application is ``state.account.application`` (``records.Application``); its ``settings``
are the API's ``Settings`` document, ``{"sms": {...}, "viber": {...}, ..., "otp": {...}}``.

Its id and secret are the sandbox credentials (``state.credentials``), never copied. Other
backends read the callback URLs and defaults through ``callback_url(account, section, key)``
and ``section(account, name)``, e.g. ``callback_url(acc, "sms", "dlrCallback")``.

The API has no endpoint to change an application, so the sandbox offers a control action:

    POST /__sandbox/application   {"name"?, "tokenExpiration"? (seconds > 0),
                                   "settings"? {section: {key: value}}}
        merges the given keys into the application and answers its settings view; unknown
        sections or keys, or values of the wrong type, answer 400 invalid_param 1009.

Scopes: the API does not publish its scope names, so the sandbox uses one per API resource
(``wire.ALL_SCOPES``: account, applications, attachments, ... whatsapp); GET /applications/scopes
lists them and the application holds all of them.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Dict, Optional

from smscx_client.sandbox import control
from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.records import Application
from smscx_client.sandbox.state import AccountState, SandboxState
from smscx_client.sandbox.wire import ALL_SCOPES, Ctx

__all__ = ["seed", "callback_url", "section", "token_lifetime", "DEFAULT_TOKEN_EXPIRATION"]

DEFAULT_TOKEN_EXPIRATION = 3600
APPLICATION_NAME = "Sandbox application"

# Keys whose value may be null besides the callback URLs (the schema types them string|null).
_NULLABLE = {"enforceOriginator", "quietHours"}


def _default_settings() -> Dict[str, Any]:
    channel = {"dlrCallback": None, "receiveCallback": None, "quietHours": None}
    return {
        "sms": {
            "enforceOriginator": None,
            "dlrCallback": None,
            "receiveCallback": None,
            "quietHours": None,
            "transliteration": {"alphabet": "NONE", "removeEmojis": False},
        },
        "viber": dict(channel),
        "whatsapp": dict(channel),
        "multichannel": dict(channel, ttl=3600, expireAfterTtl=False),
        "shortlinks": {"shortlinksCallback": None},
        "attachments": {"attachmentsCallback": None},
        "optouts": {"optoutsCallback": None},
        "lookup": {"lookupCallback": None},
        "otp": {
            "template": "Your verification code is {{pin}}",
            "from": "InfoText",
            "pinType": "numbers",
            "pinLength": 6,
            "ttl": 300,
            "maxAttempts": 3,
            "otpCallback": None,
        },
    }


def seed(state: SandboxState) -> None:
    """The one application: every scope, tokens valid one hour, no callback URLs."""
    state.account.application = Application(
        1, APPLICATION_NAME, DEFAULT_TOKEN_EXPIRATION, state.clock.now(), _default_settings()
    )


def _app(account: AccountState) -> Application:
    if account.application is None:
        raise KeyError("the application was not seeded")  # callers treat a missing section alike
    return account.application


def section(account: AccountState, name: str) -> Dict[str, Any]:
    """One section of the application settings (``sms``, ``otp``, ``shortlinks`` ...), live."""
    settings: Dict[str, Any] = _app(account).settings[name]
    return settings


def callback_url(account: AccountState, name: str, key: str) -> Optional[str]:
    """A callback URL from the application settings, or None when it is not set."""
    value = section(account, name).get(key)
    return value if isinstance(value, str) and value else None


def token_lifetime(account: AccountState) -> int:
    """Seconds an access token issued now stays valid."""
    return _app(account).token_expiration


def _scopes() -> str:
    return " ".join(ALL_SCOPES)


def get_applications_list(ctx: Ctx) -> Dict[str, Any]:
    """``GET /applications``: the sandbox's application (the secret in full, as it is usable)."""
    app = _app(ctx.account)
    creds = ctx.state.credentials
    return {
        "data": [
            {
                "id": app.id,
                "applicationId": creds.app_id,
                "applicationSecret": creds.app_secret,
                "applicationName": app.name,
                "scopes": _scopes(),
                "tokenExpiration": str(app.token_expiration),
                "createdAt": ctx.clock.fmt(app.created_at),
            }
        ]
    }


def _settings_view(state: SandboxState) -> Dict[str, Any]:
    app = _app(state.account)
    return {
        "applicationId": state.credentials.app_id,
        "name": app.name,
        "scopes": _scopes(),
        "tokenExpiration": str(app.token_expiration),
        "settings": copy.deepcopy(app.settings),
    }


def get_application_settings(ctx: Ctx) -> Dict[str, Any]:
    """``GET /applications/{applicationId}``."""
    if ctx.path.get("applicationId") != ctx.state.credentials.app_id:
        raise ctx.error(1500)
    return _settings_view(ctx.state)


def get_scopes(ctx: Ctx) -> Any:
    """``GET /applications/scopes``: a plain JSON array of scope names."""
    return list(ALL_SCOPES)


# -- control plane ------------------------------------------------------------------------
def _bad(message: str) -> SandboxApiError:
    return SandboxApiError(400, "invalid_param", 1009, message)


_ALPHABETS = (
    "NONE",
    "NON_GSM",
    "POLISH",
    "TURKISH",
    "GREEK",
    "ROMANIAN",
    "RUSSIAN_CYRILLIC",
    "BULGARIAN_CYRILLIC",
    "UKRAINIAN_CYRILLIC",
    "BELARUSIAN_CYRILLIC",
    "SERBIAN_CYRILLIC",
)
# Enums and ranges of the settings schema (the published 0.1.13 rejects values outside them).
_ALLOWED: Dict[str, Callable[[Any], bool]] = {
    "settings.sms.transliteration.alphabet": lambda v: v in _ALPHABETS,
    "settings.multichannel.ttl": lambda v: v > 0,
    "settings.otp.pinType": lambda v: v in ("letters", "numbers", "alphanumeric"),
    "settings.otp.pinLength": lambda v: 4 <= v <= 10,
    "settings.otp.ttl": lambda v: 60 <= v <= 1800,
    "settings.otp.maxAttempts": lambda v: 1 <= v <= 10,
    "settings.otp.from": lambda v: 3 <= len(v) <= 15,
    "settings.otp.template": lambda v: "{{pin}}" in v,
}


def _check_value(where: str, key: str, old: Any, value: Any) -> Any:
    label = "`{}.{}`".format(where, key)
    if key.endswith("Callback"):
        if value is None or (isinstance(value, str) and value.startswith(("http://", "https://"))):
            return value
        raise _bad(label + " must be an http(s) URL or null")
    if value is None:
        if key in _NULLABLE:
            return None
        raise _bad(label + " cannot be null")
    if key == "quietHours":
        if (
            isinstance(value, dict)
            and isinstance(value.get("start"), str)
            and isinstance(value.get("stop"), str)
        ):
            return {"start": value["start"], "stop": value["stop"]}
        raise _bad(label + ' must be null or {"start": "HH:MM", "stop": "HH:MM"}')
    if isinstance(old, dict):
        if not isinstance(value, dict):
            raise _bad(label + " must be an object")
        merged = dict(old)
        for k, v in value.items():
            if k not in old:
                raise _bad("{}.{} is not a setting".format(label, k))
            merged[k] = _check_value(where + "." + key, k, old[k], v)
        return merged
    expected = str if old is None else type(old)
    check = _ALLOWED.get(where + "." + key)
    if type(value) is not expected or (check is not None and not check(value)):
        raise _bad("{} must be a valid {}".format(label, expected.__name__))
    return value


@control.register("POST", "application")
def configure_application(state: SandboxState, body: Dict[str, Any]) -> Dict[str, Any]:
    """Control action: change the application (name, token lifetime, settings)."""
    app = _app(state.account)
    name = body.get("name", app.name)
    if not isinstance(name, str) or not name.strip():
        raise _bad("`name` must be a non-empty string")
    lifetime = body.get("tokenExpiration", app.token_expiration)
    if isinstance(lifetime, bool) or not isinstance(lifetime, int) or lifetime <= 0:
        raise _bad("`tokenExpiration` must be a number of seconds > 0")
    changes = body.get("settings", {})
    if not isinstance(changes, dict):
        raise _bad("`settings` must be an object of sections")
    settings = copy.deepcopy(app.settings)
    for name_, values in changes.items():
        if name_ not in settings or not isinstance(values, dict):
            raise _bad("`settings.{}` is not a settings section object".format(name_))
        for key, value in values.items():
            if key not in settings[name_]:
                raise _bad("`settings.{}.{}` is not a setting".format(name_, key))
            settings[name_][key] = _check_value("settings." + name_, key, settings[name_][key], value)
    # applied only once everything validated, so a bad request changes nothing
    app.name, app.token_expiration, app.settings = name, lifetime, settings
    return _settings_view(state)
