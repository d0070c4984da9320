"""Newcomer pass 15: what a newcomer following the tutorial sees."""

import ast
import re
from pathlib import Path

import pytest
from webtest import TestApp

from tests.test_docs_examples import example

DOCS = Path(__file__).resolve().parent.parent / 'docs'


@pytest.mark.parametrize(
    'value, status', [(True, 503), ('yes', 503), ('True', 503), ('off', 200)]
)
def test_tutorial_maintenance_setting_is_a_boolean(value, status):
    """Step 4's ``tutorial.maintenance`` is read as Pyramid reads a
    boolean setting (``asbool``), as application_wrappers.rst says to: a
    Python ``True`` or an ini file's ``yes`` turned nothing on before."""
    step = example('step4_application_wrapper', 'tutorial')
    app = TestApp(step.make_app({'tutorial.maintenance': value}))
    app.get('/hello', status=status)


def test_tutorial_maintenance_command_serves_the_setting():
    """The ``python -c`` command step 4 gives makes the application with
    the setting on (its ``make_app`` call is the one the test runs)."""
    text = (DOCS / 'tutorial.rst').read_text()
    command = re.search(r'^    python -c "(.*)"$', text, re.M).group(1)
    made = re.search(r'make_app\((\{.*?\})\)', command).group(1)
    step = example('step4_application_wrapper', 'tutorial')
    app = TestApp(step.make_app(ast.literal_eval(made)))
    assert app.get('/hello', status=503).text == 'Back soon.'
