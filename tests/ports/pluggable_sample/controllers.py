"""The sample pluggable's controller (its ``RootController``)."""

from pyramid.view import view_config

from tests.ports.tgext_pluggable import plug_redirect, plug_url

CONFIG_KEY = '_pluggable_sample_config'


@view_config(route_name='sample.index', renderer='json')
def index(request):
    options = request.registry.settings[CONFIG_KEY]
    return {
        'greeting': options.get('greeting', 'hello'),
        'self': plug_url(request, 'tests.ports.pluggable_sample', '/'),
        'css': request.static_path('tests.ports.pluggable_sample:public/'
                                   'style.css'),
    }  # fmt: skip


@view_config(route_name='sample.helped', renderer='json')
def helped(request):
    return {'name': 'ann'}


@view_config(route_name='sample.leave')
def leave(request):
    plug_redirect(
        request, 'tests.ports.pluggable_sample.dependency', '/', {'a': 1}
    )


def includeme(config):
    config.add_route('sample.index', '/')
    config.add_route('sample.helped', '/helped')
    config.add_route('sample.leave', '/leave')
    config.scan(__name__)
