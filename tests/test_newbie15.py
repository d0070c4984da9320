"""Newcomer pass 15: what a newcomer following the tutorial sees."""

import ast
import re
from pathlib import Path

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.paster import get_app
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import (
    ServerSideCallbackMixin,
    serverside_callback,
    url_for_callback,
)
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


class Suggest:
    """A widget written without ServerSideCallbackMixin, as the ``id``
    attribute alone makes one: its constructor takes no ``id=``."""

    @serverside_callback(request_method='GET')
    def suggest(self, request):
        return Response(json=[])


def test_a_widget_without_the_mixin_is_not_told_to_take_id():
    """``add_widget(Suggest())`` said ``give it one: Suggest(id='...')``,
    which is ``TypeError: Suggest() takes no arguments``; it says to set
    the class attribute or to subclass the mixin, and either serves."""
    allow = 'pyramid_hooks.widgets.always_allow'
    config = Configurator(settings={'hooks.widgets.authorization': allow})
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        config.add_widget(Suggest())
    assert str(e.value).endswith(
        "has no id; give it one: a class attribute id = '...' "
        "(ToscaWidgets' own), or make Suggest a subclass of "
        "pyramid_hooks.ServerSideCallbackMixin and write Suggest(id='...')"
    )

    class Named(Suggest):
        id = 'names'

    class Mixed(ServerSideCallbackMixin, Suggest):
        pass

    config.add_widget(Named())
    config.add_widget(Mixed(id='mixed'))
    app = TestApp(config.make_wsgi_app())
    assert app.get('/_widgets/names/suggest').json == []
    assert app.get('/_widgets/mixed/suggest').json == []


def test_an_invalid_widget_id_is_told_in_words():
    """``Mixed(id='my counter')`` was refused with the id's regular
    expression as Python writes it, ``'[A-Za-z][\\\\w\\\\-:.]*\\\\Z'``; the
    message says which characters an id takes, and the fixed id serves."""
    allow = 'pyramid_hooks.widgets.always_allow'
    config = Configurator(settings={'hooks.widgets.authorization': allow})
    config.include('pyramid_hooks')

    class Mixed(ServerSideCallbackMixin, Suggest):
        pass

    with pytest.raises(ConfigurationError) as e:
        config.add_widget(Mixed(id='my counter'))
    assert "invalid widget id 'my counter' of <" in str(e.value)
    assert str(e.value).endswith(
        '> (an ASCII letter, then ASCII letters, digits, "_", "-", ":" or '
        '".": it is a segment of its callbacks\' URLs)'
    )
    config.add_widget(Mixed(id='my-counter'))
    app = TestApp(config.make_wsgi_app())
    assert app.get('/_widgets/my-counter/suggest').json == []


@pytest.mark.parametrize(
    'asked, said',
    [
        (
            'names/sugest',
            "widget 'names' has no server-side callback 'sugest'; did you "
            "mean 'suggest'?",
        ),
        (
            'name/suggest',
            "no widget 'name' is mounted in this application "
            "(config.add_widget); did you mean 'names'?",
        ),
    ],
)
def test_a_misspelt_callback_url_says_the_close_name(asked, said):
    """The tutorial's page asks ``url_for_callback(request,
    'names/suggest')``; a typo in either half was refused without the
    name that is mounted, as the settings and directives give it."""
    allow = 'pyramid_hooks.widgets.always_allow'
    config = Configurator(settings={'hooks.widgets.authorization': allow})
    config.include('pyramid_hooks')

    class Mixed(ServerSideCallbackMixin, Suggest):
        pass

    config.add_widget(Mixed(id='names'))
    config.add_route('home', '/')
    config.add_view(
        lambda request: Response(url_for_callback(request, asked)),
        route_name='home',
    )
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(ValueError) as e:
        app.get('/')
    assert str(e.value) == f'url_for_callback: {said}'


def stamp(next_caller):
    """A controller wrapper the ini files below name."""

    def call(context, request):
        response = next_caller(context, request)
        response.headers['X-Stamp'] = 'yes'
        return response

    return call


def ini_app(global_config, **settings):
    """The application factory of the ini files below."""
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_route('home', '/')
    config.add_view(lambda request: Response('home'), route_name='home')
    return config.make_wsgi_app()


@pytest.mark.parametrize(
    'line',
    [
        'hooks.trace = true  # development only',
        'hooks.controller_wrappers = tests.test_newbie15.stamp ; every view',
    ],
)
def test_a_comment_after_an_ini_value_is_named(tmp_path, line):
    """``hooks.trace = true  # development only`` was ``expected a
    boolean ..., got 'true  # development only'``, and a dotted name's
    comment ``cannot import '#': no module is called '#'``: an ini file
    keeps what follows a value.  Both say to move the comment."""
    ini = tmp_path / 'development.ini'
    head = '[app:main]\nuse = call:tests.test_newbie15:ini_app\n'
    ini.write_text(f'{head}{line}\n')
    with pytest.raises(ConfigurationError) as e:
        get_app(str(ini))
    key, _, value = line.partition(' = ')
    assert str(e.value) == (
        f'{key}: {value!r} holds a comment, which an ini file takes as part '
        'of the value: put the comment on a line of its own'
    )
    setting, _, comment = value.partition('  #' if '#' in value else ' ;')
    ini.write_text(f'{head}#{comment}\n{key} = {setting}\n')
    response = TestApp(get_app(str(ini))).get('/')
    assert response.text == 'home'
    assert response.headers.get('X-Stamp') == (
        'yes' if 'stamp' in line else None
    )


def test_a_list_setting_separated_by_commas_is_named(tmp_path):
    """``hooks.controller_wrappers = a.stamp,b.stamp`` was ``has no
    attribute 'stamp,tests'; did you mean 'stamp'?``, which fixed as
    said drops the second; it says a list is separated by spaces."""
    ini = tmp_path / 'development.ini'
    head = '[app:main]\nuse = call:tests.test_newbie15:ini_app\n'
    names = ['tests.test_newbie15.stamp', 'tests.test_docs_examples.example']
    ini.write_text(f'{head}hooks.on.before_render = {",".join(names)}\n')
    with pytest.raises(ConfigurationError) as e:
        get_app(str(ini))
    assert str(e.value) == (
        f'hooks.on.before_render: {",".join(names)!r} is separated by '
        'commas; a list setting is separated by spaces or lines'
    )
    ini.write_text(f'{head}hooks.controller_wrappers = {names[0]}\n')
    assert TestApp(get_app(str(ini))).get('/').headers['X-Stamp'] == 'yes'
