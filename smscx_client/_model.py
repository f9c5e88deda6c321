"""Behaviour shared by every generated model.

A model keeps the JSON object it stands for in ``_data`` (wire names as keys), and that dict is
also the instance's ``__dict__``: a field whose python name is its JSON name (``to``, ``text``,
``status``) is read by Python itself, as fast as a dict lookup, and one read under another name
(``msg_id`` for ``msgId``) by a ``property`` that looks the JSON name up, all in C. A field whose
value is converted (nested objects, lists of objects, date-times) is read once by its descriptor,
which keeps the result in the same dict under the python name (``created_at`` beside
``createdAt``), so the next read is a dict lookup too. Those *aliases* never leave the model:
``to_wire()``, ``to_dict()``, copies and pickles skip them. Parsing a response is therefore O(1)
per object, and what is never read is never converted, with one exception: the first read of a
list of objects makes all its models at once, with what their fields' first reads would convert
(the generated ``_wrap_list``, see ``ListOf.read``), which costs less than doing it field by field.

Values a caller sets are checked against the spec (type, enum, length, pattern, range) at once,
so a bad request fails before it is sent, with the field's name in the message. Responses are
not checked: unknown fields and enum values are kept as they came.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import sys
import warnings
from collections import deque
from datetime import date, datetime
from itertools import repeat, starmap
from operator import attrgetter
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ClassVar,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    Type,
    TypedDict,
    TypeVar,
    Union,
)

from smscx_client._serialize import parse_date, parse_datetime, to_wire
from smscx_client.exceptions import ApiAttributeError, ApiExceptionBase, ApiTypeError, ApiValueError

if TYPE_CHECKING:
    from smscx_client.configuration import Configuration

__all__ = [
    "UNSET",
    "Model",
    "SimpleModel",
    "MapModel",
    "Field",
    "field",
    "file_type",
    "none_type",
    "LegacyKwargs",
    "UnknownFieldWarning",
]

file_type = io.IOBase
none_type = type(None)
_fromisoformat = datetime.fromisoformat
M = TypeVar("M", bound="Model")


class _Unset:
    """Marks an argument the caller did not give (``None`` can be a real value)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()

# keyword arguments of 0.1.x model constructors that carried no data
_LEGACY_KWARGS = ("_check_type", "_path_to_item", "_visited_composed_classes")
# ... and the ones a model constructor takes besides its fields
_INIT_OPTIONS = frozenset(_LEGACY_KWARGS + ("_configuration", "_spec_property_naming"))


class LegacyKwargs(TypedDict, total=False):
    """The keyword arguments a 0.1.x model constructor took besides its fields (all optional).

    Generated constructors declare ``**kwargs: Unpack[LegacyKwargs]``: a type checker then
    rejects any other name, so a misspelt field is an error there. Only ``_configuration``
    still has an effect (its ``discard_unknown_keys``).
    """

    _check_type: bool
    _spec_property_naming: bool
    _path_to_item: Sequence[Union[str, int]]
    _configuration: Optional[Configuration]
    _visited_composed_classes: Tuple[type, ...]


class UnknownFieldWarning(UserWarning):
    """A model was built with a field name it does not declare, most likely a misspelling.

    The value is still sent, as an additional property (as 0.1.x did), and the warning names the
    closest declared field. It is given once per model class and name. To send a property this
    SDK does not know on purpose, set it with ``model["name"] = value``, which does not warn.
    """


_WARNED: Set[Tuple[type, str]] = set()
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


class ModelList(list):  # type: ignore[type-arg]
    """A list whose items were already converted to models."""

    __slots__ = ()


class ModelMap(dict):  # type: ignore[type-arg]
    """A dict whose values were already converted to models."""

    __slots__ = ()


class T:
    """A field or parameter type: ``check`` validates caller input, ``read`` converts wire data."""

    __slots__ = ()
    lazy = False  # True when ``read`` may convert the decoded JSON
    # True when the converted value replaces the JSON (models, lists of models); a date keeps its
    # text, so ``to_wire()`` gives back exactly what the API sent (the parsed value is kept beside
    # it, under the python name, when that differs; else it is parsed on every read)
    cache = False
    done: Tuple[type, ...] = ()  # types ``read`` returns as they are: no call needed for them

    def describe(self) -> str:
        """Human name of the type, for error messages."""
        raise NotImplementedError

    def check(self, value: Any, where: str) -> Any:
        """Validate a caller's value; return what to store."""
        raise NotImplementedError

    def read(self, raw: Any) -> Any:
        """Convert a decoded JSON value; never raises."""
        return raw

    def to_python(self, value: Any, mask: bool = False) -> Any:
        """Plain-python form used by ``to_dict()``."""
        return value

    def _wrong_type(self, value: Any, where: str) -> ApiTypeError:
        return ApiTypeError(
            "Invalid type for `{}`: expected {}, got {}".format(
                where, self.describe(), type(value).__name__
            ),
            valid_classes=None,
        )


def _enum_check(value: Any, enum: Optional[Tuple[Any, ...]], where: str) -> None:
    if enum is not None and value not in enum:
        raise ApiValueError(
            "Invalid value for `{}`: {!r}; allowed values are {}".format(
                where, value, ", ".join(repr(e) for e in enum if e is not None)
            )
        )


