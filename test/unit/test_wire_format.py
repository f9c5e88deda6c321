"""The request path's own JSON encoder and decoder, its idempotency ids and the constructors of the
generated models: each gives what the plain way gives (``json.dumps``, ``json.loads``,
``str(uuid.uuid4())``, the keyword constructor), faster."""

from __future__ import annotations

import json
import multiprocessing
import os
import uuid
from datetime import datetime
from typing import Any, List

import pytest

from smscx_client._serialize import dumps, loads, to_wire
from smscx_client.api_client import _uuid4
from smscx_client.exceptions import ApiTypeError, ApiValueError
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest


@pytest.mark.parametrize(
    "value",
    [
        {"to": ["+33612345678"], "from": "MyBrand", "text": "Your code is 1234"},
        {"text": "Grüße – 你好 \u2028 \"quoted\" \\ \n\t", "n": [1, 2.5, -0.0, 1e300, True, False, None]},
        [],
        {},
        "just text",
        3,
        {"nested": {"a": [{"b": []}], "c": float("inf")}},
    ],
)
def test_dumps_gives_the_bytes_of_json_dumps(value: Any) -> None:
    assert dumps(value) == json.dumps(value).encode("utf-8")


def test_dumps_refuses_what_json_dumps_refuses() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"when": datetime(2024, 1, 1)})
    assert dumps(to_wire({"when": datetime(2024, 1, 1)})) == b'{"when": "2024-01-01T00:00:00"}'


@pytest.mark.parametrize(
    "data",
    [
        b'{"a": 1}',
        b'{"a": 1}\r\n  ',
        b'[1, 2, {"b": "\xc3\xa9"}]',
        b'{"a": 1} trailing',
        b"[1, 2",
        b"{",
        b"",
        b"   {}",
        b"\xef\xbb\xbf{\"bom\": true}",
        '{"wide": 1}'.encode("utf-16"),
        '["utf-32"]'.encode("utf-32-le"),
        b'{"a": NaN, "b": "\\ud800"}',
        b'{"bad utf-8": "\xff"}',
        b"null",
    ],
)
def test_loads_decodes_and_fails_as_json_loads(data: bytes) -> None:
    try:
        expected: Any = ("ok", json.loads(data))
    except Exception as exc:  # the same exception, with the same text
        expected = ("error", type(exc), str(exc))
    try:
        got: Any = ("ok", loads(data))
    except Exception as exc:
        got = ("error", type(exc), str(exc))
    assert repr(got) == repr(expected)  # repr: NaN != NaN


def test_idempotency_ids_are_distinct_random_version_4_uuids() -> None:
    ids = [_uuid4() for _ in range(1000)]  # more than one batch of the pool
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert str(parsed) == text  # lower case, the canonical form


def _next_id(out: Any) -> None:
    out.put(_uuid4())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_never_sends_its_parents_next_ids() -> None:
    _uuid4()  # the parent's pool is filled: a child forked now would inherit it
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    children = [context.Process(target=_next_id, args=(out,)) for _ in range(2)]
    for child in children:
        child.start()
    got: List[str] = [out.get(timeout=30) for _ in children]
    for child in children:
        child.join(30)
    mine = [_uuid4() for _ in range(70)]  # past the end of the pool the children were forked with
    assert len(set(got + mine)) == len(got) + len(mine)


def test_the_constructors_forms_build_the_same_model() -> None:
    by_position = SendSmsMessageRequest(["+33612345678"], "MyBrand", "Hello", country_iso="FR")
    by_name = SendSmsMessageRequest(to=["+33612345678"], _from="MyBrand", text="Hello", country_iso="FR")
    from_dict = SendSmsMessageRequest(["+33612345678"], "MyBrand", "Hello", {"countryIso": "FR"})
    legacy = SendSmsMessageRequest(["+33612345678"], "MyBrand", "Hello", country_iso="FR", _check_type=True)
    for model in (by_name, from_dict, legacy):
        assert model.to_dict() == by_position.to_dict()
    assert by_position.to_wire() == {"to": ["+33612345678"], "from": "MyBrand", "text": "Hello", "countryIso": "FR"}


def test_a_subclass_of_a_generated_model_keeps_its_fields_and_checks() -> None:
    class Tagged(SendSmsMessageRequest):
        __slots__ = ()

        def __init__(self, to: List[str], tag: str) -> None:
            super().__init__(to, "MyBrand", "Tagged " + tag, track_data=None if tag == "none" else "x" * 36)

    with pytest.raises(ApiValueError, match=r"Tagged\.track_data"):  # the subclass's name in the message
        Tagged(["+33612345678"], "a")
    with pytest.raises(ApiTypeError, match=r"Tagged\.track_data"):  # None is not allowed for it
        Tagged(["+33612345678"], "none")
    with pytest.raises(ApiValueError, match=r"SendSmsMessageRequest\.text"):
        SendSmsMessageRequest(["+33612345678"], "MyBrand", "")
