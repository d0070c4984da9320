from pyramid.view import view_config

from pyramid_hooks import before_render


def two_argument_listener(request, params):
    """before_render listeners receive (request, params, output)."""


@view_config(route_name='home', renderer='json')
@before_render(two_argument_listener)
def home_view(request):
    return {}
