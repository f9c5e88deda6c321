"""Run SDK calls through the published smscx_client 0.1.13 and write what came back.

Copied into a temporary folder and run by the throwaway virtualenv's Python (``-I``), so only the
published package is importable. ``python legacy_driver.py CALLS.json RESULTS.json``:

CALLS.json is a list of ``{"host", "auth": {Configuration kwargs}, "temp", "api", "method",
"args", "kwargs"}``; arguments are JSON with two tagged forms, ``{"__model__": [module, class],
"fields": {python names}}`` and ``{"__datetime__": iso}``. RESULTS.json gets, per call, either
``{"ok": true, "kind", "value"}`` or ``{"ok": false, "error"}``. Nothing is printed.
"""

import importlib
import json
import sys
from datetime import date, datetime


def decode(value):
    if isinstance(value, dict):
        if "__model__" in value:
            module, name = value["__model__"]
            cls = getattr(importlib.import_module(module), name)
            return cls(**{k: decode(v) for k, v in value["fields"].items()})
        if "__datetime__" in value:
            return datetime.fromisoformat(value["__datetime__"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def plain(value):
    """JSON-able copy; dates become their isoformat()."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def run(call):
    import smscx_client
    from smscx_client import apis

    config = smscx_client.Configuration(host=call["host"], **call["auth"])
    config.temp_folder_path = call["temp"]
    api = getattr(apis, call["api"])(smscx_client.ApiClient(config))
    try:
        result = getattr(api, call["method"])(*decode(call["args"]), **decode(call["kwargs"]))
    except Exception as exc:  # reported, not raised: the test decides what it means
        return {"ok": False, "error": "{}: {}".format(type(exc).__name__, exc)[:600]}
    if hasattr(result, "to_dict"):
        return {"ok": True, "kind": "model", "type": type(result).__name__, "value": plain(result.to_dict())}
    if hasattr(result, "read"):
        with result:
            return {"ok": True, "kind": "file", "value": result.read().hex(), "name": result.name}
    return {"ok": True, "kind": type(result).__name__, "value": plain(result)}


def main():
    from importlib.metadata import version

    with open(sys.argv[1]) as fh:
        calls = json.load(fh)
    out = {"version": version("smscx_client"), "results": [run(c) for c in calls]}
    with open(sys.argv[2], "w") as fh:
        json.dump(out, fh)


if __name__ == "__main__":
    main()