class Str(T):
    """A string, with optional enum, length and pattern rules."""

    __slots__ = ("enum", "min_length", "max_length", "pattern", "_regex")

    def __init__(
        self,
        enum: Optional[Tuple[Any, ...]] = None,
        min_length: Optional[int] = None,
        max_length: Optional[int] = None,
        pattern: Optional[str] = None,
    ) -> None:
        self.enum = enum
        self.min_length = min_length
        self.max_length = max_length
        self.pattern = pattern
        self._regex = re.compile(pattern) if pattern else None

    def describe(self) -> str:
        return "str"

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, str):
            raise self._wrong_type(value, where)
        if self.enum is not None:
            _enum_check(value, self.enum, where)
        n = len(value)
        if self.min_length is not None and n < self.min_length:
            if self.min_length == self.max_length:
                rule = "exactly {} characters".format(self.min_length)
            else:
                rule = "at least {} characters".format(self.min_length)
            raise ApiValueError("Invalid value for `{}`: must be {} (got {})".format(where, rule, n))
        if self.max_length is not None and n > self.max_length:
            if self.min_length == self.max_length:
                rule = "exactly {} characters".format(self.max_length)
            else:
                rule = "at most {} characters".format(self.max_length)
            raise ApiValueError("Invalid value for `{}`: must be {} (got {})".format(where, rule, n))
        if self._regex is not None and not self._regex.search(value):
            raise ApiValueError(
                "Invalid value for `{}`: {!r} does not match {}".format(where, value, self.pattern)
            )
        return value


class _Number(T):
    __slots__ = ("enum", "minimum", "maximum")
    kinds: ClassVar[Tuple[type, ...]] = (int,)

    def __init__(
        self,
        enum: Optional[Tuple[Any, ...]] = None,
        minimum: Optional[float] = None,
        maximum: Optional[float] = None,
    ) -> None:
        self.enum = enum
        self.minimum = minimum
        self.maximum = maximum

    def check(self, value: Any, where: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._wrong_type(value, where)
        if isinstance(value, float) and float not in self.kinds:
            raise self._wrong_type(value, where)
        _enum_check(value, self.enum, where)
        number = float(value)
        if self.minimum is not None and number < self.minimum:
            raise ApiValueError(
                "Invalid value for `{}`: must be >= {} (got {})".format(where, self.minimum, value)
            )
        if self.maximum is not None and number > self.maximum:
            raise ApiValueError(
                "Invalid value for `{}`: must be <= {} (got {})".format(where, self.maximum, value)
            )
        return value


class Int(_Number):
    """An integer."""

    __slots__ = ()

    def describe(self) -> str:
        return "int"


class Num(_Number):
    """A number (int or float)."""

    __slots__ = ()
    kinds = (int, float)

    def describe(self) -> str:
        return "float"


class Bool(T):
    """A boolean."""

    __slots__ = ()

    def describe(self) -> str:
        return "bool"

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, bool):
            raise self._wrong_type(value, where)
        return value


class AnyT(T):
    """Any JSON value."""

    __slots__ = ()

    def describe(self) -> str:
        return "any JSON value"

    def check(self, value: Any, where: str) -> Any:
        return value

    def to_python(self, value: Any, mask: bool = False) -> Any:
        return _plain(value, mask)


class DateTime(T):
    """A date-time: a ``datetime``, or a string the API can parse."""

    __slots__ = ()
    lazy = True
    done = (datetime,)

    def describe(self) -> str:
        return "datetime"

    def check(self, value: Any, where: str) -> Any:
        if isinstance(value, datetime):
            return value
        if isinstance(value, str):
            if parse_datetime(value) is None:
                raise ApiValueError(
                    "Invalid value for `{}`: {!r} is not a date-time; pass a datetime or "
                    "'YYYY-MM-DD HH:MM:SS'".format(where, value)
                )
            return value
        raise self._wrong_type(value, where)

    def read(self, raw: Any) -> Any:
        if type(raw) is str:
            try:
                return _fromisoformat(raw)  # 'YYYY-MM-DD HH:MM:SS', the API's form
            except ValueError:
                pass
        if isinstance(raw, str):
            parsed = parse_datetime(raw)
            return raw if parsed is None else parsed
        return raw

    def to_python(self, value: Any, mask: bool = False) -> Any:
        return self.read(value)


class Date(T):
    """A calendar date."""

    __slots__ = ()
    lazy = True
    done = (date,)

    def describe(self) -> str:
        return "date"

    def check(self, value: Any, where: str) -> Any:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and parse_date(value) is not None:
            return value
        raise self._wrong_type(value, where)

    def read(self, raw: Any) -> Any:
        if isinstance(raw, str):
            parsed = parse_date(raw)
            return raw if parsed is None else parsed
        return raw

    def to_python(self, value: Any, mask: bool = False) -> Any:
        return self.read(value)


