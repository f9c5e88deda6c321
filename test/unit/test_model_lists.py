"""Lists of objects in answers: the first read of the list makes every item's model and converts
in the same pass what the first reads of its fields would (the generated ``_wrap_list``). What
callers see must not differ from reading each field of a lone model: missing stays missing,
null stays None, odd values come back as sent, dates that do not parse stay text, nested models
are made once, and no python-name alias ever leaves the model."""

from __future__ import annotations

import copy
import datetime
import json
import pickle
from typing import Any, Dict, List

import pytest
from spec_examples import model_class, model_example, spec

from smscx_client import ApiAttributeError, ApiTypeError, ApiValueError
from smscx_client._model import Field, ListOf, Model, Ref, Str, _Alias, _Renamed, field
from smscx_client._serialize import to_wire
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.data_sms import DataSms
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.model.text_analysis import TextAnalysis

MISSING = object()
WRAPPED = sorted(name for name, m in spec().models.items() if m.list_conversions)


def read(model: Any, name: str) -> Any:
    try:
        return getattr(model, name)
    except ApiAttributeError:
        return MISSING


def plain(value: Any) -> Any:
    """A comparable form: models by their class and JSON, the rest as is."""
    if isinstance(value, Model):
        return (type(value).__name__, value.to_wire())
    return value


def variants(name: str) -> List[Dict[str, Any]]:
    """Items of ``name`` as an API might send them: complete, minimal, and with each converted
    field missing, null, of another type, or (dates) not parsable by fromisoformat."""
    full = model_example(name)
    items = [full, model_example(name, full=False)]
    for f in spec().models[name].list_conversions:
        # the last two: only the fallback parser reads them (hour 24, lower-case z)
        for odd in (MISSING, None, 17, ["x"], "not a date", "2024-06-01T24:00:00", "2024-06-01T10:00:00z"):
            item = copy.deepcopy(full)
            if odd is MISSING:
                item.pop(f.wire, None)
            else:
                item[f.wire] = odd
            items.append(item)
    return items


def test_every_list_item_model_with_conversions_has_its_wrap_list():
    assert "DataSms" in WRAPPED and "DataReportsCampaigns" in WRAPPED
    for name in spec().models:
        assert ("_wrap_list" in vars(model_class(name))) == (name in WRAPPED), name


@pytest.mark.parametrize("name", WRAPPED)
def test_a_list_reads_as_each_model_alone_would(name):
    cls = model_class(name)
    items = variants(name)
    sent = copy.deepcopy(items)
    listed = ListOf(Ref(cls)).read(copy.deepcopy(items))
    assert [type(m) for m in listed] == [cls] * len(items)
    for item, got in zip(items, listed):
        alone = cls._from_wire(copy.deepcopy(item))
        for attr in cls._fields:
            assert plain(read(got, attr)) == plain(read(alone, attr)), (attr, item)
        assert got.to_dict() == alone.to_dict()
    # nothing the API did not send goes back: no alias in to_wire, copies or pickles
    assert [m.to_wire() for m in listed] == sent
    assert [to_wire(m.__getstate__()["_data"]) for m in listed] == sent
    assert not any(set(m.__getstate__()["_data"]) & cls._aliases for m in listed)
    assert [c.to_wire() for c in pickle.loads(pickle.dumps(listed))] == sent
    assert [c.to_wire() for c in copy.deepcopy(listed)] == sent
    assert [copy.copy(m).to_wire() for m in listed] == sent


def test_the_conversions_are_done_once_and_kept():
    listed = ListOf(Ref(DataSms)).read([model_example("DataSms")])
    item = listed[0]
    data = vars(item)
    assert type(data["created_at"]) is datetime.datetime  # parsed when the list was read
    assert type(data["textAnalysis"]) is TextAnalysis and data["text_analysis"] is data["textAnalysis"]
    assert item.text_analysis is item.text_analysis is item["textAnalysis"]
    assert "msg_id" not in data and item.msg_id == data["msgId"]  # read as it came, nothing kept


def test_changes_after_the_list_was_read_are_what_is_read_and_sent():
    item = ListOf(Ref(DataSms)).read([model_example("DataSms")])[0]
    item.text_analysis.parts = 7  # the nested model is the one the parent sends
    assert item.to_wire()["textAnalysis"]["parts"] == 7
    when = datetime.datetime(2030, 1, 2, 3, 4, 5)
    item.created_at = when
    assert item.created_at == when and item.to_wire()["createdAt"] == when.isoformat()
    item["createdAt"] = "2031-01-01 00:00:00"  # by JSON name: the stale alias goes too
    assert item.created_at == datetime.datetime(2031, 1, 1)
    item.text_analysis = TextAnalysis(length=3, unicode=False, parts=1)
    assert item.to_wire()["textAnalysis"] == {"length": 3, "unicode": False, "parts": 1}
    del item.created_at
    with pytest.raises(ApiAttributeError):
        item.created_at  # noqa: B018 - the read itself is the test
    assert "createdAt" not in item.to_wire() and "created_at" not in vars(item)


