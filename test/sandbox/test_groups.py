"""Groups and contacts against the sandbox, through GroupsApi: every route, rule and error code."""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import datetime
from typing import Any, Dict, List

import pytest
from support import api_fixture, check_paging, expect_error, raw_call, xlsx_rows

from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.optouts_api import OptoutsApi
from smscx_client.exceptions import (
    DuplicateValueException,
    InvalidPhoneNumberException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from smscx_client.model.add_contacts_to_group_request import AddContactsToGroupRequest
from smscx_client.model.add_contacts_to_group_with_fields_request import AddContactsToGroupWithFieldsRequest
from smscx_client.model.group_add import GroupAdd
from smscx_client.model.group_add_custom_fields import GroupAddCustomFields
from smscx_client.model.new_group_request import NewGroupRequest
from smscx_client.model.update_number_request import UpdateNumberRequest

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
FR1, FR2, FR3 = "+33612345678", "+33612345679", "+33612345670"
GB1, DE1 = "+447400123456", "+4915112345678"
PRICE = {"FR": 0.045, "GB": 0.04, "DE": 0.075}


groups = api_fixture(GroupsApi, downloads=True)


def _group(groups: GroupsApi, name: str = "Customers") -> int:
    return int(groups.create_group(NewGroupRequest(name=name)).info.id)


def _add(groups: GroupsApi, gid: int, numbers: List[str], **extra: Any) -> Any:
    return groups.add_contacts_to_group(gid, AddContactsToGroupRequest(phone_numbers=numbers, **extra))


def _contacts(groups: GroupsApi, gid: int) -> Dict[str, Any]:
    return {c.phone_number: c for c in groups.get_group_details(gid).data}


def _now(sb: Any) -> datetime:
    return datetime.strptime(sb.state.clock.fmt(), "%Y-%m-%d %H:%M:%S")


# -- groups -------------------------------------------------------------------------------
def test_group_lifecycle(smscx_sandbox: Any, groups: GroupsApi) -> None:
    created, status, _ = groups.create_group(
        NewGroupRequest(name="  Customers "), _return_http_data_only=False
    )
    assert status == 201
    assert created.info.id == 1 and created.info.name == "Customers"  # trimmed
    assert groups.create_group(NewGroupRequest(name="Staff")).info.id == 2

    listed = groups.get_groups_list().data
    assert [g.name for g in listed] == ["Staff", "Customers"]  # newest first
    first = listed[1]
    assert (first.id, first.total_phone_numbers, first.total_cost, first.total_optouts) == (1, 0, 0.0, 0)
    assert abs((first.created_at - _now(smscx_sandbox)).total_seconds()) < 60

    details = groups.get_group_details(1)
    assert details.info.name == "Customers" and details.info.total_phone_numbers == 0
    assert details.data == [] and details.paging.size == 0 and details.paging.next is None

    deleted = groups.delete_group(1)
    assert (deleted.info.id, deleted.info.name, deleted.info.total_phone_numbers) == (1, "Customers", 0)
    expect_error(ResourceNotFoundException, 1200, groups.get_group_details, 1)
    expect_error(ResourceNotFoundException, 1200, groups.delete_group, 1)
    assert [g.id for g in groups.get_groups_list().data] == [2]


def test_create_group_rules(groups: GroupsApi) -> None:
    assert groups.create_group(NewGroupRequest(name="abc")).info.name == "abc"
    assert groups.create_group(NewGroupRequest(name="x" * 60)).info.id == 2
    for body, code in [
        ({}, 1204),
        ({"name": None}, 1204),
        ({"name": "   "}, 1204),
        (["name"], 1007),  # a body that is no object: the common invalid_body row
        ({"name": "ab"}, 1206),
        ({"name": "y" * 61}, 1206),
        ({"name": 12345}, 1206),
        ({"name": ["Customers"]}, 1206),
    ]:
        expect_error(InvalidRequestException, code, raw_call, groups.api_client, "POST", "/groups", body=body)
    expect_error(DuplicateValueException, 1211, groups.create_group, NewGroupRequest(name="ABC"))
    # valid JSON, but not text that could ever be written back: refused before it is stored
    expect_error(
        InvalidRequestException,
        1007,
        raw_call,
        groups.api_client,
        "POST",
        "/groups",
        body={"name": "Bad \ud800 name"},
    )
    assert len(groups.get_groups_list().data) == 2


# -- adding contacts ----------------------------------------------------------------------
def test_add_numbers_as_strings(groups: GroupsApi) -> None:
    gid = _group(groups)
    info = _add(groups, gid, [FR1, "06 12 34 56 79", FR1, GB1], country_iso="FR").info
    assert (info.total_phone_numbers, info.total_valid, info.total_duplicates, info.total_invalid) == (
        4,
        3,
        1,
        0,
    )
    assert info.invalid == []
    assert info.total_cost == pytest.approx(2 * PRICE["FR"] + PRICE["GB"])

    # numbers already in the group count as duplicates and are not added again
    again = _add(groups, gid, [FR2, DE1]).info
    assert (again.total_valid, again.total_duplicates, again.total_cost) == (1, 1, pytest.approx(PRICE["DE"]))

    details = groups.get_group_details(gid)
    assert details.info.total_phone_numbers == 4
    assert details.info.total_cost == pytest.approx(2 * PRICE["FR"] + PRICE["GB"] + PRICE["DE"])
    assert [c.phone_number for c in details.data] == [FR1, FR2, GB1, DE1]  # in the order added
    c = details.data[1]
    assert UUID.match(c.id)
    assert (c.country_iso, c.group_id, c.optout, c.first_name, c.email, c.field5) == (
        "FR",
        gid,
        False,
        None,
        None,
        None,
    )
    assert c.custom_fields.to_dict() == {}
    datetime.strptime(c.date_added, "%Y-%m-%d %H:%M:%S")
    assert groups.get_groups_list().data[0].total_phone_numbers == 4


def test_add_contacts_with_fields(groups: GroupsApi) -> None:
    gid = _group(groups)
    people = [
        GroupAdd(
            phone_number=FR1,
            first_name="Ana",
            last_name="Pop",
            email="ana@example.com",
            field1="gold",
            field5="vip",
            custom_fields=GroupAddCustomFields(height="180", city="Lyon"),
        ),
        GroupAdd(phone_number="07400 123456", country_iso="GB", first_name="Ben"),
    ]
    info = groups.add_contacts_to_group_with_fields(
        gid, AddContactsToGroupWithFieldsRequest(phone_numbers=people)
    ).info
    assert (info.total_valid, info.total_phone_numbers) == (2, 2)
    got = _contacts(groups, gid)
    ana, ben = got[FR1], got[GB1]
    assert (ana.first_name, ana.last_name, ana.email, ana.field1, ana.field2, ana.field5) == (
        "Ana",
        "Pop",
        "ana@example.com",
        "gold",
        None,
        "vip",
    )
    assert ana.custom_fields.to_dict() == {"height": "180", "city": "Lyon"}
    assert (ben.first_name, ben.country_iso, ben.custom_fields.to_dict()) == ("Ben", "GB", {})


def test_invalid_numbers(groups: GroupsApi) -> None:
    gid = _group(groups)
    err = expect_error(InvalidPhoneNumberException, 1207, _add, groups, gid, ["+3361234"])
    assert err.invalid == ["+3361234"]
    err = expect_error(InvalidPhoneNumberException, 1210, _add, groups, gid, [FR1, "12345", "+3361234"])
    assert err.invalid == ["12345", "+3361234"]
    assert groups.get_group_details(gid).info.total_phone_numbers == 0  # all or nothing

    info = _add(groups, gid, [FR1, "12345"], allow_invalid=True).info
    assert (info.total_valid, info.total_invalid, info.invalid, info.total_phone_numbers) == (
        1,
        1,
        ["12345"],
        2,
    )
    # a national number without its country is not valid
    info = _add(groups, gid, ["0612345679"], allow_invalid=True).info
    assert (info.total_valid, info.invalid) == (0, ["0612345679"])


def test_add_contacts_bad_bodies(groups: GroupsApi) -> None:
    gid = _group(groups)
    path, params = "/groups/{groupId}", {"groupId": gid}
    for body, code in [
        (None, 1007),  # no body, or one that is no object: the common invalid_body row
        ({}, 1203),
        ({"phoneNumbers": []}, 1203),
        ([FR1], 1007),
        ({"phoneNumbers": FR1}, 1208),
        ({"phoneNumbers": {"a": FR1}}, 1208),
        ({"phoneNumbers": [FR1, 33612345678]}, 1208),
        ({"phoneNumbers": [None]}, 1208),
        ({"phoneNumbers": [{"firstName": "Ana"}]}, 1208),
        # a contact's own fields have no row of their own (the spec says 1008)
        ({"phoneNumbers": [{"phoneNumber": FR1, "firstName": 7}]}, 1008),
        ({"phoneNumbers": [{"phoneNumber": FR1, "customFields": "tall"}]}, 1008),
        ({"phoneNumbers": [{"phoneNumber": FR1, "customFields": {"h": 180}}]}, 1008),
        ({"phoneNumbers": [{"phoneNumber": FR1, "customFields": {"k%d" % i: "v" for i in range(21)}}]}, 1008),
        ({"phoneNumbers": [FR1], "allowInvalid": "yes"}, 1008),
        ({"phoneNumbers": [FR1], "countryIso": 33}, 1008),
    ]:
        expect_error(InvalidRequestException, code, raw_call, groups.api_client, "POST", path, body, path_params=params)
    assert groups.get_group_details(gid).info.total_phone_numbers == 0
    # twenty custom fields are allowed
    fields = {"k%d" % i: "v" for i in range(20)}
    data, status, _ = raw_call(
        groups.api_client,
        "POST",
        path,
        {"phoneNumbers": [{"phoneNumber": FR1, "customFields": fields}]},
        path_params=params,
    )
    assert status == 200 and data["info"]["totalValid"] == 1
    expect_error(ResourceNotFoundException, 1200, _add, groups, 99, [FR1])


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "1.5", "1e3", "１"])
def test_malformed_group_ids_are_not_found(groups: GroupsApi, bad_id: str) -> None:
    _group(groups)
    for method, path in [
        ("GET", "/groups/{groupId}"),
        ("DELETE", "/groups/{groupId}"),
        ("GET", "/groups/{groupId}/empty"),
        ("GET", "/groups/{groupId}/csv"),
        ("GET", "/groups/{groupId}/xlsx"),
    ]:
        expect_error(
            ResourceNotFoundException, 1200, raw_call, groups.api_client, method, path, path_params={"groupId": bad_id}
        )
    expect_error(
        ResourceNotFoundException,
        1200,
        raw_call,
        groups.api_client,
        "POST",
        "/groups/{groupId}",
        {"phoneNumbers": [FR1]},
        path_params={"groupId": bad_id},
    )


