"""Names 0.1.x users imported from ``smscx_client.model_utils``; models live in ``_model``."""

from datetime import date, datetime
from typing import Any, Dict

from smscx_client._model import Model, SimpleModel, file_type, none_type
from smscx_client._serialize import to_wire

ModelNormal = Model
ModelComposed = Model
ModelSimple = SimpleModel
OpenApiModel = Model

__all__ = [
    "ModelNormal",
    "ModelComposed",
    "ModelSimple",
    "OpenApiModel",
    "file_type",
    "none_type",
    "date",
    "datetime",
    "model_to_dict",
]


def model_to_dict(model_instance: Any, serialize: bool = True) -> Dict[str, Any]:
    """The model as a dict: JSON names when ``serialize``, python attribute names otherwise."""
    if serialize:
        result: Dict[str, Any] = to_wire(model_instance)
        return result
    out: Dict[str, Any] = model_instance.to_dict()
    return out
