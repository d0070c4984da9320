"""The ``before_wsgi_middlewares`` / ``after_wsgi_middlewares`` hooks
(issue 21, item 2): their listeners run only under
``pyramid_hooks.make_wsgi_app(config)``; an application that has some and
is made another way refuses to start, naming them and the fix."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

import pyramid_hooks
from pyramid_hooks import ApplicationWrapper


def hello(request):
    return Response(request.environ.get('test.mailer', 'no mailer'))


def add_mailer(app):
    """What tgext.mailer's port does: put a mailer in the environ."""

    def with_mailer(environ, start_response):
        environ['test.mailer'] = 'mailer'
        return app(environ, start_response)

    return with_mailer


def new_config(settings=None):
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    config.add_route('hello', '/')
    config.add_view(hello, route_name='hello')
    return config


def refusal(config):
    """The message ``config.make_wsgi_app()`` refuses to start with."""
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    return str(e.value)


@pytest.mark.parametrize(
    'hook', ['before_wsgi_middlewares', 'after_wsgi_middlewares']
)
def test_config_make_wsgi_app_refuses_naming_listener_and_fix(hook):
    config = new_config()
    config.register_hook(hook, add_mailer)
    message = refusal(config)
    assert f'add_mailer of the hook {hook!r}' in message
    assert ') wraps the WSGI application only when' in message
    assert 'another way (config.make_wsgi_app(), Router(registry))' in message
    assert 'test_wsgi_middlewares.py:' in message
    assert 'make it with pyramid_hooks.make_wsgi_app(config)' in message
    assert 'main(global_config, **settings)' in message


def test_pyramid_hooks_make_wsgi_app_runs_them():
    config = new_config()
    config.register_hook('before_wsgi_middlewares', add_mailer)
    app = TestApp(pyramid_hooks.make_wsgi_app(config))
    assert app.get('/').text == 'mailer'


def test_every_listener_is_named():
    config = new_config(
        {'hooks.on.after_wsgi_middlewares': 'tests.test_wsgi_middlewares.x'}
    )
    config.register_hook('before_wsgi_middlewares', add_mailer)
    message = refusal(config)
    assert "add_mailer of the hook 'before_wsgi_middlewares'" in message
    assert (
        "x of the hook 'after_wsgi_middlewares' (registered at setting "
        'hooks.on.after_wsgi_middlewares)'
    ) in message
    assert ' and the listener ' in message
    assert ') wrap the WSGI application only when' in message


def x(app):
    return app  # pragma: no cover


def test_after_pyramid_hooks_make_wsgi_app_the_plain_way_refuses_again():
    """The flag lasts only while ``pyramid_hooks.make_wsgi_app`` runs."""
    config = new_config()
    config.register_hook('after_wsgi_middlewares', add_mailer)
    pyramid_hooks.make_wsgi_app(config)
    with pytest.raises(ConfigurationError, match='add_mailer'):
        config.make_wsgi_app()


def test_an_unregistered_listener_is_not_a_reason_to_refuse():
    config = new_config()
    config.register_hook('after_wsgi_middlewares', add_mailer)
    config.unregister_hook('after_wsgi_middlewares', add_mailer)
    assert TestApp(config.make_wsgi_app()).get('/').text == 'no mailer'


def test_refused_also_with_an_explicit_tween_list_without_ours():
    """Without the wrappers' tween (an explicit ``pyramid.tweens`` that
    leaves it out, no application wrappers) ``ApplicationCreated`` tells."""
    config = new_config(
        {'pyramid.tweens': 'pyramid.tweens.excview_tween_factory'}
    )
    config.register_hook('before_wsgi_middlewares', add_mailer)
    with pytest.raises(ConfigurationError, match='add_mailer'):
        config.make_wsgi_app()
    config = new_config(
        {'pyramid.tweens': 'pyramid.tweens.excview_tween_factory'}
    )
    config.register_hook('before_wsgi_middlewares', add_mailer)
    assert TestApp(pyramid_hooks.make_wsgi_app(config)).get('/').text == (
        'mailer'
    )


class Tag(ApplicationWrapper):
    def __call__(self, request):
        response = self.next_handler(request)
        response.headers['X-Tag'] = '1'
        return response


def test_refused_with_application_wrappers_too():
    config = new_config()
    config.add_application_wrapper(Tag)
    config.register_hook('after_wsgi_middlewares', add_mailer)
    with pytest.raises(ConfigurationError, match='add_mailer'):
        config.make_wsgi_app()
    config = new_config()
    config.add_application_wrapper(Tag)
    config.register_hook('after_wsgi_middlewares', add_mailer)
    res = TestApp(pyramid_hooks.make_wsgi_app(config)).get('/')
    assert (res.text, res.headers['X-Tag']) == ('mailer', '1')


def test_an_app_without_such_listeners_starts_either_way():
    assert TestApp(new_config().make_wsgi_app()).get('/').text == ('no mailer')