def test_group_details_paging(groups: GroupsApi) -> None:
    gid = _group(groups)
    numbers = ["+3361234567%d" % i for i in range(5)]
    _add(groups, gid, numbers)
    check_paging(lambda **q: groups.get_group_details(gid, **q), lambda c: c.phone_number, numbers)
    assert groups.get_group_details(gid, limit=2).info.total_phone_numbers == 5

    short = groups.get_group_details(gid, short_response=True)
    assert short.data == [] and short.info.total_phone_numbers == 5 and short.paging.size == 0
    for query in (
        {"limit": "0"},
        {"limit": "501"},
        {"limit": "x"},
        {"next": "%%%"},
        {"short_response": "maybe"},
    ):
        expect_error(
            InvalidRequestException,
            1008,
            raw_call,
            groups.api_client,
            "GET",
            "/groups/{groupId}",
            path_params={"groupId": gid},
            query=query,
        )


# -- one contact --------------------------------------------------------------------------
def test_update_contact(groups: GroupsApi) -> None:
    gid = _group(groups)
    groups.add_contacts_to_group_with_fields(
        gid,
        AddContactsToGroupWithFieldsRequest(
            phone_numbers=[
                GroupAdd(
                    phone_number=FR1,
                    first_name="Ana",
                    custom_fields=GroupAddCustomFields(height="180", city="Lyon"),
                )
            ]
        ),
    )
    _add(groups, gid, [FR2])
    pid = _contacts(groups, gid)[FR1].id

    body = UpdateNumberRequest(
        first_name="Anna",
        email="anna@example.com",
        custom_fields={"city": "Paris", "height": None, "eyes": "green"},
    )
    info, status, _ = groups.update_contact_from_group(gid, pid, body, _return_http_data_only=False)
    assert status == 200 and info.info.id == pid and info.info.group_id == str(gid)
    ana = _contacts(groups, gid)[FR1]
    assert (ana.first_name, ana.email, ana.last_name) == ("Anna", "anna@example.com", None)
    assert ana.custom_fields.to_dict() == {"city": "Paris", "eyes": "green"}  # merged; null removed a field

    # the same values again: nothing to change, 204
    data, status, _ = groups.update_contact_from_group(gid, pid, body, _return_http_data_only=False)
    assert (data, status) == (None, 204)

    moved = groups.update_contact_from_group(gid, pid, UpdateNumberRequest(phone_number=GB1))
    assert moved.info.id == pid
    got = _contacts(groups, gid)
    assert GB1 in got and FR1 not in got and got[GB1].country_iso == "GB" and got[GB1].first_name == "Anna"
    assert groups.get_group_details(gid).info.total_cost == pytest.approx(PRICE["FR"] + PRICE["GB"])