class ListOf(T):
    """A JSON array."""

    __slots__ = ("item", "min_items", "max_items", "lazy", "cache")
    done = (ModelList,)

    def __init__(self, item: T, min_items: Optional[int] = None, max_items: Optional[int] = None) -> None:
        self.item = item
        self.min_items = min_items
        self.max_items = max_items
        self.lazy = item.lazy
        self.cache = item.cache

    def describe(self) -> str:
        return "a list of {}".format(self.item.describe())

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, (list, tuple)):
            raise self._wrong_type(value, where)
        if self.min_items is not None and len(value) < self.min_items:
            raise ApiValueError(
                "Invalid value for `{}`: needs at least {} items (got {})".format(
                    where, self.min_items, len(value)
                )
            )
        if self.max_items is not None and len(value) > self.max_items:
            raise ApiValueError(
                "Invalid value for `{}`: takes at most {} items (got {})".format(
                    where, self.max_items, len(value)
                )
            )
        item = self.item
        if (
            type(item) is Str
            and item.enum is None
            and item.min_length is None
            and item.max_length is None
            and item._regex is None
        ):
            # the common case (phone numbers): join() checks every item is a str in C; the loop
            # only runs to name the one that is not
            try:
                "".join(value)
            except TypeError:
                for i, v in enumerate(value):
                    if not isinstance(v, str):
                        raise item._wrong_type(v, "{}[{}]".format(where, i)) from None
            return list(value)
        return [item.check(v, "{}[{}]".format(where, i)) for i, v in enumerate(value)]

    def read(self, raw: Any) -> Any:
        if type(raw) is ModelList or not isinstance(raw, list):
            return raw
        item = self.item
        if type(item) is Ref and item.cls._from_wire.__func__ is _MODEL_FROM_WIRE:
            # a list of objects: wrapped in one pass, as Model._from_wire would wrap each; the
            # generated ``_wrap_list`` of the item class also makes, in that pass, what the
            # first reads of the fields would convert (see tools/codegen). The aliases it adds
            # (one per converted field read under another name) fit in the table json.loads
            # made for each item, for the large lists of the API: a DataSms answer has 13 keys
            # (15 at most) in a table with room for 21, and gets 2 aliases (3 at most), so the
            # items take no more memory than when their fields are read one by one.
            cls = item.cls
            wrap = cls.__dict__.get("_wrap_list")  # the class's own, not a parent's
            if wrap is not None:
                out = wrap.__func__(raw)
                if out is not None:
                    return out
            return _wrap_items(cls, raw)
        read = item.read
        return ModelList([read(v) for v in raw])

    def to_python(self, value: Any, mask: bool = False) -> Any:
        if not isinstance(value, list):
            return _plain(value, mask)
        conv = self.item.to_python
        return [None if v is None else conv(v, mask) for v in value]


class MapOf(T):
    """A JSON object used as a map from string keys to values of one type (or null when
    ``nullable``)."""

    __slots__ = ("value", "nullable", "lazy", "cache")
    done = (ModelMap,)

    def __init__(self, value: T, nullable: bool = False) -> None:
        self.value = value
        self.nullable = nullable
        self.lazy = value.lazy
        self.cache = value.cache

    def describe(self) -> str:
        return "a dict of str to {}".format(self.value.describe())

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, dict):
            raise self._wrong_type(value, where)
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ApiTypeError("Invalid key for `{}`: keys must be str, got {!r}".format(where, k))
            out[k] = None if v is None and self.nullable else self.value.check(v, "{}[{!r}]".format(where, k))
        return out

    def read(self, raw: Any) -> Any:
        if type(raw) is ModelMap or not isinstance(raw, dict):
            return raw
        read = self.value.read
        return ModelMap((k, read(v)) for k, v in raw.items())

    def to_python(self, value: Any, mask: bool = False) -> Any:
        if not isinstance(value, dict):
            return _plain(value, mask)
        conv = self.value.to_python
        return {k: None if v is None else conv(v, mask) for k, v in value.items()}


class Ref(T):
    """A nested model."""

    __slots__ = ("cls", "done")
    lazy = True
    cache = True

    def __init__(self, cls: Type[Any]) -> None:
        self.cls = cls
        self.done = (cls,)

    def describe(self) -> str:
        return "{} (or a dict of its fields)".format(self.cls.__name__)

    def check(self, value: Any, where: str) -> Any:
        cls = self.cls
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            try:
                return cls._from_input(value)
            except ApiExceptionBase:
                raise
            except TypeError as exc:
                raise ApiTypeError("Invalid value for `{}`: {}".format(where, exc)) from None
        raise self._wrong_type(value, where)

    def read(self, raw: Any) -> Any:
        if isinstance(raw, dict):
            return self.cls._from_wire(raw)
        return raw

    def to_python(self, value: Any, mask: bool = False) -> Any:
        if isinstance(value, dict) and issubclass(self.cls, Model):
            return self.cls._data_to_python(value, mask)  # no wrapper needed
        if isinstance(value, dict) and not isinstance(value, self.cls):
            value = self.cls._from_wire(value)
        if isinstance(value, (Model, SimpleModel, MapModel)):
            return value._to_python(mask)
        return value


