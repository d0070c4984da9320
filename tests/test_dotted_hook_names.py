"""TurboGears' dotted hook names (issue 21, item 9): tgapp-registration
notifies ``registration.on_complete``.  When the namespace
``registration`` is declared, a listener registered for that dotted name
in the default namespace would never run: it is refused at startup,
naming ``namespace=``.  Without such a namespace a dotted name is a plain
name of the default namespace, as in TurboGears; the ``hooks.on.*``
setting reads the part before the last dot as the namespace."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

HERE = __name__


def on_complete(request, user):
    request.environ['test.completed'] = user


def register_view(request):
    """What tgapp-registration's controller does once a user registered."""
    request.hooks.notify(
        'on_complete', request, 'ann', namespace='registration'
    )
    return {'completed': request.environ.get('test.completed')}


def registration_config(settings=None, autocommit=False):
    config = Configurator(settings=settings or {}, autocommit=autocommit)
    config.include('pyramid_hooks')
    config.add_hook_namespace('registration')
    config.add_hook('on_complete', ('request', 'user'), 'registration')
    config.add_route('register', '/register')
    config.add_view(register_view, route_name='register', renderer='json')
    return config


def test_the_dotted_name_of_a_declared_namespace_is_refused():
    config = registration_config()
    config.register_hook('registration.on_complete', on_complete)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert (
        f'Listener {HERE}.on_complete registered at '
        f'{__file__.removesuffix("c")}:'
    ) in message
    assert (
        "is for the hook 'registration.on_complete' of the default "
        'namespace and would never run'
    ) in message
    assert (
        f"config.register_hook('on_complete', {HERE}.on_complete, "
        "namespace='registration')"
    ) in message
    assert 'hooks.on.registration.on_complete' in message


def test_namespace_form_runs():
    config = registration_config()
    config.register_hook('on_complete', on_complete, namespace='registration')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/register').json == {'completed': 'ann'}


def test_the_setting_means_the_namespace():
    """``hooks.on.registration.on_complete`` is the namespace's hook: the
    code form refused above and this setting agree on what it names."""
    config = registration_config(
        {'hooks.on.registration.on_complete': f'{HERE}.on_complete'}
    )
    app = TestApp(config.make_wsgi_app())
    assert app.get('/register').json == {'completed': 'ann'}


def test_refused_when_the_namespace_is_declared_later_autocommit():
    config = Configurator(settings={}, autocommit=True)
    config.include('pyramid_hooks')
    config.register_hook('registration.on_complete', on_complete)
    with pytest.raises(ConfigurationError, match='would never run'):
        config.add_hook_namespace('registration')


def test_refused_when_the_namespace_is_declared_first_autocommit():
    config = registration_config(autocommit=True)
    with pytest.raises(ConfigurationError, match='would never run'):
        config.register_hook('registration.on_complete', on_complete)


def dotted_view(request):
    request.hooks.notify('registration.on_complete', request, 'bob')
    return {'completed': request.environ.get('test.completed')}


def plain_config():
    config = Configurator(settings={})
    config.include('pyramid_hooks')
    config.add_route('register', '/register')
    config.add_view(dotted_view, route_name='register', renderer='json')
    return config


def test_without_the_namespace_a_dotted_name_is_a_plain_name():
    """TurboGears' own form, ported verbatim: registered and notified by
    the dotted name in the default namespace."""
    config = plain_config()
    config.register_hook('registration.on_complete', on_complete)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/register').json == {'completed': 'bob'}


def test_a_name_ending_with_a_dot_or_an_undeclared_prefix_is_kept():
    """Only ``namespace.hook`` with *namespace* declared is refused:
    ``registration.`` (no hook) and ``other.registration.on_complete``
    (no namespace ``other.registration``) stay names of the default one."""
    config = registration_config()
    config.register_hook('registration.', lambda request, user: None)
    config.register_hook(
        'other.registration.on_complete', lambda request, user: None
    )
    config.make_wsgi_app()


def test_a_namespace_only_listened_to_is_not_declared():
    """With autocommit, a listener may come before its namespace: that one
    is not declared yet, and the dotted name is not refused for it."""
    config = Configurator(settings={}, autocommit=True)
    config.include('pyramid_hooks')
    config.register_hook('on_complete', on_complete, namespace='registration')
    config.register_hook('registration.on_complete', on_complete)


def test_an_unregistered_dotted_listener_is_not_refused():
    config = registration_config()
    config.register_hook('registration.on_complete', on_complete)
    config.unregister_hook('registration.on_complete', on_complete)
    config.register_hook('on_complete', on_complete, namespace='registration')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/register').json == {'completed': 'ann'}