def test_items_that_are_no_objects_stay_as_they_came():
    odd: List[Any] = [None, "text", 3, [1], model_example("DataSms")]
    listed = ListOf(Ref(DataSms)).read(odd)
    assert listed[:4] == [None, "text", 3, [1]]
    assert isinstance(listed[4], DataSms) and isinstance(listed[4].created_at, datetime.datetime)
    already = DataSms._from_wire(model_example("DataSms"))
    assert ListOf(Ref(DataSms)).read([already])[0] is already  # a model is not touched


def test_a_nested_class_that_reads_its_own_way_is_not_bypassed(monkeypatch):
    calls = []
    original = TextAnalysis._from_wire.__func__

    def own(cls, data):
        calls.append(data)
        return original(cls, data)

    monkeypatch.setattr(TextAnalysis, "_from_wire", classmethod(own))
    assert DataSms._wrap_list([model_example("DataSms")]) is None  # ListOf.read wraps the items only
    item = ListOf(Ref(DataSms)).read([model_example("DataSms")])[0]
    assert "text_analysis" not in vars(item) and type(vars(item)["textAnalysis"]) is dict
    assert item.created_at == datetime.datetime(2023, 6, 23, 14, 26, 10)


def test_an_item_class_that_reads_its_own_way_is_used(monkeypatch):
    made = []

    def own(cls, data):
        made.append(data)
        return Model._from_wire.__func__(cls, data)

    monkeypatch.setattr(DataSms, "_from_wire", classmethod(own))
    listed = ListOf(Ref(DataSms)).read([model_example("DataSms"), model_example("DataSms")])
    assert len(made) == 2 and listed[0].msg_id == made[0]["msgId"]


def test_a_send_sms_answer_over_http(wire, make_client):
    answer = {
        "info": {"campaignId": "c", "totalCost": 0.07},
        "data": [
            model_example("DataSms"),
            {"msgId": "m2", "from": None, "createdAt": "2024-06-01T10:00:00Z", "textAnalysis": None},
            {"msgId": "m3", "createdAt": 1717236000, "textAnalysis": [1, 2], "surprise": {"x": 1}},
        ],
    }
    wire.reply(answer)
    result = SmsApi(make_client()).send_sms(SendSmsMessageRequest(["+33612345678"], "Brand", "Hi"))
    first, second, third = result.data
    assert first.created_at == datetime.datetime(2023, 6, 23, 14, 26, 10) and first.text_analysis.parts >= 1
    assert second._from is None and second.text_analysis is None
    assert second.created_at == datetime.datetime(2024, 6, 1, 10, 0, tzinfo=datetime.timezone.utc)
    assert third.created_at == 1717236000 and third.text_analysis == [1, 2] and third.surprise == {"x": 1}
    with pytest.raises(ApiAttributeError, match="'country_iso'"):
        third.country_iso  # noqa: B018 - the read itself is the test
    assert getattr(third, "_from", "absent") == "absent" and "_from" not in third
    assert result.to_wire() == answer and json.loads(json.dumps(result.to_wire())) == answer


class _Clashing(Model):
    """A model whose JSON names are also attributes of the class."""

    __slots__ = ()
    state: str = field("st", Str())
    status: str = field("state", Str())  # JSON ``state`` is the python name of the field above
    getter: str = field("get", Str())  # JSON ``get`` is a method of every model
    dotted: str = field("a.b", Str())


def test_renamed_fields_are_read_in_c_unless_their_json_name_is_taken():
    assert isinstance(vars(DataSms)["msg_id"], _Renamed)
    assert DataSms.msg_id.wire == "msgId" and isinstance(DataSms.msg_id.field, Field)
    assert isinstance(vars(_Clashing)["state"], _Renamed)
    for name in ("status", "getter", "dotted"):
        assert isinstance(vars(_Clashing)[name], _Alias), name
    m = _Clashing._from_wire({"st": "s", "state": "t", "get": "g", "a.b": "d"})
    assert (m.state, m.status, m.getter, m.dotted) == ("s", "t", "g", "d")
    assert m.to_wire()["get"] == "g" and m.to_wire()["a.b"] == "d"


def test_phone_number_lists_are_checked_in_one_go():
    class Tel(str):
        pass

    req = SendSmsMessageRequest([Tel("+33612345678"), "+33612345679"], "Brand", "Hi")
    assert req.to_wire()["to"] == ["+33612345678", "+33612345679"]
    with pytest.raises(ApiTypeError, match=r"to\[2\]`: expected str, got int"):
        SendSmsMessageRequest(["+33612345678", "+33612345679", 5], "Brand", "Hi")
    with pytest.raises(ApiValueError):
        SendSmsMessageRequest([], "Brand", "Hi")
    assert to_wire(["a", datetime.date(2024, 1, 2)]) == ["a", "2024-01-02"]
    assert to_wire([]) == [] and to_wire(("a", "b")) == ["a", "b"]