class Hinted(T):
    """Another type whose ``ApiValueError`` messages end with advice: the spec's ``x-hint``."""

    __slots__ = ("inner", "hint", "lazy", "cache", "done")

    def __init__(self, inner: T, hint: str) -> None:
        self.inner = inner
        self.hint = hint
        self.lazy = inner.lazy
        self.cache = inner.cache
        self.done = inner.done

    def describe(self) -> str:
        return self.inner.describe()

    def check(self, value: Any, where: str) -> Any:
        try:
            return self.inner.check(value, where)
        except ApiValueError as exc:
            # the rule that failed is the inner type's message; the hint says what to do instead
            raise ApiValueError("{}. {}".format(str(exc).rstrip("."), self.hint)) from None

    def read(self, raw: Any) -> Any:
        return self.inner.read(raw)

    def to_python(self, value: Any, mask: bool = False) -> Any:
        return self.inner.to_python(value, mask)


class Field:
    """Descriptor for one model field: ``wire`` is its JSON name, ``type`` its ``T``."""

    __slots__ = ("name", "wire", "type", "nullable", "secret", "_lazy", "_cache", "_done", "_where")

    def __init__(self, wire: str, type_: T, nullable: bool = False, secret: bool = False) -> None:
        self.name = wire
        self.wire = wire
        self.type = type_
        self.nullable = nullable
        self.secret = secret
        self._lazy = type_.lazy
        self._cache = type_.cache
        self._done = type_.done
        self._where: Tuple[Any, str] = (None, "")  # (class, "Class.field") of the last __set__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, inst: Any, owner: Any = None) -> Any:
        if inst is None:
            return self
        data = inst._data
        try:
            value = data[self.wire]
        except KeyError:
            raise AttributeError(self.name) from None
        if self._lazy and value is not None and type(value) not in self._done:
            converted = self.type.read(value)
            if self._cache and converted is not value:
                data[self.wire] = converted
            return converted
        return value

    def __set__(self, inst: Any, value: Any) -> None:
        cls, where = self._where
        if type(inst) is not cls:
            where = "{}.{}".format(type(inst).__name__, self.name)
            self._where = (type(inst), where)
        if value is None:
            if not self.nullable:
                # a TypeError, as in 0.1.x, so `except TypeError` keeps catching it
                raise ApiTypeError("Invalid type for `{}`: None is not allowed; omit the field instead".format(where))
        else:
            value = self.type.check(value, where)
        data = inst._data
        data[self.wire] = value
        if self.name != self.wire:
            data.pop(self.name, None)  # the alias of the old value

    def __delete__(self, inst: Any) -> None:
        data = inst._data
        data.pop(self.wire, None)
        if self.name != self.wire:
            data.pop(self.name, None)

    def reader(self) -> Any:
        """What the model class holds under the field's name: this field itself when its JSON
        value must be converted on every read under the same name, a ``_Renamed`` property when
        the value is read as it came under another name, else a non-data reader, so that the
        value in the instance's ``__dict__`` is found first."""
        if self.name != self.wire:
            return _Alias(self) if self._lazy else _Renamed(self)
        if self._lazy:
            return self
        return _Direct(self)


class _Direct:
    """The reader of a field stored under its own name: Python finds the value in the instance's
    ``__dict__`` (the JSON object) first, so this only runs when the field is not set."""

    __slots__ = ("field",)

    def __init__(self, f: Field) -> None:
        self.field = f

    def __get__(self, inst: Any, owner: Any = None) -> Any:
        if inst is None:
            return self.field
        raise AttributeError(self.field.name)


class _Alias:
    """The reader of a converted field whose python name differs from its JSON name (or of any
    renamed field that ``_Renamed`` cannot read): the first read converts the JSON value and
    keeps it in the instance's ``__dict__`` under the python name, where Python finds it on
    every later read."""

    __slots__ = ("field", "name", "wire", "read", "cache", "done", "model")

    def __init__(self, f: Field) -> None:
        self.field = f
        self.name = f.name
        self.wire = f.wire
        self.read = f.type.read if f._lazy else None
        self.cache = f._cache
        self.done = f._done
        # a nested model wrapped here, without the calls of Ref.read and _from_wire
        cls = f.type.cls if isinstance(f.type, Ref) else None
        plain = cls is not None and issubclass(cls, Model) and getattr(cls._from_wire, "__func__", None) is _MODEL_FROM_WIRE
        self.model = cls if plain else None

    def __get__(self, inst: Any, owner: Any = None) -> Any:
        if inst is None:
            return self.field
        data = inst.__dict__
        try:
            value = data[self.wire]
        except KeyError:
            raise AttributeError(self.name) from None
        read = self.read
        if read is not None and value is not None and type(value) not in self.done:
            model = self.model
            if model is not None and type(value) is dict:
                converted = _NEW(model)
                _SET_DATA(converted, value)
            else:
                converted = read(value)
            if self.cache and converted is not value:
                data[self.wire] = converted  # nested models: to_wire() sees their changes
            value = converted
        data[self.name] = value
        return value


class _Renamed(property):
    """The reader of a field whose python name differs from its JSON name and whose value is used
    as it came (``msg_id`` for ``msgId``): ``getattr`` of the JSON name, which Python finds in the
    instance's ``__dict__``. The whole read runs in C, and nothing is kept beside the JSON value.

    A missing JSON key ends in ``Model.__getattr__`` for the JSON name, then for the python name,
    which raises ``ApiAttributeError`` as for any field not set. Not usable when the JSON name is
    also an attribute of the class (or holds a dot, which ``attrgetter`` would follow): those
    fields keep an ``_Alias`` (see ``Model.__init_subclass__``).
    """

    def __init__(self, f: Field) -> None:
        super().__init__(attrgetter(f.wire))
        self.field = f

    def __getattr__(self, name: str) -> Any:
        # the class attribute stands for its field, as the other readers give it (``name``,
        # ``wire``, ``type``)
        return getattr(self.field, name)


