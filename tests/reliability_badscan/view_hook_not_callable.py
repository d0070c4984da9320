from pyramid.view import view_config

from pyramid_hooks import before_call


@view_config(route_name='home', renderer='json')
@before_call('tests.reliability_badscan.no_such_listener')
def view_with_missing_listener(request):
    return {}
