"""A Pylons maintainer's review (review11): the structural contract of
``docs/design`` (issue 20) that the other tests do not already check."""

import pathlib
import re

import pyramid_hooks
from pyramid_hooks.shared import describe_info

PACKAGE = pathlib.Path(pyramid_hooks.__file__).parent


def _sources():
    for path in sorted(PACKAGE.rglob('*.py')):
        yield str(path.relative_to(PACKAGE)), path.read_text()


def test_where_a_thing_was_registered_is_said_by_describe_info_only():
    """One function per question: ``file:line`` of a registration, an
    action's info or venusian's codeinfo, is made by ``describe_info``."""
    made = re.compile(r'\{file\}:\{(info\.)?line\}|codeinfo\[:2\]')
    found = [name for name, text in _sources() if made.search(text)]
    assert found == ['shared.py']
    assert describe_info(('app.py', 12, 'f', '@route()')) == 'app.py:12'


def test_no_dunder_attribute_is_set_on_a_view_outside_the_workarounds():
    """No hidden channel: a view gets no ``__x__`` attribute (naming a
    controller's closure is ``workarounds.name_view``)."""
    setting = re.compile(r'\b(view|call|wrapped|func)\.__\w+__ = ')
    found = [
        name
        for name, text in _sources()
        if name != 'workarounds.py' and setting.search(text)
    ]
    assert found == []