def field(wire: str, type_: T, nullable: bool = False, secret: bool = False) -> Any:
    """Declare a model field (typed ``Any`` so the class annotation gives the attribute type)."""
    return Field(wire, type_, nullable, secret)


def _plain(value: Any, mask: bool = False) -> Any:
    """Plain-python copy of an untyped value (extra fields, ``Any`` fields)."""
    if isinstance(value, (Model, SimpleModel)):
        return value._to_python(mask)
    if isinstance(value, list):
        return [_plain(v, mask) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, mask) for k, v in value.items()}
    return value


class _Plain:
    """``to_dict()``, ``to_wire()``, ``to_str()`` and ``repr`` of a model, from its ``_to_python``
    and ``_wire``."""

    __slots__ = ()

    def _to_python(self, mask: bool) -> Dict[str, Any]:
        raise NotImplementedError

    def _wire(self) -> Dict[str, Any]:
        raise NotImplementedError

    def to_dict(self) -> Dict[str, Any]:
        """The values that are set, keyed by python attribute name (map entries by key), nested
        models as dicts."""
        return self._to_python(False)

    def to_wire(self) -> Dict[str, Any]:
        """The JSON object this model is sent as (keys are the API's names)."""
        return self._wire()

    def to_str(self) -> str:
        """Pretty text of the values, secrets masked."""
        import pprint  # loaded when a model is first printed

        return pprint.pformat(self._to_python(True))

    def __repr__(self) -> str:
        return self.to_str()


