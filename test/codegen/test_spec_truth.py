"""The spec describes what the API really sends; each test fails if a settled defect comes back.

* Time stamps are ``YYYY-MM-DD HH:MM:SS`` on the wire, which is not JSON Schema's ``date-time``
  (RFC 3339 wants a ``T`` and a zone): they carry ``x-format: date-time`` (the SDK parses them into
  ``datetime``) and a ``pattern`` a validator checks.
* Objects whose keys are data (country codes, custom field names, operators) are
  ``additionalProperties`` maps, not one property whose name stands for the keys.
* Each ``oneOf`` has exactly one branch for each kind of answer or body.
* The contradictions settled from the reference catalog stay settled.
"""

from __future__ import annotations

import inspect
import re
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List

import pytest
import spec_validation as sv
from jsonschema import FormatChecker

from smscx_client.model.data_sms import DataSms
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from tools.codegen import ir

SCHEMAS = sv.spec()["components"]["schemas"]
STAMP = "2024-06-12 09:30:00"  # as the API writes every time stamp


def _properties() -> List[Any]:
    return [(model, name, prop) for model, sch in SCHEMAS.items() for name, prop in (sch.get("properties") or {}).items()]


# -- time stamps -------------------------------------------------------------------------------
def test_the_format_checker_knows_rfc_3339_date_times():
    # without it the checks below would pass for nothing
    assert "date-time" in FormatChecker().checkers
    assert not FormatChecker().conforms(STAMP, "date-time")


def test_no_schema_claims_a_standard_date_format():
    claims = [where for where, node in sv.schema_nodes() if node.get("format") in ("date-time", "date")]
    assert claims == []


def test_time_stamps_carry_the_wire_pattern_and_stay_datetimes_in_python():
    stamps = [(m, n, p) for m, n, p in _properties() if p.get("x-format") == "date-time"]
    assert len(stamps) >= 50
    spec = ir.load()
    for model, name, prop in stamps:
        schema = dict(prop, type="string")
        if name == "scheduledDate":  # a request field: the documented form and the one the SDK sends
            assert sv.errors(schema, STAMP) == [] and sv.errors(schema, "2024-06-12T09:30:00") == []
        else:
            assert sv.errors(schema, STAMP) == [], (model, name)
            for other in ("2024-06-12T09:30:00Z", "2024-06-12", "12/06/2024 09:30:00", "2024-06-12 09:30"):
                assert sv.errors(schema, other), (model, name, other)
        field = next(f for f in spec.models[model].fields if f.wire == name)
        assert field.type.kind == "datetime", (model, name)


def test_time_stamps_kept_as_str_have_the_pattern_too():
    names = {"datetime", "createdAt", "dateCreated", "updatedAt", "dateAdded", "lastUpdate", "receivedAt"}
    for model, name, prop in _properties():
        if name in names:
            assert "pattern" in prop, (model, name)
            assert sv.errors(dict(prop, type="string"), STAMP) == [], (model, name)


