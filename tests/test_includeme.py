"""includeme, shared configuration helpers and exception-view detection."""

from pyramid.config import Configurator
from pyramid.config.views import ViewDeriverInfo
from pyramid.interfaces import IExceptionResponse, IRequest

from pyramid_hooks import get_hooks
from pyramid_hooks.scopes import view_scope
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


def test_exception_views_are_not_app_wide():
    assert not view_scope(_info(context=ValueError))[1]
    assert view_scope(_info(context=dict))[1]
    assert not view_scope(_info(context=IExceptionResponse))[1]
    assert view_scope(_info(context=IRequest))[1]
    assert view_scope(_info())[1]
