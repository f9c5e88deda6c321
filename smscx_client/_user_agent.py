"""The ``User-Agent`` the SDK sends: ``smscx-client/<version> python/<x.y> <os>``, then the
application's own name when it set one with ``set_app_info``."""

from __future__ import annotations

import re
import sys
from typing import Optional

from smscx_client._version import __version__

__all__ = ["set_app_info", "user_agent"]

BASE = "smscx-client/{} python/{}.{} {}".format(__version__, sys.version_info[0], sys.version_info[1], sys.platform)
_TOKEN = re.compile(r"[A-Za-z0-9._+-]{1,64}\Z")
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?\Z")
_app: str = ""


def set_app_info(name: Optional[str], version: Optional[str] = None, url: Optional[str] = None) -> None:
    """Name your application in the ``User-Agent`` of clients created afterwards (``None`` removes it).

    ``name`` and ``version`` are single tokens (letters, digits, ``.``, ``_``, ``+``, ``-``);
    ``url`` is a plain ``http(s)`` address: no user, password, query or fragment can slip a secret
    into a header that proxies and servers log."""
    global _app
    if name is None:
        _app = ""
        return
    if not isinstance(name, str) or not _TOKEN.match(name):
        raise ValueError("set_app_info(name=...) takes one word of letters, digits and ._+- (at most 64), such as 'shop-backend'")
    text = name
    if version is not None:
        if not isinstance(version, str) or not _TOKEN.match(version):
            raise ValueError("set_app_info(version=...) takes one word of letters, digits and ._+-, such as '2.4.1'")
        text += "/" + version
    if url is not None:
        if not isinstance(url, str) or not _URL.match(url):
            raise ValueError(
                "set_app_info(url=...) takes a plain http(s) address with no user, password, query or fragment, "
                "such as 'https://example.com/shop'"
            )
        text += " (+{})".format(url)
    _app = text


def user_agent() -> str:
    """The ``User-Agent`` of a client created now."""
    return BASE + " " + _app if _app else BASE
