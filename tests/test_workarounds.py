"""The Pyramid workarounds of :mod:`pyramid_hooks.workarounds`: each works,
and each test fails the day Pyramid offers a public way (or changes what
the workaround relies on): replace the workaround then."""

import inspect

import pytest
from pyramid.config import Configurator
from pyramid.decorator import reify
from pyramid.exceptions import ConfigurationError
from pyramid.request import Request
from pyramid.response import Response

from pyramid_hooks.workarounds import (
    forget_response,
    known_view_options,
    response_if_made,
    with_action_info,
)


def test_with_action_info_names_the_given_line():
    config = Configurator()
    given = with_action_info(config, ('app.py', 7, 'setup', 'add(x)'))
    assert given is not config and config.info == ''
    given.add_route('a', '/a')
    with_action_info(config, 'a text').add_route('b', '/b')
    config.commit()
    intr = config.introspector.get('routes', 'a')
    assert (intr.action_info.file, intr.action_info.line) == ('app.py', 7)
    assert config.introspector.get('routes', 'b').action_info == 'a text'


def test_pyramid_has_no_public_way_to_give_the_action_info():
    """``add_view`` and ``add_route`` take no ``info=``, and
    ``config.action`` ignores one (its own ``action_info`` wins).  When
    this fails, use Pyramid's way in ``with_action_info``."""
    for directive in (Configurator.add_view, Configurator.add_route):
        assert 'info' not in inspect.signature(directive).parameters
    config = Configurator()
    config.action('one', info='mine')
    config.action('one', info='mine')
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert 'mine' not in str(e.value)


def test_known_view_options():
    def mine(view, info):  # pragma: no cover - never derives a view
        return view

    mine.options = ('colourful',)
    config = Configurator()
    config.add_view_deriver(mine, under='decorated_view')
    config.add_view_predicate('shade', lambda value, config: None)
    config.commit()  # derivers and predicates are registered at commit
    known = known_view_options(config)
    assert {'renderer', 'permission', 'colourful', 'shade'} <= known
    assert 'colour' not in known


def test_pyramid_unknown_view_options_name_no_line():
    """The Pyramid behaviour behind ``known_view_options`` (used by
    ``check_view_options``): an unknown ``add_view`` option is refused
    while the deferred discriminator is resolved, outside any action, so
    the error names no line.  When this test fails, Pyramid names the
    line: drop ``check_view_options`` and ``known_view_options``."""
    config = Configurator()
    config.add_route('odd', '/odd')
    config.add_view(lambda request: Response('x'), route_name='odd', colour=1)
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert str(e.value) == "Unknown view options: {'colour': 1}"


def test_response_if_made_and_forget_response():
    request = Request.blank('/')
    request.registry = Configurator().registry  # its response factory
    assert response_if_made(request) is None
    made = request.response
    assert response_if_made(request) is made
    forget_response(request)
    assert response_if_made(request) is None
    assert request.response is not made
    forget_response(Request.blank('/'))  # nothing made: nothing to drop


def test_pyramid_makes_the_response_on_first_use_and_says_not_when():
    """``request.response`` is still a ``reify`` (made on first use, kept
    in the instance) and nothing public says whether it was made.  When
    this fails, replace ``response_if_made`` and ``forget_response``."""
    assert isinstance(inspect.getattr_static(Request, 'response'), reify)
    public = {name for name in dir(Request) if not name.startswith('_')}
    assert not {n for n in public if 'response' in n} - {
        'response',
        'add_response_callback',
        'response_callbacks',
        'get_response',
        'is_response',
        'ResponseClass',
    }
