"""OAuth against the sandbox: tokens, their scopes and expiry, and the SDK's automatic OAuth mode."""

from __future__ import annotations

from typing import Any

import pytest

from smscx_client import ApiClient
from smscx_client.api.account_api import AccountApi
from smscx_client.api.applications_api import ApplicationsApi
from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.oauth_api import OauthApi
from smscx_client.exceptions import (
    InsufficientScopeException,
    InvalidCredentialsException,
    InvalidRequestException,
    InvalidScopeException,
)
from smscx_client.model.oauth_token_response import OauthTokenResponse
from smscx_client.sandbox.app import ALL_SCOPES


def _app_client(sb: Any, secret: Any = None) -> ApiClient:
    """A client holding the application id and secret (Basic auth, or automatic OAuth)."""
    return sb.api_client(username=sb.app_id, password=secret or sb.app_secret, max_retries=0)


def _token(sb: Any, scope: Any = None) -> OauthTokenResponse:
    """A fresh access token."""
    return OauthApi(_app_client(sb)).get_access_token(scope=scope)


def _raw_token_call(sb: Any, form: list) -> Any:
    """POST /oauth/token with a form the generated method would refuse to send."""
    return _app_client(sb).call_api(
        "/oauth/token",
        "POST",
        post_params=form,
        response_type=(OauthTokenResponse,),
        auth_settings=["BasicAuth"],
        _operation="get_access_token",
    )


def test_token_with_every_scope_by_default(sb: Any) -> None:
    data, status, _ = OauthApi(_app_client(sb)).get_access_token(_return_http_data_only=False)
    assert status == 200
    assert isinstance(data, OauthTokenResponse)
    assert data.token_type == "Bearer"
    assert data.expires_in == 3600
    assert data.scope.split() == list(ALL_SCOPES)
    assert len(data.access_token) >= 32
    stored = sb.state.tokens[data.access_token]
    assert stored.scopes == list(ALL_SCOPES)
    assert stored.expires_at == pytest.approx(sb.now() + 3600, abs=5)


def test_token_works_as_bearer_on_other_apis(sb: Any) -> None:
    token = _token(sb).access_token
    client = sb.api_client(access_token=token, max_retries=0)
    balance = AccountApi(client).get_account_balance()
    assert balance.balance == pytest.approx(sb.balance)
    assert ApplicationsApi(client).get_scopes() == list(ALL_SCOPES)


def test_each_token_is_new(sb: Any) -> None:
    first, second = _token(sb).access_token, _token(sb).access_token
    assert first != second
    assert {first, second} <= set(sb.state.tokens)


def test_scoped_token_is_refused_outside_its_scopes(sb: Any) -> None:
    token = _token(sb, "sms")
    assert token.scope == "sms"
    client = sb.api_client(access_token=token.access_token, max_retries=0)
    with pytest.raises(InsufficientScopeException) as err:
        GroupsApi(client).get_groups_list()
    assert err.value.status == 403
    assert err.value.error_type == "insufficient_scope"
    with pytest.raises(InsufficientScopeException):
        AccountApi(client).get_account_balance()


def test_several_scopes_deduplicated_in_request_order(sb: Any) -> None:
    token = _token(sb, "  applications account\taccount ")
    assert token.scope == "applications account"
    client = sb.api_client(access_token=token.access_token, max_retries=0)
    assert AccountApi(client).get_account_balance().currency == "eur"
    assert ApplicationsApi(client).get_scopes()
    with pytest.raises(InsufficientScopeException):
        GroupsApi(client).get_groups_list()


def test_empty_scope_means_every_scope(sb: Any) -> None:
    assert _token(sb, "").scope.split() == list(ALL_SCOPES)


def test_token_expires_on_the_sandbox_clock(sb: Any) -> None:
    token = _token(sb, "account").access_token
    client = sb.api_client(access_token=token, max_retries=0)
    sb.advance(3590)
    AccountApi(client).get_account_balance()
    sb.advance(11)
    with pytest.raises(InvalidCredentialsException) as err:
        AccountApi(client).get_account_balance()
    assert err.value.status == 401


