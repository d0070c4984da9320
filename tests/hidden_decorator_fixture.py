"""Our view decorators under a decorator that wraps the view
(``functools.wraps``): the view registered is the wrapper, which none of
them is for (``tests/test_unscanned_decorators.py``)."""

import functools

from pyramid.view import view_config

from pyramid_hooks import before_call

CALLS = []


def quota(request, params):
    CALLS.append('quota')


def logged(view):
    @functools.wraps(view)
    def logged_view(*args):
        return view(*args)

    return logged_view


@view_config(route_name='upload', renderer='json')
@logged
@before_call(quota)
def upload(request):
    return {'uploaded': True}
