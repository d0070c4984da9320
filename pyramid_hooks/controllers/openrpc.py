"""The OpenRPC 1.x description of a JSON handler, for ``rpc.discover``:
built from its signature and docstring when the application is made."""

import inspect
import json
import types
import typing

from pyramid_hooks.controllers.jsonrpc import strict_dumps

#: Python types with a JSON Schema ``type``.
JSON_TYPES = {
    int: 'integer',
    str: 'string',
    float: 'number',
    bool: 'boolean',
    list: 'array',
    tuple: 'array',
    dict: 'object',
    type(None): 'null',
}


def schema(annotation):
    """The JSON Schema of an annotation, ``{}`` (anything) where it does
    not map: ``int``, ``list[int]``, ``dict[str, float]``, ``int | None``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        parts = [schema(arg) for arg in typing.get_args(annotation)]
        return {} if {} in parts else {'anyOf': parts}
    args = typing.get_args(annotation)
    try:
        kind = JSON_TYPES.get(origin or annotation)
    except TypeError:  # an unhashable value ({'type': 'string'}): no type
        return {}
    if kind is None:
        return {}
    found = {'type': kind}
    if kind == 'array' and origin is list and len(args) == 1:
        items = schema(args[0])
        if items:
            found['items'] = items
    if kind == 'object' and len(args) == 2:
        values = schema(args[1])
        if values:
            found['additionalProperties'] = values
    return found


def _default(value):
    """``{'default': value}`` when *value* is strict JSON, else ``{}``: a
    copy as at startup (a mutable default may fill up with clients' data)."""
    try:
        text = strict_dumps(value)
    except (TypeError, ValueError):
        return {}
    return {'default': json.loads(text)}


def method_object(name, endpoint):
    """The OpenRPC method object of *endpoint*'s handler, as *name*."""
    function = getattr(endpoint.controller, endpoint.name)
    try:
        # as written: get_type_hints adds Optional on Python 3.10
        signature = inspect.signature(function, eval_str=True)
    except Exception:  # unresolvable string annotations: not described
        signature = inspect.Signature()
    annotations = {
        key: param.annotation for key, param in signature.parameters.items()
    }
    params = []
    for param in endpoint.parameters:
        described = schema(annotations.get(param.name, typing.Any))
        required = param.default is inspect.Parameter.empty
        if not required:
            described = {**described, **_default(param.default)}
        params.append(
            {'name': param.name, 'required': required, 'schema': described}
        )
    entry = {'name': name}
    summary = (inspect.getdoc(function) or '').strip().partition('\n')[0]
    if summary:
        entry['summary'] = summary
    entry['params'] = params
    entry['paramStructure'] = 'by-name'
    entry['result'] = {
        'name': 'result',
        'schema': schema(signature.return_annotation),
    }
    return entry