def test_lifetime_follows_the_application_setting(sb: Any) -> None:
    sb.control("POST", "application", {"tokenExpiration": 86400})
    token = _token(sb)
    assert token.expires_in == 86400
    client = sb.api_client(access_token=token.access_token, max_retries=0)
    sb.advance(86399)
    AccountApi(client).get_account_balance()
    sb.advance(2)
    with pytest.raises(InvalidCredentialsException):
        AccountApi(client).get_account_balance()


def test_unknown_token_is_refused(sb: Any) -> None:
    client = sb.api_client(access_token="not-a-token", max_retries=0)
    with pytest.raises(InvalidCredentialsException):
        AccountApi(client).get_account_balance()


def test_reset_forgets_tokens(sb: Any) -> None:
    token = _token(sb).access_token
    sb.reset()
    with pytest.raises(InvalidCredentialsException):
        AccountApi(sb.api_client(access_token=token, max_retries=0)).get_account_balance()


def test_wrong_secret_is_invalid_client(sb: Any) -> None:
    with pytest.raises(InvalidCredentialsException) as err:
        OauthApi(_app_client(sb, "wrong-secret")).get_access_token()
    assert (err.value.status, err.value.error_type, err.value.error_code) == (401, "invalid_client", 1600)


def test_wrong_secret_gets_no_token(sb: Any) -> None:
    with pytest.raises(InvalidCredentialsException) as err:
        OauthApi(_app_client(sb, "wrong-secret")).get_access_token()
    assert err.value.error_code == 1600
    assert sb.state.tokens == {}


def test_unknown_scope(sb: Any) -> None:
    with pytest.raises(InvalidScopeException) as err:
        OauthApi(_app_client(sb)).get_access_token(scope="sms oauth")
    assert (err.value.status, err.value.error_type, err.value.error_code) == (400, "invalid_scope", 1600)
    assert sb.state.tokens == {}


def test_scope_names_are_case_sensitive(sb: Any) -> None:
    with pytest.raises(InvalidScopeException):
        OauthApi(_app_client(sb)).get_access_token(scope="SMS")


def test_unsupported_grant_type(sb: Any) -> None:
    with pytest.raises(InvalidRequestException) as err:
        _raw_token_call(sb, [("grant_type", "password")])
    assert (err.value.status, err.value.error_type, err.value.error_code) == (
        400,
        "unsupported_grant_type",
        1600,
    )


def test_missing_grant_type(sb: Any) -> None:
    with pytest.raises(InvalidRequestException) as err:
        _raw_token_call(sb, [("scope", "sms")])
    assert (err.value.status, err.value.error_type, err.value.error_code) == (400, "invalid_request", 1600)
    with pytest.raises(InvalidRequestException) as err:
        _raw_token_call(sb, [])
    assert err.value.error_type == "invalid_request"


def test_sdk_fetches_a_token_itself_and_renews_it_after_expiry(sb: Any) -> None:
    client = sb.api_client(username=sb.app_id, password=sb.app_secret, max_retries=0)
    assert client.configuration.api_key is None and client.configuration.access_token is None
    assert AccountApi(client).get_account_balance().currency == "eur"
    first = set(sb.state.tokens)
    assert len(first) == 1
    ApplicationsApi(client).get_scopes()
    assert set(sb.state.tokens) == first  # the cached token is reused

    sb.advance(3601)
    assert AccountApi(client).get_account_balance().currency == "eur"
    renewed = set(sb.state.tokens)
    assert len(renewed) == 1 and renewed != first  # expired one pruned, a new one issued


def test_sdk_oauth_mode_with_a_wrong_secret_fails(sb: Any) -> None:
    client = sb.api_client(username=sb.app_id, password="wrong-secret", max_retries=0)
    with pytest.raises((InvalidCredentialsException, InvalidRequestException)):
        AccountApi(client).get_account_balance()
    assert sb.state.tokens == {}
