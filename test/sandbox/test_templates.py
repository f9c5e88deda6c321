"""Templates against the sandbox, through TemplatesApi: rules and codes, approval and locking, edits."""

from __future__ import annotations

import re
from typing import Any, Dict

import pytest
from support import api_fixture, control_error, expect_error, raw_call

from smscx_client.api.templates_api import TemplatesApi
from smscx_client.exceptions import (
    AccessDeniedException,
    DuplicateValueException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from smscx_client.model.rich_media import RichMedia
from smscx_client.model.templates_new_request import TemplatesNewRequest
from smscx_client.model.templates_update_request import TemplatesUpdateRequest
from smscx_client.sandbox.backends.templates import APPROVAL_DELAY

MEDIA = RichMedia(
    image_url="https://example.com/shoe.png", button_caption="Shop now", target_url="https://example.com/shop"
)


templates = api_fixture(TemplatesApi)


def _create(templates: TemplatesApi, text: str = "Hi {{firstName}}", **fields: Any) -> Any:
    return templates.create_template(TemplatesNewRequest(text=text, **fields)).info


def test_sms_template(smscx_sandbox: Any, templates: TemplatesApi) -> None:
    created, status, _ = templates.create_template(
        TemplatesNewRequest(text="Hi {{firstName}}", name=" Welcome "), _return_http_data_only=False
    )
    assert status == 201
    assert created.info.to_dict() == {
        "id": 1,
        "name": "Welcome",
        "text": "Hi {{firstName}}",
        "channel": "sms",
    }
    got = templates.get_template(1).data
    assert (got.id, got.name, got.text, got.channel, got.type, got.approved, got.locked) == (
        1,
        "Welcome",
        "Hi {{firstName}}",
        "sms",
        None,
        True,
        False,
    )
    assert got.rich_media.to_dict() == {"image_url": None, "button_caption": None, "target_url": None}
    assert got.created_at == smscx_sandbox.state.clock.fmt(
        smscx_sandbox.state.account.templates.get(1).created_at
    )
    listed = templates.get_templates_list().data
    assert [(t.id, t.name, t.channel, t.text, t.approved) for t in listed] == [
        (1, "Welcome", "sms", "Hi {{firstName}}", True)
    ]


def test_generated_names(templates: TemplatesApi) -> None:
    first = _create(templates, "One").name
    second = _create(templates, "Two").name
    stamp = r"Template \d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
    assert re.fullmatch(stamp, first)
    # within the same second the second name gets a counter
    assert re.fullmatch(stamp, second) or second == first + " (2)"
    assert first != second


def test_viber_and_whatsapp_approval_locks(smscx_sandbox: Any, templates: TemplatesApi) -> None:
    viber = _create(templates, "Big sale", name="Sale", channel="viber", rich_media=MEDIA)
    assert (viber.channel, viber.type, viber.approved) == ("viber", "promotional", False)
    whatsapp = _create(templates, "Your order shipped", name="Shipping", channel="whatsapp")
    assert (whatsapp.type, whatsapp.approved) == ("transactional", False)
    assert [(t.name, t.approved) for t in templates.get_templates_list().data] == [
        ("Shipping", False),
        ("Sale", False),
    ]
    got = templates.get_template(viber.id).data
    assert got.rich_media.to_dict() == {
        "image_url": MEDIA.image_url,
        "button_caption": "Shop now",
        "target_url": MEDIA.target_url,
    }
    assert (got.approved, got.locked, got.type) == (False, False, "promotional")

    # still pending: it can be edited
    assert templates.update_template(viber.id, TemplatesUpdateRequest(text="Bigger sale")).info.id == viber.id
    smscx_sandbox.advance(APPROVAL_DELAY)
    got = templates.get_template(viber.id).data
    assert (got.text, got.approved, got.locked) == ("Bigger sale", True, True)
    expect_error(
        AccessDeniedException, 1812, templates.update_template, viber.id, TemplatesUpdateRequest(text="Edit")
    )
    assert [t.approved for t in templates.get_templates_list().data] == [True, True]


def _media(**fields: Any) -> Dict[str, Any]:
    """A RichMedia body: its three keys are required (each may be null)."""
    return dict({"imageUrl": None, "buttonCaption": None, "targetUrl": None}, **fields)


@pytest.mark.parametrize(
    "body,code",
    [
        ({}, 1801),
        ({"text": None}, 1801),
        ({"text": ""}, 1801),
        ({"text": "   "}, 1801),
        ([], 1007),  # a body that is no object: the common invalid_body row
        ({"text": 5}, 1802),
        ({"text": ["a"]}, 1802),
        ({"text": "a\x00b"}, 1802),
        ({"text": "Hi", "name": "ab"}, 1803),
        ({"text": "Hi", "name": "n" * 101}, 1803),
        ({"text": "Hi", "name": 12345}, 1803),
        ({"text": "Hi", "channel": "telegram"}, 1806),
        ({"text": "Hi", "channel": 1}, 1806),
        ({"text": "x" * 1001, "channel": "viber"}, 1811),
        ({"text": "x" * 1001, "channel": "whatsapp"}, 1811),
        ({"text": "Hi", "channel": "viber", "richMedia": _media(imageUrl="ftp://example.com/a.png")}, 1810),
        ({"text": "Hi", "channel": "viber", "richMedia": _media(imageUrl=7)}, 1810),
        ({"text": "Hi", "channel": "viber", "richMedia": _media(buttonCaption="")}, 1808),
        ({"text": "Hi", "channel": "viber", "richMedia": _media(buttonCaption="c" * 31)}, 1808),
        ({"text": "Hi", "channel": "viber", "richMedia": _media(targetUrl="example")}, 1809),
        ({"text": "Hi", "channel": "viber", "richMedia": {"imageUrl": None, "buttonCaption": None}}, 1809),
        ({"text": "Hi", "channel": "viber", "richMedia": "https://example.com"}, 1008),
    ],
)
def test_create_rules(templates: TemplatesApi, body: Any, code: int) -> None:
    expect_error(
        InvalidRequestException, code, raw_call, templates.api_client, "POST", "/templates", body=body
    )
    assert templates.get_templates_list().data == []


def test_create_limits_and_duplicates(templates: TemplatesApi) -> None:
    assert _create(templates, "x" * 1000, name="abc", channel="viber").approved is False
    assert _create(templates, "x" * 1001, name="n" * 100).channel == "sms"  # the limit is for Viber/WhatsApp
    media = RichMedia(image_url=None, button_caption="c" * 30, target_url="http://localhost:8080/x")
    assert _create(templates, "Hi", name="Button", channel="viber", rich_media=media).type == "promotional"
    expect_error(DuplicateValueException, 1805, _create, templates, "Other", name="ABC")
    assert len(templates.get_templates_list().data) == 3


def test_update(smscx_sandbox: Any, templates: TemplatesApi) -> None:
    tid = _create(templates, "Hello", name="Welcome").id
    _create(templates, "Bye", name="Farewell")
    updated, status, _ = templates.update_template(
        tid, TemplatesUpdateRequest(name="Greeting"), _return_http_data_only=False
    )
    assert status == 200 and updated.info.to_dict() == {"id": tid}
    assert templates.update_template(tid, TemplatesUpdateRequest(text="Hello {{firstName}}")).info.id == tid
    assert (
        templates.update_template(tid, TemplatesUpdateRequest(name="greeting")).info.id == tid
    )  # own name, new case
    got = templates.get_template(tid).data
    assert (got.name, got.text, got.channel, got.approved) == ("greeting", "Hello {{firstName}}", "sms", True)

    data, status, _ = templates.update_template(
        tid, TemplatesUpdateRequest(name="greeting", text="Hello {{firstName}}"), _return_http_data_only=False
    )
    assert (data, status) == (None, 204)

    # moving to Viber starts an approval
    templates.update_template(tid, TemplatesUpdateRequest(text="Hello", channel="viber", rich_media=MEDIA))
    got = templates.get_template(tid).data
    assert (got.channel, got.type, got.approved, got.locked) == ("viber", "promotional", False, False)
    smscx_sandbox.advance(APPROVAL_DELAY)
    assert templates.get_template(tid).data.locked is True


def test_update_errors(templates: TemplatesApi) -> None:
    tid = _create(templates, "Hello", name="Welcome").id
    _create(templates, "Bye", name="Farewell")
    expect_error(InvalidRequestException, 1804, templates.update_template, tid, TemplatesUpdateRequest())
    expect_error(
        InvalidRequestException, 1804, templates.update_template, tid, TemplatesUpdateRequest(channel="viber")
    )
    expect_error(
        InvalidRequestException, 1803, templates.update_template, tid, TemplatesUpdateRequest(name="  ab  ")
    )
    expect_error(
        DuplicateValueException, 1805, templates.update_template, tid, TemplatesUpdateRequest(name="farewell")
    )
    expect_error(
        InvalidRequestException,
        1811,
        templates.update_template,
        tid,
        TemplatesUpdateRequest(text="x" * 1001, channel="whatsapp"),
    )
    bad_media = RichMedia(image_url="nope", button_caption=None, target_url=None)
    expect_error(
        InvalidRequestException,
        1810,
        templates.update_template,
        tid,
        TemplatesUpdateRequest(text="Hi", rich_media=bad_media),
    )
    expect_error(
        ResourceNotFoundException, 1800, templates.update_template, 99, TemplatesUpdateRequest(text="Hi")
    )
    path = "/templates/{templateId}"
    for body, code in [
        (None, 1007),  # no body: the common invalid_body row
        ({"text": ""}, 1802),
        ({"text": 3}, 1802),
        ({"text": "Hi", "channel": "fax"}, 1008),  # 1806 is not in this operation's table
    ]:
        expect_error(
            InvalidRequestException,
            code,
            raw_call,
            templates.api_client,
            "PATCH",
            path,
            body,
            path_params={"templateId": tid},
        )
    expect_error(
        ResourceNotFoundException,
        1800,
        raw_call,
        templates.api_client,
        "PATCH",
        path,
        {"text": "Hi"},
        path_params={"templateId": "first"},
    )
    got = templates.get_template(tid).data
    assert (got.name, got.text, got.channel) == ("Welcome", "Hello", "sms")  # nothing changed


def test_delete(templates: TemplatesApi) -> None:
    tid = _create(templates, "Hello", name="Welcome").id
    deleted = templates.delete_template(tid)
    assert deleted.info.to_dict() == {"id": tid}
    expect_error(ResourceNotFoundException, 1800, templates.get_template, tid)
    expect_error(ResourceNotFoundException, 1800, templates.delete_template, tid)
    assert templates.get_templates_list().data == []
    for bad in ("abc", "0", "-1", "1.0"):
        for method in ("GET", "DELETE"):
            expect_error(
                ResourceNotFoundException,
                1800,
                raw_call,
                templates.api_client,
                method,
                "/templates/{templateId}",
                path_params={"templateId": bad},
            )
    # the name is free again
    assert _create(templates, "Hello", name="Welcome").id == tid + 1


def test_the_review_control_sets_approval_and_lock(smscx_sandbox: Any, templates: TemplatesApi) -> None:
    sb = smscx_sandbox
    tid = templates.create_template(TemplatesNewRequest("Hi there", name="Review", channel="viber")).info.id
    assert sb.control("POST", "template", {"templateId": tid, "approved": True}) == {"id": tid, "approved": True, "locked": False}
    assert (templates.get_template(tid).data.approved, templates.get_template(tid).data.locked) == (True, False)
    assert sb.control("POST", "template", {"templateId": tid, "locked": True})["locked"] is True
    expect_error(AccessDeniedException, 1812, templates.update_template, tid, TemplatesUpdateRequest(text="Changed"))
    for body, status in [
        ({"templateId": 999, "locked": True}, 404),
        ({"templateId": "1", "locked": True}, 404),
        ({"templateId": tid, "locked": "yes"}, 400),
        ({"templateId": tid, "name": "x"}, 400),
    ]:
        assert control_error(sb, "template", body)[0] == status