def test_update_contact_errors(groups: GroupsApi) -> None:
    gid = _group(groups)
    _add(groups, gid, [FR1, FR2])
    pid = _contacts(groups, gid)[FR1].id
    expect_error(
        InvalidRequestException, 1213, groups.update_contact_from_group, gid, pid, UpdateNumberRequest()
    )
    expect_error(
        DuplicateValueException,
        1215,
        groups.update_contact_from_group,
        gid,
        pid,
        UpdateNumberRequest(phone_number=FR2),
    )
    err = expect_error(
        InvalidPhoneNumberException,
        1207,
        groups.update_contact_from_group,
        gid,
        pid,
        UpdateNumberRequest(phone_number="+3361"),
    )
    assert err.invalid == ["+3361"]
    other = "0b0e8f8e-5b1a-4c1e-9f0e-000000000000"
    expect_error(
        ResourceNotFoundException,
        1202,
        groups.update_contact_from_group,
        gid,
        other,
        UpdateNumberRequest(first_name="A"),
    )
    expect_error(
        ResourceNotFoundException,
        1202,
        groups.update_contact_from_group,
        99,
        pid,
        UpdateNumberRequest(first_name="A"),
    )

    path = "/groups/{groupId}/{phoneNumberId}"
    params = {"groupId": gid, "phoneNumberId": pid}
    for body, code in [
        (None, 1007),
        ([], 1007),
        ({"nickname": "A"}, 1213),
        ({"firstName": 5}, 1008),
        ({"phoneNumber": None}, 1008),
        ({"customFields": [1]}, 1008),
    ]:
        expect_error(InvalidRequestException, code, raw_call, groups.api_client, "PATCH", path, body, path_params=params)
    for ids in (
        {"groupId": gid, "phoneNumberId": "not-a-uuid"},
        {"groupId": gid, "phoneNumberId": pid.upper()},
        {"groupId": "x", "phoneNumberId": pid},
    ):
        expect_error(
            ResourceNotFoundException,
            1202,
            raw_call,
            groups.api_client,
            "PATCH",
            path,
            {"firstName": "A"},
            path_params=ids,
        )
    assert _contacts(groups, gid)[FR1].first_name is None  # nothing changed


