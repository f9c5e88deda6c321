"""Every public name of smscx_client 0.1.13 is importable from the same path, with the same shape."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

NAMES = json.loads((Path(__file__).parent / "names_0_1.json").read_text())


@pytest.mark.parametrize("name,module", sorted(NAMES["models"].items()))
def test_model_module_path(name, module):
    mod = importlib.import_module("smscx_client.model." + module)
    cls = getattr(mod, name)
    assert cls.__name__ == name
    assert callable(cls.to_str)


def test_models_aggregator_exports_every_model():
    models = importlib.import_module("smscx_client.models")
    for name in NAMES["models"]:
        assert hasattr(models, name), name


@pytest.mark.parametrize("key", sorted(NAMES["apis"]))
def test_api_classes_and_signatures(key):
    module, cls_name = key.split(":")
    cls = getattr(importlib.import_module("smscx_client.api." + module), cls_name)
    assert getattr(importlib.import_module("smscx_client.apis"), cls_name) is cls
    for entry in NAMES["apis"][key]:
        method = getattr(cls, entry["method"])
        params = [
            p for p in inspect.signature(method).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self"
        ]
        assert [p.name for p in params] == entry["positional"], entry["method"]
        kinds = {p.kind for p in inspect.signature(method).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD in kinds  # the per-call options


def test_exception_names_at_both_paths():
    import smscx_client
    import smscx_client.exceptions as exceptions

    for name in NAMES["exceptions"]:
        assert getattr(smscx_client, name) is getattr(exceptions, name)


def test_core_names_and_compat_modules():
    import smscx_client
    from smscx_client import ApiClient, Configuration  # noqa: F401
    from smscx_client.api_client import ApiClient as A2
    from smscx_client.configuration import Configuration as C2
    from smscx_client.model_utils import ModelComposed, ModelNormal, ModelSimple, file_type, none_type  # noqa: F401
    from smscx_client.rest import RESTClientObject, RESTResponse  # noqa: F401

    assert A2 is smscx_client.ApiClient and C2 is smscx_client.Configuration
    assert smscx_client.__version__.startswith("1.")
    for name in smscx_client.__all__:
        assert hasattr(smscx_client, name), name


def test_import_loads_no_model_module():
    code = "import sys, smscx_client; print(sum(m.startswith('smscx_client.model.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_api_module_loads_only_its_models():
    code = (
        "import sys; import smscx_client.api.account_api; "
        "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('smscx_client.model.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(out.stdout)
    assert "account_balance" in loaded
    assert "send_sms_message_request" not in loaded
    assert len(loaded) < 20
