"""includeme, shared configuration helpers and exception-view detection."""

from pyramid.config import Configurator
from pyramid.config.views import ViewDeriverInfo
from pyramid.interfaces import IExceptionResponse, IRequest
from webtest import TestApp

from pyramid_hooks import get_hooks
from pyramid_hooks.pipeline import is_exception_view
from pyramid_hooks.shared import describe_info, object_name


def test_second_configurator_on_the_same_registry_keeps_the_hooks():
    config = Configurator()
    config.include('pyramid_hooks')
    config.commit()
    hooks = get_hooks(config.registry)
    again = Configurator(registry=config.registry)
    again.include('pyramid_hooks')
    again.commit()
    assert get_hooks(again.registry) is hooks


def test_without_include_there_is_no_hook_registry():
    assert get_hooks(Configurator().registry) is None


def test_describe_info_and_object_name():
    assert describe_info(None) == 'an unknown location'
    assert describe_info('setting hooks.on.x') == 'setting hooks.on.x'
    assert describe_info('') == 'an unknown location'
    assert object_name(describe_info) == ('pyramid_hooks.shared.describe_info')
    assert object_name(42) == '42'


def _info(**options):
    return ViewDeriverInfo(
        view=None,
        registry=None,
        package=None,
        predicates=[],
        exception_only=False,
        options=options,
    )


def test_is_exception_view():
    assert is_exception_view(_info(context=ValueError))
    assert not is_exception_view(_info(context=dict))
    assert is_exception_view(_info(context=IExceptionResponse))
    assert not is_exception_view(_info(context=IRequest))
    assert not is_exception_view(_info())


def _hooks_view(request):
    return {
        'hooks': request.hooks is get_hooks(request.registry),
        'class': type(request).__mro__[1].__name__,
    }


def test_request_hooks_costs_no_request_extension():
    from pyramid.interfaces import IRequestExtensions

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('r', '/')
    config.add_view(_hooks_view, route_name='r', renderer='json')
    app = TestApp(config.make_wsgi_app())
    assert config.registry.queryUtility(IRequestExtensions) is None
    assert app.get('/').json == {'hooks': True, 'class': 'Request'}


def test_custom_request_class_is_subclassed():
    from pyramid.request import Request

    class MyRequest(Request):
        pass

    config = Configurator(request_factory=MyRequest)
    config.include('pyramid_hooks')
    config.add_route('r', '/')
    config.add_view(_hooks_view, route_name='r', renderer='json')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').json == {'hooks': True, 'class': 'MyRequest'}


def test_non_class_request_factory_is_left_alone(caplog):
    from pyramid.request import Request

    def factory(environ):
        return Request(environ)

    config = Configurator()
    config.set_request_factory(factory)
    config.include('pyramid_hooks')
    config.add_route('r', '/')
    config.add_view(
        lambda request: {'has': hasattr(request, 'hooks')},
        route_name='r',
        renderer='json',
    )
    app = TestApp(config.make_wsgi_app())
    assert app.get('/').json == {'has': False}
    assert 'is not a class: request.hooks and' in caplog.text
