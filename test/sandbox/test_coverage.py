"""Every route of the API has a backend operation in the sandbox."""

from __future__ import annotations

import importlib

import pytest

from smscx_client.sandbox._routes import ROUTES


@pytest.mark.parametrize("method,path,op,module", [(r[0], r[1], r[2], r[3]) for r in ROUTES])
def test_route_has_a_handler(method, path, op, module):
    backend = importlib.import_module("smscx_client.sandbox.backends." + module)
    assert callable(getattr(backend, op, None)), "{} {} -> backends/{}.py:{} is missing".format(method, path, module, op)


def test_all_hundred_routes():
    assert len(ROUTES) == 100
