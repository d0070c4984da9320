"""The typed public API: mypy finds nothing in the package nor in
``tests/typing``, a user's code using the API rightly
(``public_api_usage.py``) and wrongly (``public_api_misuse.py``, each wrong
use marked ``# type: ignore[code]``, so that a wrong use mypy no longer
catches is an unused ignore: an error); and every public callable, the
directives included, is fully annotated."""

import inspect
import pathlib
import re

import mypy.api
from pyramid.config import Configurator

import pyramid_hooks
import pyramid_hooks.trace

ROOT = pathlib.Path(__file__).parent.parent
PACKAGE = 'pyramid_hooks'


def test_mypy_finds_nothing(tmp_path):
    # pyproject.toml's [tool.mypy]; the cache is this run's own, so that
    # the check never reads a stale one nor leaves one in the tree.
    stdout, stderr, status = mypy.api.run(
        [
            '--config-file',
            str(ROOT / 'pyproject.toml'),
            '--cache-dir',
            str(tmp_path),
            str(ROOT / 'pyramid_hooks'),
            str(ROOT / 'tests' / 'typing'),
        ]
    )
    assert (status, stderr) == (0, ''), stdout
    assert stdout.startswith('Success: no issues found'), stdout


def _missing_annotations(func, skip_first=False):
    """The parameters of *func* (and ``return``) that have no annotation."""
    parameters = list(inspect.signature(func).parameters.values())
    if skip_first:  # self, cls or config
        parameters = parameters[1:]
    missing = [p.name for p in parameters if p.annotation is p.empty]
    if inspect.signature(func).return_annotation is inspect.Signature.empty:
        missing.append('return')
    return missing


def _public_callables():
    """``(name, function, skip_first)`` of the public names: the functions,
    and the constructor and public methods of the classes."""
    found = [
        (f'{PACKAGE}.{n}', getattr(pyramid_hooks, n))
        for n in pyramid_hooks.__all__
    ]
    found.append((f'{PACKAGE}.trace.get_trace', pyramid_hooks.trace.get_trace))
    found.append(('request.make_response', pyramid_hooks.make_response))
    for name, obj in found:
        if not inspect.isclass(obj):
            yield name, obj, False
            continue
        ours = [c for c in obj.__mro__ if c.__module__.startswith(PACKAGE)]
        for attr in {attr for c in ours for attr in vars(c)}:
            if attr.startswith('_') and attr not in ('__init__', '__call__'):
                continue
            member = inspect.getattr_static(obj, attr)
            bound = not isinstance(member, staticmethod)
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if isinstance(member, property):
                member = member.fget
            if inspect.isfunction(member):
                yield f'{name}.{attr}', member, bound


def test_public_api_is_annotated():
    missing = {
        name: gaps
        for name, func, skip_first in _public_callables()
        if (gaps := _missing_annotations(func, skip_first))
    }
    assert missing == {}


def test_directives_are_annotated():
    """The directives documented in docs/directives.rst (reached through
    ``Configurator.__getattr__``, so mypy does not check their calls)."""
    text = (ROOT / 'docs' / 'directives.rst').read_text()
    names = re.findall(r'^\.\. method:: Configurator\.(\w+)\(', text, re.M)
    assert 'add_hook' in names and 'add_widget' in names
    config = Configurator(settings={})
    config.include('pyramid_hooks')
    missing = {
        name: gaps
        for name in names
        if (
            gaps := _missing_annotations(
                inspect.unwrap(getattr(config, name)), skip_first=True
            )
        )
    }
    assert missing == {}
