from pyramid.view import view_config

from pyramid_hooks import before_validate


def no_argument_listener():
    """before_validate listeners receive (request, params)."""


@view_config(route_name='home', renderer='json')
@before_validate(no_argument_listener)
def validated_view(request):
    return {}
