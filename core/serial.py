"""Dataclasses to JSON-ready data and back: what the review models need, without pydantic.

`to_data` walks a dataclass into dicts, lists and plain values (an enum becomes its
value, a secret its mask, a field marked ``metadata={"exclude": True}`` is left out);
`to_json` writes that the way pydantic's ``model_dump_json`` did, so `--json` output
is unchanged. `from_data` is the reverse for data we wrote ourselves (the state
store's sealed rows): it rebuilds nested dataclasses and enums from the field types
and refuses a value of the wrong shape with `ValueError`, which is not a general
validator: untrusted input (the model's answer) goes through pydantic.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from enum import Enum
from functools import cache
from typing import Any, Literal, TypeVar, Union

T = TypeVar("T")
MASK = "**********"


def to_data(value: Any) -> Any:
    """`value` as dicts, lists, strings, numbers, booleans and None (JSON's types)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_data(getattr(value, f.name))
            for f in _fields(type(value))
            if not f.metadata.get("exclude")
        }
    if isinstance(value, dict):
        return {str(to_data(k)): to_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_data(v) for v in value]
    if hasattr(value, "get_secret_value"):
        return MASK if value.get_secret_value() else ""
    raise TypeError(f"can't turn a {type(value).__name__} into data")


def to_json(value: Any, *, indent: int | None = None) -> str:
    """`to_data(value)` as JSON text: compact unless `indent`, non-ASCII kept as is."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(to_data(value), ensure_ascii=False, indent=indent, separators=separators)


def from_data(kind: type[T], data: Any) -> T:
    """Rebuild a `kind` (a dataclass, usually) from what `to_data` made of one."""
    return _build(kind, data, getattr(kind, "__name__", "value"))


@cache
def _fields(kind: type) -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(kind)


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _build(kind: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(kind)
    if kind is Any:
        return data
    if origin in (Union, types.UnionType):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return _build(option, data, where)
            except (TypeError, ValueError):
                continue
        raise ValueError(f"{where}: {data!r:.40} fits none of {kind}")
    if origin is Literal:
        if data in typing.get_args(kind):
            return data
        raise ValueError(f"{where}: {data!r:.40} is not one of {typing.get_args(kind)}")
    if origin in (list, tuple, set, frozenset):
        if not isinstance(data, (list, tuple)):
            raise ValueError(f"{where}: expected a list")
        (item,) = typing.get_args(kind)[:1] or (Any,)
        return origin(_build(item, v, f"{where}[{i}]") for i, v in enumerate(data))
    if origin is dict:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected an object")
        key, val = typing.get_args(kind) or (Any, Any)
        return {_build(key, k, where): _build(val, v, f"{where}.{k}") for k, v in data.items()}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected an object")
        hints = _hints(kind)
        known = {f.name for f in _fields(kind) if f.init}
        values = {
            name: _build(hints[name], value, f"{where}.{name}")
            for name, value in data.items()
            if name in known
        }
        try:
            return kind(**values)
        except TypeError as exc:  # a required field missing
            raise ValueError(f"{where}: {exc}") from None
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    if (
        isinstance(kind, type)
        and isinstance(data, kind)
        and not (kind is int and isinstance(data, bool))
    ):
        return data
    raise ValueError(
        f"{where}: expected {getattr(kind, '__name__', kind)}, got {type(data).__name__}"
    )