class Model(_Plain):
    """Base of every generated object model."""

    if not TYPE_CHECKING:
        # hidden from type checkers, which would otherwise refuse assignments to the fields
        # (class-level descriptors that mypy takes for plain class attributes, not slots)
        __slots__ = ("__dict__", "_response")
    _data: Dict[str, Any]  # the instance's __dict__ (set below)
    _fields: ClassVar[Dict[str, Field]] = {}
    _declared: ClassVar[Tuple[Field, ...]] = ()
    _by_wire: ClassVar[Dict[str, Field]] = {}
    _aliases: ClassVar[FrozenSet[str]] = frozenset()  # python names kept beside JSON names
    _plain_plan: ClassVar[Dict[str, Tuple[str, Optional[Callable[[Any, bool], Any]], bool]]] = {}
    attribute_map: ClassVar[Dict[str, str]] = {}
    additional_properties: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # the fields the class itself declares, in order: the arguments its generated
        # constructor hands to _init
        cls._declared = tuple(value for value in vars(cls).values() if isinstance(value, Field))
        fields: Dict[str, Field] = {}
        for klass in reversed(cls.__mro__):
            for key, value in vars(klass).items():
                if isinstance(value, (_Direct, _Alias, _Renamed)):
                    value = value.field
                if isinstance(value, Field):
                    fields[key] = value
        for key, value in list(vars(cls).items()):
            if isinstance(value, Field):
                setattr(cls, key, value.reader())
        for key, f in fields.items():
            # a JSON name that the class itself answers (another field's python name, a method)
            # cannot be read through getattr: such a field is read by its _Alias
            if isinstance(getattr(cls, key, None), _Renamed) and ("." in f.wire or hasattr(cls, f.wire)):
                setattr(cls, key, _Alias(f))
        cls._fields = fields
        cls._by_wire = {f.wire: f for f in fields.values()}
        cls._aliases = frozenset(f.name for f in fields.values() if f.name != f.wire)
        cls.attribute_map = {name: f.wire for name, f in fields.items()}
        # to_dict(): wire name -> (python name, converter or None when the value is kept, secret)
        cls._plain_plan = {
            f.wire: (f.name, None if type(f.type).to_python is T.to_python else f.type.to_python, f.secret)
            for f in fields.values()
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        object.__setattr__(self, "_data", {})
        cls = type(self)
        for arg in args:
            if not isinstance(arg, dict):
                raise ApiTypeError(
                    "Invalid positional arguments {!r} passed to {}; pass fields by name".format(
                        args, cls.__name__
                    ),
                    valid_classes=(cls,),
                )
            # the generated __init__ passes every optional field, UNSET when not given
            kwargs = {**arg, **{k: v for k, v in kwargs.items() if v is not UNSET}}
        configuration = None
        if not _INIT_OPTIONS.isdisjoint(kwargs):  # rare: looked for once, not popped one by one
            configuration = kwargs.pop("_configuration", None)
            for key in _INIT_OPTIONS:
                kwargs.pop(key, None)
        fields = cls._fields
        for name, value in kwargs.items():
            if value is UNSET:
                continue
            f = fields.get(name) or cls._by_wire.get(name)
            if f is not None:
                f.__set__(self, value)
            elif cls.additional_properties:
                cls._warn_unknown(name)
                self._data[name] = value
            elif not getattr(configuration, "discard_unknown_keys", False):
                raise cls._unknown(name)

    def _init(self, owner: Type["Model"], args: Tuple[Any, ...], kwargs: Mapping[str, object], values: Tuple[Any, ...]) -> None:
        """A generated constructor's work: ``values`` are its arguments for the fields ``owner``
        declares, in their order (``UNSET`` when not given)."""
        declared = owner._declared
        if args or kwargs:  # dicts of fields, names the class does not declare, 0.1.x keywords
            Model.__init__(self, *args, **{f.name: value for f, value in zip(declared, values)}, **kwargs)
            return
        # the common call, by far: a tuple instead of a dict of every field, and none of the
        # searches __init__ makes for the other forms
        data: Dict[str, Any] = {}
        object.__setattr__(self, "_data", data)
        kind = type(self)
        for f, value in zip(declared, values):
            if value is UNSET:
                continue
            known, where = f._where
            if value is None or known is not kind:
                f.__set__(self, value)  # None's rule, or the field's name in messages for this class
            else:  # what __set__ does, for a new object (no alias to drop)
                data[f.wire] = f.type.check(value, where)

    @classmethod
    def _closest(cls, name: str) -> Optional[str]:
        """The declared field (python or JSON name) whose spelling is closest to ``name``."""
        found = difflib.get_close_matches(name, [*cls._fields, *cls._by_wire], n=1, cutoff=0.6)
        return found[0] if found else None

    @classmethod
    def _unknown(cls, name: str) -> ApiAttributeError:
        closest = cls._closest(name)
        return ApiAttributeError(
            "{} has no field '{}'{}; its fields are: {}".format(
                cls.__name__,
                name,
                "" if closest is None else " (did you mean '{}'?)".format(closest),
                ", ".join(sorted(cls._fields)) or "(none)",
            ),
            [name],
        )

    @classmethod
    def _warn_unknown(cls, name: str) -> None:
        """Warn, once per class and name, that ``name`` is no declared field but is sent anyway."""
        key = (cls, name)
        if key in _WARNED:
            return
        _WARNED.add(key)
        closest = cls._closest(name)
        hint = (
            "did you mean '{}'?".format(closest)
            if closest is not None
            else "set it with model[{!r}] = value if the API takes it".format(name)
        )
        # point the warning at the caller's line, however deep in the SDK the model was built
        level, frame = 1, sys._getframe(0)
        while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
            frame = frame.f_back
            level += 1
        warnings.warn(
            UnknownFieldWarning("{} got unknown field '{}' (sent as is); {}".format(cls.__name__, name, hint)),
            stacklevel=level,
        )

    @classmethod
    def _from_wire(cls: Type[M], data: Dict[str, Any]) -> M:
        """Wrap a decoded JSON object without copying or checking it."""
        obj = cls.__new__(cls)
        object.__setattr__(obj, "_data", data)
        return obj

    @classmethod
    def _from_input(cls: Type[M], data: Dict[str, Any]) -> M:
        """Build from a caller's dict keyed by python or JSON names (checked like kwargs)."""
        names = {}
        for key, value in data.items():
            f = cls._by_wire.get(key) if key not in cls._fields else None
            names[f.name if f is not None else key] = value
        return cls(**names)

    # -- attribute and item access -------------------------------------------------------
    if not TYPE_CHECKING:
        # Hidden from type checkers, so that a misspelt attribute (``res.info.totl_cost``) is an
        # error there and every declared field keeps its type. At run time they serve the
        # additional properties a response carried, which ``model["name"]`` and ``get()`` also
        # give, typed ``Any``.
        def __getattr__(self, name: str) -> Any:
            if name.startswith("__") or name == "_data":
                raise AttributeError(name)
            data = self._data
            if name not in type(self)._fields and name in data:
                return data[name]
            raise ApiAttributeError("{} has no attribute '{}'".format(type(self).__name__, name), [name])

        def __setattr__(self, name: str, value: Any) -> None:
            cls = type(self)
            f = cls._fields.get(name)
            if f is not None:
                f.__set__(self, value)  # the readers are no data descriptors: set through the field
                return
            if cls.additional_properties and name not in self._data and cls._by_wire.get(name) is None:
                cls._warn_unknown(name)
            self[name] = value

    def __delattr__(self, name: str) -> None:
        f = type(self)._fields.get(name)
        if f is not None:
            f.__delete__(self)
        else:
            self._data.pop(name, None)

    def _field(self, name: str) -> Optional[Field]:
        cls = type(self)
        return cls._fields.get(name) or cls._by_wire.get(name)

    def __getitem__(self, name: str) -> Any:
        f = self._field(name)
        if f is not None:
            if f.wire in self._data:
                return f.__get__(self)
        elif name in self._data:
            return self._data[name]
        raise ApiAttributeError("{} has no attribute '{}'".format(type(self).__name__, name), [name])

    def __setitem__(self, name: str, value: Any) -> None:
        f = self._field(name)
        if f is not None:
            f.__set__(self, value)
        elif type(self).additional_properties:
            self._data[name] = value
        else:
            raise type(self)._unknown(name)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        f = self._field(name)
        return (f.wire if f is not None else name) in self._data

    def get(self, name: str, default: Any = None) -> Any:
        """The value of a field (python or JSON name), or ``default`` when it is not set."""
        try:
            return self[name]
        except ApiAttributeError:
            return default

    # -- conversion ----------------------------------------------------------------------
    def _to_python(self, mask: bool) -> Dict[str, Any]:
        return type(self)._data_to_python(self._data, mask)

    def _json(self) -> Dict[str, Any]:
        """The JSON object without the aliases reads added (the dict itself when there are none)."""
        data = self._data
        aliases = type(self)._aliases
        if aliases and not aliases.isdisjoint(data):
            return {k: v for k, v in data.items() if k not in aliases}
        return data

    @classmethod
    def _data_to_python(cls, data: Dict[str, Any], mask: bool) -> Dict[str, Any]:
        plan = cls._plain_plan
        aliases = cls._aliases
        out: Dict[str, Any] = {}
        for key, value in data.items():
            step = plan.get(key)
            if step is None:
                if key not in aliases:
                    out[key] = _plain(value, mask)
                continue
            name, convert, secret = step
            if value is None or (convert is None and not secret):
                out[name] = value
            elif mask and secret:
                out[name] = "***"
            else:
                out[name] = value if convert is None else convert(value, mask)
        return out

    def _wire(self) -> Dict[str, Any]:
        result: Dict[str, Any] = to_wire(self._json())
        return result

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return False
        assert isinstance(other, Model)
        return self.to_dict() == other.to_dict()

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> Dict[str, Any]:
        return {"_data": self._json()}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        object.__setattr__(self, "_data", state["_data"])

    def __copy__(self: M) -> M:
        return type(self)._from_wire(dict(self._json()))

    def __deepcopy__(self: M, memo: Dict[int, Any]) -> M:
        import copy

        return type(self)._from_wire(copy.deepcopy(dict(self._json()), memo))


class SimpleModel:
    """Base of models that wrap a single value (a string enum)."""

    __slots__ = ("value",)
    value: Any
    _type: ClassVar[T]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args:
            value = args[0]
        elif "value" in kwargs:
            value = kwargs["value"]
        else:
            raise ApiTypeError("{} requires a value".format(type(self).__name__))
        object.__setattr__(self, "value", self._type.check(value, type(self).__name__))

    @classmethod
    def _from_wire(cls, data: Any) -> Any:
        obj = cls.__new__(cls)
        object.__setattr__(obj, "value", data)
        return obj

    @classmethod
    def _from_input(cls, data: Any) -> Any:
        return cls(data)

    def _to_python(self, mask: bool) -> Any:
        return self.value

    def _wire(self) -> Any:
        return self.value

    def to_str(self) -> str:
        """The value as text."""
        return str(self.value)

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return repr(self.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SimpleModel):
            return type(other) is type(self) and other.value == self.value
        return bool(self.value == other)

    def __hash__(self) -> int:
        return hash(self.value)


V = TypeVar("V")
MM = TypeVar("MM", bound="MapModel[Any]")


class MapModel(_Plain, Dict[str, V]):
    """Base of models that are JSON objects used as maps: the keys are data (country codes,
    custom field names, operator names), every value has the type ``_type.value``.

    Instances are dicts, so ``items()``, ``len()``, ``json.dumps`` and ``== {...}`` work as on the
    plain dicts 0.1.x gave for untyped fields, and the model conveniences (``to_dict()``,
    ``to_str()``, attribute access to a key) work as on the other models. ``_legacy`` holds the
    python and JSON spelling of the placeholder property the 0.1.x spec gave the whole map: as a
    constructor argument its entries are merged into the map.
    """

    __slots__ = ()
    _type: ClassVar[MapOf]
    _legacy: ClassVar[Tuple[str, ...]] = ()
    attribute_map: ClassVar[Dict[str, str]] = {}
    additional_properties: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        cls = type(self)
        items: Dict[Any, Any] = {}
        for arg in args:
            if not isinstance(arg, dict):
                raise ApiTypeError(
                    "Invalid positional argument {!r} passed to {}; pass a dict".format(arg, cls.__name__),
                    valid_classes=(cls,),
                )
            items.update(arg)
        for key in _LEGACY_KWARGS + ("_configuration", "_spec_property_naming"):
            kwargs.pop(key, None)
        # the generated __init__ passes the 0.1.x placeholder argument, UNSET when not given
        items.update((k, v) for k, v in kwargs.items() if v is not UNSET)
        for name in cls._legacy:
            nested = items.get(name)
            if isinstance(nested, dict):
                del items[name]
                items = {**nested, **items}
        dict.update(self, cls._type.check(items, cls.__name__))

    @classmethod
    def _from_wire(cls: Type[MM], data: Dict[str, Any]) -> MM:
        """Wrap a decoded JSON object; values holding models are converted once, here."""
        obj = cls.__new__(cls)
        kind = cls._type
        dict.update(obj, kind.read(data) if kind.lazy else data)
        return obj

    @classmethod
    def _from_input(cls: Type[MM], data: Dict[str, Any]) -> MM:
        """Build from a caller's dict (checked like the constructor)."""
        return cls(data)

    def __setitem__(self, key: str, value: V) -> None:
        dict.__setitem__(self, key, self._type.check({key: value}, type(self).__name__)[key])

    def __getattr__(self, name: str) -> V:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise ApiAttributeError(
                "{} has no key '{}'".format(type(self).__name__, name), [name]
            ) from None

    def __setattr__(self, name: str, value: V) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        self.pop(name, None)

    def _to_python(self, mask: bool) -> Dict[str, Any]:
        result: Dict[str, Any] = self._type.to_python(dict(self), mask)
        return result

    def _wire(self) -> Dict[str, Any]:
        result: Dict[str, Any] = to_wire(dict(self))
        return result

    def __reduce__(self) -> Any:
        return (type(self)._from_wire, (dict(self),))

    def __copy__(self: MM) -> MM:
        return type(self)._from_wire(dict(self))

    def __deepcopy__(self: MM, memo: Dict[int, Any]) -> MM:
        import copy

        return type(self)._from_wire(copy.deepcopy(dict(self), memo))


def check_body(value: Any, cls: Type[M], name: str, operation: str) -> M:
    """Validate a request-body argument: a model instance, or a dict of its fields."""
    if isinstance(value, cls):
        return value
    if value is None or value is UNSET:
        raise ApiValueError(
            "Missing the required parameter `{}` when calling `{}`".format(name, operation)
        )
    if isinstance(value, dict):
        try:
            return cls._from_input(value)
        except ApiExceptionBase:
            raise
        except TypeError as exc:  # a required field is missing from the dict
            raise ApiValueError("Invalid `{}` when calling `{}`: {}".format(name, operation, exc)) from None
    raise ApiTypeError(
        "Invalid type for `{}` when calling `{}`: expected {} or dict, got {}".format(
            name, operation, cls.__name__, type(value).__name__
        ),
        valid_classes=(cls,),
    )


def check_param(value: Any, type_: T, name: str, required: bool = False) -> Any:
    """Validate a path or query parameter; ``None`` means "not given"."""
    if value is None or value is UNSET:
        if required:
            raise ApiValueError("Expected a non-empty value for `{}`".format(name))
        return None
    value = type_.check(value, name)
    if required and value == "":
        raise ApiValueError("Expected a non-empty value for `{}`".format(name))
    return value


def require_one_of(groups: Iterable[Tuple[str, ...]], given: Dict[str, Any], operation: str) -> None:
    """Raise unless every name of at least one group was given."""
    groups = list(groups)
    if any(all(given.get(n) is not None for n in g) for g in groups):
        return
    options = " or ".join("`" + "` + `".join(g) + "`" for g in groups)
    raise ApiValueError("`{}` needs {}".format(operation, options))


# ``_data`` is the instance's ``__dict__``: the same C-level getter and setter under a second name
Model._data = Model.__dict__["__dict__"]

# for ListOf.read, _Alias and the generated ``_wrap_list``: wrap dicts without the calls of
# _from_wire
_MODEL_FROM_WIRE = Model._from_wire.__func__  # type: ignore[attr-defined]
_SET_DATA = Model.__dict__["_data"].__set__  # as _from_wire sets it
_NEW = object.__new__
_read_datetime = DateTime().read
_read_date = Date().read


def _plain_model(cls: type) -> bool:
    """Whether ``cls`` is a ``Model`` whose ``_from_wire`` only wraps the dict (may be skipped)."""
    return getattr(getattr(cls, "_from_wire", None), "__func__", None) is _MODEL_FROM_WIRE


def _blanks(cls: type, n: int) -> List[Any]:
    """``n`` new ``cls`` models without data yet (``_SET_DATA`` gives each its dict)."""
    # Made in one C loop, before their dicts: the collections that so many new objects bring
    # then find objects with nothing to traverse. starmap passes the same argument tuple to
    # every call, where map would build one per call.
    return list(starmap(_NEW, repeat((cls,), n)))


def _wrap_items(cls: type, items: Sequence[Any], only_dicts: Optional[bool] = None) -> ModelList:
    """``items`` with every dict wrapped in a ``cls`` (as its ``_from_wire`` would), the rest as
    they came; ``only_dicts`` tells that every item is a plain dict, when the caller knows."""
    if only_dicts is None:
        only_dicts = set(map(type, items)) <= {dict}
    if only_dicts:
        # the common case in two C loops, no bytecode per item (zip hands starmap one tuple
        # that it refills: no tuple made per call)
        out = ModelList(starmap(_NEW, repeat((cls,), len(items))))
        deque(starmap(_SET_DATA, zip(out, items)), 0)
        return out
    out = ModelList()
    for v in items:
        if isinstance(v, dict):
            obj: Any = _NEW(cls)
            _SET_DATA(obj, v)
            v = obj
        out.append(v)
    return out


# the headers of the answer a result was decoded from (``get_request_id``): a slot, outside the
# JSON object, so that to_dict(), equality and pickling never see it
_RESPONSE = Model.__dict__["_response"]


def response_of(obj: Any) -> Any:
    """The headers ``set_response`` kept on a model, or ``None``."""
    if isinstance(obj, Model):
        try:
            return _RESPONSE.__get__(obj, Model)
        except AttributeError:
            return None
    return None


def set_response(obj: Any, headers: Any) -> None:
    """Keep the headers of the answer ``obj`` was decoded from (models only)."""
    if isinstance(obj, Model):
        _RESPONSE.__set__(obj, headers)
