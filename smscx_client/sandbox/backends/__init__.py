"""One module per API resource; each function named after an operation takes a ``Ctx``.

A module may also define ``seed(state)`` to put its starting records in place on every reset.
``_examples.seed`` (the records ``magic.EXAMPLE_IDS`` names) runs last, when asked for.
"""

from __future__ import annotations

import importlib
import logging
from typing import Callable, List

from smscx_client.sandbox._routes import ROUTES

__all__ = ["MODULES", "seeders"]

MODULES = sorted({r[3] for r in ROUTES})


def seeders(examples: bool = False) -> List[Callable[..., None]]:
    """The ``seed`` functions of every backend module that has one (and the example records')."""
    out = []
    for name in [*MODULES, "_examples"] if examples else MODULES:
        try:
            module = importlib.import_module("smscx_client.sandbox.backends." + name)
        except ImportError:
            # only this resource's routes fail (they answer 500); the rest of the sandbox works
            logging.getLogger("smscx_client.sandbox").exception("sandbox backend %s failed to import", name)
            continue
        seed = getattr(module, "seed", None)
        if seed is not None:
            out.append(seed)
    return out
