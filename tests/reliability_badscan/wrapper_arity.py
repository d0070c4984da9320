from pyramid.view import view_config

from pyramid_hooks import controller_wrapper


def three_argument_wrapper(next_caller, info, extra):
    return next_caller


@view_config(route_name='home', renderer='json')
@controller_wrapper(three_argument_wrapper)
def view_with_bad_wrapper(request):
    return {}
