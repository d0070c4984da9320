from pyramid.view import view_config

from pyramid_hooks import controller_wrapper

NOT_A_WRAPPER = 42


@view_config(route_name='home', renderer='json')
@controller_wrapper(NOT_A_WRAPPER)
def view_with_number_wrapper(request):
    return {}