def test_delete_contact(groups: GroupsApi) -> None:
    gid = _group(groups)
    _add(groups, gid, [FR1, GB1])
    pid = _contacts(groups, gid)[GB1].id
    deleted = groups.delete_contact_from_group(gid, pid)
    assert deleted.to_dict() == {"info": {"id": pid, "phone_number": GB1, "country_iso": "GB"}}
    details = groups.get_group_details(gid)
    assert [c.phone_number for c in details.data] == [FR1]
    assert details.info.total_phone_numbers == 1 and details.info.total_cost == pytest.approx(PRICE["FR"])
    expect_error(ResourceNotFoundException, 1202, groups.delete_contact_from_group, gid, pid)
    expect_error(ResourceNotFoundException, 1200, groups.delete_contact_from_group, 99, pid)
    expect_error(
        ResourceNotFoundException,
        1202,
        raw_call,
        groups.api_client,
        "DELETE",
        "/groups/{groupId}/{phoneNumberId}",
        path_params={"groupId": gid, "phoneNumberId": "42"},
    )


# -- exports, empty -----------------------------------------------------------------------
def test_exports(groups: GroupsApi) -> None:
    gid = _group(groups, "VIP Clients!")
    groups.add_contacts_to_group_with_fields(
        gid,
        AddContactsToGroupWithFieldsRequest(
            phone_numbers=[
                GroupAdd(
                    phone_number=FR1, first_name="Ana", custom_fields=GroupAddCustomFields(height="180")
                ),
                GroupAdd(
                    phone_number=GB1, last_name="Lee, Jr.", custom_fields=GroupAddCustomFields(city="Leeds")
                ),
            ]
        ),
    )
    rows = list(csv.DictReader(io.StringIO(groups.export_group_to_csv(gid))))
    assert [r["phoneNumber"] for r in rows] == [FR1, GB1]
    assert list(rows[0])[:3] == ["id", "phoneNumber", "countryIso"]
    assert (rows[0]["firstName"], rows[0]["height"], rows[0]["city"], rows[0]["optout"]) == (
        "Ana",
        "180",
        "",
        "false",
    )
    assert (rows[1]["lastName"], rows[1]["city"], rows[1]["countryIso"]) == ("Lee, Jr.", "Leeds", "GB")
    assert UUID.match(rows[0]["id"])

    with groups.export_group_to_xlsx(gid) as f:
        assert os.path.basename(f.name).endswith("group-{}-vip-clients.xlsx".format(gid))
        sheet = xlsx_rows(f.name)
    assert sheet[0][:3] == ["id", "phoneNumber", "countryIso"]
    assert [r[1] for r in sheet[1:]] == [FR1, GB1]

    empty = _group(groups, "Nobody")
    assert groups.export_group_to_csv(empty).splitlines() == [
        "id,phoneNumber,countryIso,firstName,lastName,email,field1,field2,field3,field4,field5,optout,dateAdded"
    ]
    with groups.export_group_to_xlsx(empty) as f:
        assert len(xlsx_rows(f.name)) == 1
    expect_error(ResourceNotFoundException, 1200, groups.export_group_to_csv, 99)
    expect_error(ResourceNotFoundException, 1200, groups.export_group_to_xlsx, 99)


