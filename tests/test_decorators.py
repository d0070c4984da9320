"""Where a decorator's registration points: the decorator's own line, on
every supported Python (``pyramid_hooks.decorators.decorator_line``)."""

import inspect
import sys

import venusian

from pyramid_hooks.decorators import decorator_line
from tests import wrappers_scan_fixture as fixture

FILE = fixture.__file__


def line_of(text):
    with open(FILE) as f:
        for number, line in enumerate(f, 1):
            if text in line:
                return number, line.strip()
    raise AssertionError(text)


def test_a_def_line_moves_to_the_decorator_line():
    number, source = line_of('def method(self):')
    decorated = line_of('@controller_wrapper(METHOD)')
    moved = decorator_line(
        (FILE, number, 'Views', source), 'controller_wrapper'
    )
    assert moved == (FILE, decorated[0], 'Views', decorated[1])


def test_a_decorator_line_stays():
    codeinfo = (FILE, *line_of('@controller_wrapper(METHOD)'))
    codeinfo = (codeinfo[0], codeinfo[1], 'Views', codeinfo[2])
    assert decorator_line(codeinfo, 'controller_wrapper') == codeinfo


def test_a_def_without_that_decorator_stays():
    number, source = line_of('def method(self):')
    codeinfo = (FILE, number, 'Views', source)
    assert decorator_line(codeinfo, 'before_call') == codeinfo


def test_python_reports_the_line_the_workaround_expects():
    """Python 3.10 reports a decorator's call on the ``def`` line (so
    ``decorator_line`` is needed); 3.11 and later on the decorator line.
    When the oldest supported Python reports the decorator line, remove
    ``decorator_line``."""
    seen = []

    def decorator(wrapped):
        seen.append(venusian.attach(wrapped, lambda *a: None).codeinfo)
        return wrapped

    @decorator
    def decorated():  # pragma: no cover - never called
        pass

    source = seen[0][3]
    if sys.version_info >= (3, 11):
        assert source == '@decorator'
    else:
        assert source.startswith('def decorated')
    assert inspect.getsourcelines(decorated)[1] <= seen[0][1]


def test_the_decorators_set_no_dunder_attribute_on_a_view():
    """Python reserves ``__*__`` names: ``route()`` and
    ``serverside_callback`` keep their options on the function under a
    name of the package's own."""
    from pyramid_hooks import route, serverside_callback

    @route('/x', auth='public')
    def handler(self):
        """A controller handler."""

    @serverside_callback
    def callback(self, request):
        """A widget's callback."""

    for func in (handler, callback):
        assert [name for name in vars(func) if name.startswith('__')] == []
