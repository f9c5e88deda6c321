"""XLSX downloads: the server's file name, in a private folder per download, deleted by the caller."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from wire import Reply

import smscx_client
from smscx_client import ApiValueError, delete_download
from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.reports_api import ReportsApi

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(name: str, payload: bytes = b"PK\x03\x04workbook") -> Reply:
    return Reply(200, payload, {"Content-Type": XLSX, "Content-Disposition": 'attachment; filename="{}"'.format(name)})


def test_the_servers_name_in_a_folder_of_its_own(wire: Any, make_client: Any, tmp_path: Path) -> None:
    client = make_client(temp_folder_path=str(tmp_path))
    wire.reply(_workbook("report-2021-07.xlsx", b"PK first"), _workbook("report-2021-07.xlsx", b"PK second"))
    first = ReportsApi(client).export_campaign_report_to_xlsx("7f1c5b4e-2d3a-4c5b-8e9f-0a1b2c3d4e5f")
    second = ReportsApi(client).export_campaign_report_to_xlsx("7f1c5b4e-2d3a-4c5b-8e9f-0a1b2c3d4e5f")
    paths = [Path(f.name) for f in (first, second)]
    assert [p.name for p in paths] == ["report-2021-07.xlsx"] * 2  # as 0.1.x named it
    assert paths[0].parent != paths[1].parent and {p.parent.parent for p in paths} == {tmp_path}
    assert (first.read(), second.read()) == (b"PK first", b"PK second")  # no name collides
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(paths[0].parent).st_mode) == 0o700  # nobody else lists or swaps it
    first.close()
    assert paths[0].exists()  # closing does not delete
    delete_download(first)  # a closed file is fine, so is an open one
    delete_download(second)
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder_is_the_system_temp_folder(wire: Any, make_client: Any) -> None:
    wire.reply(_workbook("group-7-vip.xlsx"))
    with GroupsApi(make_client()).export_group_to_xlsx(7) as f:
        path = Path(f.name)
        assert path.parent.parent == Path(tempfile.gettempdir()) and path.parent.name.startswith("smscx-")
    delete_download(str(path))
    assert not path.parent.exists()
    delete_download(path)  # already gone: nothing happens


def test_only_sdk_downloads_can_be_deleted(tmp_path: Path) -> None:
    mine = tmp_path / "mine.xlsx"
    mine.write_bytes(b"keep me")
    with pytest.raises(ApiValueError, match="not a file downloaded by smscx_client"):
        delete_download(mine)
    assert mine.read_bytes() == b"keep me"


@pytest.mark.parametrize(
    "disposition,name",
    [
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9 .xlsx", "r_sum__.xlsx"),
        ('attachment; filename=".hidden.xlsx"', "hidden.xlsx"),
        ("inline", "download.xlsx"),
    ],
)
def test_names_are_sanitised(wire: Any, make_client: Any, tmp_path: Path, disposition: str, name: str) -> None:
    wire.reply(Reply(200, b"PK", {"Content-Type": XLSX, "Content-Disposition": disposition}))
    f = GroupsApi(make_client(temp_folder_path=str(tmp_path))).export_group_to_xlsx(7)
    assert Path(f.name).name == name and Path(f.name).parent.parent == tmp_path
    delete_download(f)


def test_a_refused_download_leaves_nothing(wire: Any, make_client: Any, tmp_path: Path) -> None:
    wire.reply(_workbook("big.xlsx", b"PK" + b"x" * 5000))
    client = make_client(temp_folder_path=str(tmp_path), max_response_bytes=1000)
    with pytest.raises(smscx_client.ApiException, match="larger than"):
        GroupsApi(client).export_group_to_xlsx(7)
    assert list(tmp_path.iterdir()) == []