def test_empty_group(groups: GroupsApi) -> None:
    gid = _group(groups)
    _add(groups, gid, [FR1, FR2])
    emptied, status, _ = groups.empty_group(gid, _return_http_data_only=False)
    assert status == 200 and emptied.info.id == gid and emptied.info.name == "Customers"
    assert groups.get_group_details(gid).info.total_phone_numbers == 0
    data, status, _ = groups.empty_group(gid, _return_http_data_only=False)
    assert (data, status) == (None, 204)
    assert groups.get_group_details(gid).info.name == "Customers"  # the group itself stays
    expect_error(ResourceNotFoundException, 1200, groups.empty_group, 99)


def test_totals_follow_the_optout_list(groups: GroupsApi) -> None:
    gid = _group(groups)
    _add(groups, gid, [FR1, FR2, GB1])
    OptoutsApi(groups.api_client).add_contact_to_optouts_list(AddContactsToGroupRequest(phone_numbers=[FR2]))
    info = groups.get_group_details(gid).info
    assert (info.total_phone_numbers, info.total_optouts) == (3, 1)
    assert info.total_cost == pytest.approx(PRICE["FR"] + PRICE["GB"])  # opted-out numbers cost nothing
    assert {p: c.optout for p, c in _contacts(groups, gid).items()} == {FR1: False, FR2: True, GB1: False}
    listed = groups.get_groups_list().data[0]
    assert (listed.total_optouts, listed.total_cost) == (1, pytest.approx(PRICE["FR"] + PRICE["GB"]))
    rows = list(csv.DictReader(io.StringIO(groups.export_group_to_csv(gid))))
    assert [r["optout"] for r in rows] == ["false", "true", "false"]