@pytest.mark.parametrize(
    "when",
    [
        datetime(2024, 6, 12, 9, 30),
        datetime(2024, 6, 12, 9, 30, 15, 250000),
        datetime(2024, 6, 12, 9, 30, tzinfo=timezone.utc),
        datetime(2024, 6, 12, 9, 30, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    ],
)
def test_what_the_sdk_sends_for_scheduled_date_matches_the_spec(when):
    sent = SendSmsMessageRequest(["+33612345678"], "Brand", "Hi", scheduled_date=when).to_wire()["scheduledDate"]
    assert sent == when.isoformat()  # as 0.1.x sent it
    prop = SCHEMAS["SendSmsMessageRequest"]["properties"]["scheduledDate"]
    assert sv.errors(prop, sent) == []


# -- maps ----------------------------------------------------------------------------------------
PLACEHOLDERS = {"countryCode", "customFieldName", "operatorName", "characterReplaced"}


def _holds_object(prop: Dict[str, Any]) -> bool:
    if "$ref" in prop:
        return SCHEMAS[ir.ref_name(prop["$ref"])].get("type") == "object"
    return prop.get("type") == "object"


def test_no_property_name_stands_for_the_keys_of_a_map():
    for model, name, prop in _properties():
        assert not (name in PLACEHOLDERS and _holds_object(prop)), (model, name)
        text = prop.get("description", "").lower()
        assert not text.startswith(("placeholder", "stand-in", "stands for")), (model, name)


MAPS = {
    "PhoneNumbersByCountry": {"FR": 2, "DE": 1},
    "CustomFields": {"orderNumber": "441"},
    "CustomFieldsObj": {"height": "1.78m"},
    "GroupAddCustomFields": {"city": "Lyon"},
    "CharactersReplaced": {"ș": 1},
    "NetworkOperator": {"Orange": 0.045},
    "PricingSmsResponse": {"FR": {"Orange": 0.045}},
    "PricingViberWhatsappResponse": {"FR": {"TRANSACTIONAL": 0.03, "PROMOTIONAL": 0.04}},
    "GetChannelPricing200Response": {"FR": {"Orange": 0.045}},
}


@pytest.mark.parametrize("name,entries", sorted(MAPS.items()))
def test_map_models_are_dicts_and_keep_the_0_1_x_spelling(name, entries):
    m = ir.load().models[name]
    assert m.kind == "map" and sv.errors(sv.component(name), entries) == []
    cls = getattr(__import__("smscx_client.models", fromlist=[name]), name)
    built = cls(entries)
    assert isinstance(built, dict) and built.to_wire() == entries
    assert cls._from_wire(entries).to_wire() == entries
    if m.legacy:  # what a 0.1.x user wrote: the whole map under the placeholder name
        python, wire = m.legacy
        old = cls(**{python: entries})
        assert old.to_wire() == entries and getattr(old, python) == entries
        assert cls._from_input({wire: entries}) == entries and cls.attribute_map == {python: wire}


def test_map_answers_read_as_dicts_in_their_models():
    from smscx_client.model.info_conversation_reply import InfoConversationReply
    from smscx_client.model.info_lookup_details import InfoLookupDetails

    info = InfoConversationReply._from_wire({"phoneNumbersByCountry": {"FR": 1}})
    assert info.phoneNumbersByCountry == {"FR": 1} and dict(info.phoneNumbersByCountry.items()) == {"FR": 1}
    details = InfoLookupDetails._from_wire({"phoneNumbersByCountry": {"FR": 3, "DE": 1}})
    assert details.phone_numbers_by_country.country_code == {"FR": 3, "DE": 1}
    assert details.to_dict() == {"phone_numbers_by_country": {"FR": 3, "DE": 1}}


# -- oneOf ---------------------------------------------------------------------------------------
def _summary(data: Dict[str, Any]) -> Dict[str, Any]:
    return {"data": data}


TOTALS = {"phoneNumbers": 3, "parts": 4, "costParts": 0.18}
BUCKET = {"parts": 1, "costParts": 0.045}
ADD_CONTACTS = "/paths/~1groups~1{groupId}/post/requestBody/content/application~1json/schema"
# every oneOf of the spec: pointer -> [(instance, the one branch it must match; None: no branch)]
ONE_OF: Dict[str, List[Any]] = {
    "/components/schemas/GetChannelPricing200Response": [
        ({"FR": {"Orange": 0.045, "SFR": 0.045}}, "PricingSmsResponse"),
        ({"FR": {"TRANSACTIONAL": 0.03, "PROMOTIONAL": 0.04}}, "PricingViberWhatsappResponse"),
        ({}, None),
    ],
    "/components/schemas/GetSummaryReports200Response": [
        (_summary({"sms": dict(TOTALS, value="sms")}), "ReportsSummaryChannelResponse"),
        (_summary({"api": dict(TOTALS, value="api")}), "ReportsSummarySourceResponse"),
        (_summary({"FR": TOTALS, "DE": TOTALS}), "ReportsSummaryCountryResponse"),
        (_summary({"2024-06": TOTALS, "2024-06-12": TOTALS}), "ReportsSummaryTrafficResponse"),
        (
            _summary({"2024-06-12": {k: BUCKET for k in ("accepted", "delivered", "failed", "scheduled", "noCoverage")}}),
            "ReportsSummaryDeliveryResponse",
        ),
        (_summary({}), "ReportsSummaryEmptyResponse"),
    ],
    "/components/schemas/AddContactsToGroup400Response": [
        ({"error": {"type": "invalid_param", "code": 1203, "message": "empty", "uri": "https://sms.cx"}}, "Model400InvalidParamGroups"),
        (
            {"error": {"type": "invalid_param", "code": 1207, "message": "bad", "uri": "https://sms.cx"}, "invalid": ["+336"]},
            "Model400InvalidPhoneNumbers",
        ),
    ],
    ADD_CONTACTS: [
        ({"phoneNumbers": ["+33612345678"]}, "AddContactsToGroupRequest"),
        ({"phoneNumbers": [{"phoneNumber": "+33612345678", "customFields": {"city": "Lyon"}}]}, "AddContactsToGroupWithFieldsRequest"),
        ({"phoneNumbers": []}, None),  # refused by the API (1203)
    ],
}


def test_every_one_of_is_listed_below():
    assert sorted(where for where, node in sv.schema_nodes() if "oneOf" in node) == sorted(ONE_OF)


@pytest.mark.parametrize(
    "where,instance,branch",
    [pytest.param(w, i, b, id="{}-{}".format(w.rsplit("/", 1)[-1], b)) for w, cases in ONE_OF.items() for i, b in cases],
)
def test_exactly_one_branch_matches(where, instance, branch):
    node = dict(sv.schema_nodes())[where]
    # what the oneOf sits beside applies to every branch (the request body's non-empty list)
    shared = not sv.errors({k: v for k, v in node.items() if k != "oneOf"}, instance)
    matching = [ir.ref_name(b["$ref"]) for b in node["oneOf"] if shared and not sv.errors(b, instance)]
    assert matching == ([branch] if branch else [])
    assert (sv.errors(node, instance) == []) is (branch is not None)


# -- contradictions settled from the catalog ----------------------------------------------------
def _max_in_message(path: str, code: int) -> int:
    messages = [e["message"] for e in sv.spec()["paths"][path]["post"]["x-errors"] if e["code"] == code]
    return int(re.search(r"to (\d+) characters", messages[0]).group(1))  # type: ignore[union-attr]


def test_group_names_take_the_same_length_in_requests_and_answers():
    limit = SCHEMAS["NewGroupRequest"]["properties"]["name"]["maxLength"]
    assert limit == _max_in_message("/groups", 1206) == 60
    for model in ("DataGroups", "InfoGroup", "InfoNewGroup"):
        assert SCHEMAS[model]["properties"]["name"]["maxLength"] == limit, model


def test_multichannel_sender_length_is_the_one_error_1106_states():
    for path in ("/multichannel", "/multichannel/campaign", "/multichannel/estimate", "/multichannel/campaign/estimate"):
        body = sv.spec()["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        sender = SCHEMAS[ir.ref_name(body["$ref"])]["properties"]["from"]
        assert sender["maxLength"] == _max_in_message(path, 1106) == 11, path


def _query_params(name: str) -> List[Any]:
    return [
        (path, p["schema"])
        for path, item in sv.spec()["paths"].items()
        for op in item.values()
        for p in op.get("parameters", [])
        if p["name"] == name
    ]


def test_include_and_exclude_take_1_to_17_digits():
    found = _query_params("include") + _query_params("exclude")
    assert len(found) == 4
    for _, schema in found:
        assert (schema["minLength"], schema["maxLength"]) == (1, 17)
        assert sv.errors(schema, "0612") == [] and sv.errors(schema, "1" * 17) == []
        for bad in ("", "1" * 18, "+33", "6a"):
            assert sv.errors(schema, bad), bad


def test_every_limit_is_bounded():
    found = _query_params("limit")
    assert len(found) == 13
    for path, schema in found:
        assert schema["minimum"] == 1, path
        assert schema.get("maximum") == (None if path in ("/reports/csv", "/reports/xlsx") else 500), path


UUID_1_TO_5 = "^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


def test_client_chosen_uuids_are_versions_1_to_5_in_lower_case():
    found = [(m, n, p) for m, n, p in _properties() if n in ("idempotencyId", "trackData", "trackId")]
    assert len(found) >= 20
    for model, name, prop in found:
        assert prop["pattern"] == UUID_1_TO_5, (model, name)
        for version in (1, 2, 3, 4, 5):
            assert re.search(prop["pattern"], str(uuid.UUID(int=uuid.uuid4().int, version=version)))
        assert not re.search(prop["pattern"], "00000000-0000-0000-0000-000000000000")  # version 0
        assert not re.search(prop["pattern"], str(uuid.uuid4()).upper())
        assert "silently" not in prop.get("description", ""), (model, name)


def test_answers_without_text_details_are_valid():
    for model in ("DataSms", "DataViber", "DataWhatsapp", "DataMultichannel"):
        assert "text" not in SCHEMAS[model]["required"], model
    assert "textAnalysis" not in SCHEMAS["DataSms"]["required"]
    # still positional where 0.1.x had them
    params = list(inspect.signature(DataSms.__init__).parameters)
    assert params[10:14] == ["_from", "text", "parts", "text_analysis"]

