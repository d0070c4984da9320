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
    made = re.compile(r"\{file\}:\{(info\.)?line\}|codeinfo\[:2\]")
    found = [name for name, text in _sources() if made.search(text)]
    assert found == ['shared.py']
    assert describe_info(('app.py', 12, 'f', '@route()')) == 'app.py:12'
