"""Applications and scopes against the sandbox, and the control action that configures the application."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from support import api_fixture, control_error

from smscx_client.api.applications_api import ApplicationsApi
from smscx_client.api.oauth_api import OauthApi
from smscx_client.exceptions import InsufficientScopeException, ResourceNotFoundException
from smscx_client.model.application_settings_response import ApplicationSettingsResponse
from smscx_client.sandbox.backends.applications import callback_url, section

EXPECTED_SCOPES = [
    "account",
    "applications",
    "attachments",
    "conversations",
    "groups",
    "multichannel",
    "numbers",
    "optouts",
    "originators",
    "otp",
    "reports",
    "shortlinks",
    "sms",
    "templates",
    "viber",
    "whatsapp",
]


apps = api_fixture(ApplicationsApi)


def test_scopes_are_one_per_resource(apps: ApplicationsApi) -> None:
    scopes = apps.get_scopes()
    assert scopes == EXPECTED_SCOPES
    assert "oauth" not in scopes


def test_applications_list(smscx_sandbox: Any, apps: ApplicationsApi) -> None:
    sb = smscx_sandbox
    data, status, _ = apps.get_applications_list(_return_http_data_only=False)
    assert status == 200
    assert len(data.data) == 1
    app = data.data[0]
    assert app.id == 1
    assert app.application_id == sb.app_id
    assert app.application_secret == sb.app_secret  # usable: it is the Basic-auth password
    assert app.application_name == "Sandbox application"
    assert app.scopes.split() == EXPECTED_SCOPES
    assert app.token_expiration == "3600"
    created = datetime.strptime(app.created_at, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
    assert sb.now() - 60 < created <= sb.now()  # made at the reset of this test


def test_listed_credentials_obtain_a_token(smscx_sandbox: Any, apps: ApplicationsApi) -> None:
    app = apps.get_applications_list().data[0]
    client = smscx_sandbox.api_client(
        username=app.application_id, password=app.application_secret, max_retries=0
    )
    assert OauthApi(client).get_access_token().token_type == "Bearer"


def test_application_settings_defaults(smscx_sandbox: Any, apps: ApplicationsApi) -> None:
    got = apps.get_application_settings(smscx_sandbox.app_id)
    assert isinstance(got, ApplicationSettingsResponse)
    assert got.application_id == smscx_sandbox.app_id
    assert got.name == "Sandbox application"
    assert got.scopes.split() == EXPECTED_SCOPES
    assert got.token_expiration == "3600"
    s = got.settings
    assert s.sms.dlr_callback is None and s.sms.receive_callback is None
    assert s.sms.enforce_originator is None and s.sms.quiet_hours is None
    assert s.sms.transliteration.alphabet == "NONE"
    assert s.sms.transliteration.remove_emojis is False
    for channel in (s.viber, s.whatsapp, s.multichannel):
        assert (
            channel.dlr_callback is None and channel.receive_callback is None and channel.quiet_hours is None
        )
    assert s.multichannel.ttl == 3600 and s.multichannel.expire_after_ttl is False
    assert s.shortlinks.shortlinks_callback is None
    assert s.attachments.attachments_callback is None
    assert s.optouts.optouts_callback is None
    assert s.lookup.lookup_callback is None
    otp = s.otp
    assert "{{pin}}" in otp.template
    assert otp._from == "InfoText"
    assert (otp.pin_type, otp.pin_length, otp.ttl, otp.max_attempts) == ("numbers", 6, 300, 3)
    assert otp.otp_callback is None


def test_unknown_application(apps: ApplicationsApi) -> None:
    with pytest.raises(ResourceNotFoundException) as err:
        apps.get_application_settings("no-such-app")
    assert (err.value.status, err.value.error_type, err.value.error_code) == (404, "not_found", 1500)


def test_control_action_changes_the_application(smscx_sandbox: Any, apps: ApplicationsApi) -> None:
    sb = smscx_sandbox
    view = sb.control(
        "POST",
        "application",
        {
            "name": "Shop",
            "tokenExpiration": 604800,
            "settings": {
                "sms": {
                    "dlrCallback": "https://hooks.example/dlr",
                    "quietHours": {"start": "21:30", "stop": "08:00"},
                    "transliteration": {"alphabet": "GREEK"},
                },
                "shortlinks": {"shortlinksCallback": "https://hooks.example/links"},
                "otp": {"pinLength": 8},
            },
        },
    )
    assert view["name"] == "Shop" and view["tokenExpiration"] == "604800"
    got = apps.get_application_settings(sb.app_id)
    assert got.name == "Shop"
    assert got.token_expiration == "604800"
    assert got.settings.sms.dlr_callback == "https://hooks.example/dlr"
    assert (got.settings.sms.quiet_hours.start, got.settings.sms.quiet_hours.stop) == ("21:30", "08:00")
    assert got.settings.sms.transliteration.alphabet == "GREEK"
    assert got.settings.sms.transliteration.remove_emojis is False  # untouched key kept
    assert got.settings.shortlinks.shortlinks_callback == "https://hooks.example/links"
    assert got.settings.otp.pin_length == 8 and got.settings.otp.ttl == 300
    listed = apps.get_applications_list().data[0]
    assert (listed.application_name, listed.token_expiration) == ("Shop", "604800")
    # what other backends read
    with sb.state.lock:
        assert callback_url(sb.state.account, "sms", "dlrCallback") == "https://hooks.example/dlr"
        assert callback_url(sb.state.account, "viber", "dlrCallback") is None
        assert section(sb.state.account, "otp")["pinLength"] == 8
    # a callback set back to null
    sb.control("POST", "application", {"settings": {"sms": {"dlrCallback": None}}})
    assert apps.get_application_settings(sb.app_id).settings.sms.dlr_callback is None


@pytest.mark.parametrize(
    "body",
    [
        {"tokenExpiration": 0},
        {"tokenExpiration": "3600"},
        {"tokenExpiration": True},
        {"name": ""},
        {"name": 5},
        {"settings": []},
        {"settings": {"fax": {}}},
        {"settings": {"sms": "x"}},
        {"settings": {"sms": {"color": "red"}}},
        {"settings": {"sms": {"dlrCallback": "ftp://x"}}},
        {"settings": {"sms": {"dlrCallback": 5}}},
        {"settings": {"sms": {"transliteration": {"alphabet": "KLINGON"}}}},
        {"settings": {"sms": {"transliteration": {"removeEmojis": "yes"}}}},
        {"settings": {"sms": {"transliteration": {"other": 1}}}},
        {"settings": {"sms": {"transliteration": None}}},
        {"settings": {"sms": {"quietHours": {"start": "21:00"}}}},
        {"settings": {"otp": {"pinLength": 11}}},
        {"settings": {"otp": {"pinType": "emoji"}}},
        {"settings": {"otp": {"template": "no pin here"}}},
        {"settings": {"otp": {"from": "ab"}}},
        {"settings": {"multichannel": {"expireAfterTtl": 1}}},
        {"settings": {"shortlinks": {"shortlinksCallback": "https://ok.example"}, "otp": {"ttl": 5}}},
    ],
)
def test_control_action_rejects_bad_input_and_changes_nothing(
    smscx_sandbox: Any, apps: ApplicationsApi, body: Any
) -> None:
    status, err = control_error(smscx_sandbox, "application", body)
    assert status == 400
    assert (err["error"]["type"], err["error"]["code"]) == ("invalid_param", 1009)
    got = apps.get_application_settings(smscx_sandbox.app_id)
    assert got.token_expiration == "3600" and got.name == "Sandbox application"
    assert got.settings.shortlinks.shortlinks_callback is None


def test_control_action_needs_a_json_object(smscx_sandbox: Any) -> None:
    status, err = control_error(smscx_sandbox, "application", ["name", "x"])
    assert status == 400 and err["error"]["code"] == 1009


def test_reset_restores_the_application(smscx_sandbox: Any, apps: ApplicationsApi) -> None:
    smscx_sandbox.control(
        "POST",
        "application",
        {"name": "Changed", "settings": {"lookup": {"lookupCallback": "https://x.example"}}},
    )
    smscx_sandbox.reset()
    got = apps.get_application_settings(smscx_sandbox.app_id)
    assert got.name == "Sandbox application"
    assert got.settings.lookup.lookup_callback is None


def test_scope_needed_for_applications(smscx_sandbox: Any) -> None:
    app_client = smscx_sandbox.api_client(
        username=smscx_sandbox.app_id, password=smscx_sandbox.app_secret, max_retries=0
    )
    oauth = OauthApi(app_client)
    allowed = smscx_sandbox.api_client(
        access_token=oauth.get_access_token(scope="applications").access_token, max_retries=0
    )
    assert ApplicationsApi(allowed).get_applications_list().data[0].id == 1
    denied = smscx_sandbox.api_client(
        access_token=oauth.get_access_token(scope="sms").access_token, max_retries=0
    )
    with pytest.raises(InsufficientScopeException):
        ApplicationsApi(denied).get_scopes()
