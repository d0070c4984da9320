"""Views whose ``@before_call`` is stacked above Pyramid's ``@view_config``
(its callback attached after the view's), scanned by an autocommitting
configurator in ``tests/test_unscanned_decorators.py``."""

from pyramid.view import view_config

from pyramid_hooks import before_call

CALLS = []


def quota(request, params):
    CALLS.append('quota')


def audit(request, params):
    CALLS.append('audit')


@before_call(quota)
@view_config(route_name='upload', renderer='json')
@before_call(audit)
def upload(request):
    return {'uploaded': True}


class Reports:
    def __init__(self, request):
        self.request = request

    @view_config(route_name='yearly', renderer='json')
    def yearly(self):
        return {'year': 1}

    @before_call(quota)
    @view_config(route_name='monthly', renderer='json')
    def monthly(self):
        return {'month': 1}
