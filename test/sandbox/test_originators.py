"""Originators (sender IDs) against the sandbox, through OriginatorsApi: rules, approval clock, deletion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from support import api_fixture, expect_error, raw_call

from smscx_client.api.originators_api import OriginatorsApi
from smscx_client.exceptions import (
    DuplicateValueException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from smscx_client.model.originator_new_request import OriginatorNewRequest
from smscx_client.sandbox.backends.originators import APPROVAL_DELAY, default_originator

originators = api_fixture(OriginatorsApi)


def test_seeded_default(smscx_sandbox: Any, originators: OriginatorsApi) -> None:
    data = originators.get_originators_list().data
    assert len(data) == 1
    seeded = data[0]
    assert (seeded.id, seeded.originator, seeded.is_default, seeded.approved) == (1, "InfoText", True, True)
    assert isinstance(seeded.created_at, datetime)
    assert default_originator(smscx_sandbox.state.account) == "InfoText"


def test_create_then_approved_on_the_clock(smscx_sandbox: Any, originators: OriginatorsApi) -> None:
    created, status, _ = originators.create_originator(
        OriginatorNewRequest(originator="Brand"), _return_http_data_only=False
    )
    assert status == 201 and (created.info.id, created.info.originator) == (2, "Brand")
    numeric = originators.create_originator(OriginatorNewRequest(originator="447400123456"))
    assert numeric.info.id == 3

    listed = originators.get_originators_list().data
    assert [o.originator for o in listed] == ["447400123456", "Brand", "InfoText"]  # newest first
    assert [(o.approved, o.is_default) for o in listed] == [(False, False), (False, False), (True, True)]

    smscx_sandbox.advance(APPROVAL_DELAY - 5)
    assert [o.approved for o in originators.get_originators_list().data] == [False, False, True]
    smscx_sandbox.advance(5)
    assert [o.approved for o in originators.get_originators_list().data] == [True, True, True]
    assert default_originator(smscx_sandbox.state.account) == "InfoText"


@pytest.mark.parametrize(
    "value,code",
    [
        (None, 1301),
        ("", 1301),
        ("Info-Text", 1303),
        ("My Shop", 1303),
        ("Café", 1303),
        (12345, 1303),
        (["Brand"], 1303),
        ("ab", 1304),
        ("A" * 12, 1304),
        ("A1" * 6, 1304),
        ("12", 1304),  # below the 3 both kinds need: the schema cannot tell the kinds apart there
        ("1" * 16, 1305),
    ],
)
def test_create_rules(originators: OriginatorsApi, value: Any, code: int) -> None:
    expect_error(
        InvalidRequestException,
        code,
        raw_call,
        originators.api_client,
        "POST",
        "/originators",
        body={"originator": value},
    )
    assert len(originators.get_originators_list().data) == 1


def test_create_limits_and_duplicates(originators: OriginatorsApi) -> None:
    for ok in ("abc", "ABCDEFGHIJK", "123", "1" * 15, "Shop24"):
        assert originators.create_originator(OriginatorNewRequest(originator=ok)).info.originator == ok
    # the SDK lets 12-15 characters through (its pattern allows 15); the API's alphanumeric limit is 11
    expect_error(
        InvalidRequestException,
        1304,
        originators.create_originator,
        OriginatorNewRequest(originator="ABCDEFGHIJKL"),
    )
    expect_error(
        DuplicateValueException,
        1306,
        originators.create_originator,
        OriginatorNewRequest(originator="InfoText"),
    )
    expect_error(
        DuplicateValueException,
        1306,
        originators.create_originator,
        OriginatorNewRequest(originator="Shop24"),
    )
    # no body, or one that is no object: the common invalid_body row
    expect_error(
        InvalidRequestException, 1007, raw_call, originators.api_client, "POST", "/originators", body=None
    )
    expect_error(
        InvalidRequestException,
        1007,
        raw_call,
        originators.api_client,
        "POST",
        "/originators",
        body=["Brand"],
    )
    assert len(originators.get_originators_list().data) == 6


def test_delete(smscx_sandbox: Any, originators: OriginatorsApi) -> None:
    originators.create_originator(OriginatorNewRequest(originator="Brand"))
    deleted = originators.delete_originator(2)
    assert (deleted.info.id, deleted.info.originator) == (2, "Brand")
    assert [o.originator for o in originators.get_originators_list().data] == ["InfoText"]
    expect_error(ResourceNotFoundException, 1300, originators.delete_originator, 2)
    for bad in ("abc", "0", "-1", "2x"):
        expect_error(
            ResourceNotFoundException,
            1300,
            raw_call,
            originators.api_client,
            "DELETE",
            "/originators/{originatorId}",
            path_params={"originatorId": bad},
        )

    # a deleted name can be registered again, and goes through approval again
    assert originators.create_originator(OriginatorNewRequest(originator="Brand")).info.id == 3
    smscx_sandbox.advance(APPROVAL_DELAY)
    again = originators.get_originators_list().data[0]
    assert (again.id, again.approved) == (3, True)

    originators.delete_originator(1)  # the default can go too
    assert default_originator(smscx_sandbox.state.account) is None
