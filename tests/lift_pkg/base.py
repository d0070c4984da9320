from pyramid.view import view_config, view_defaults

from pyramid_hooks import before_call

CALLS = []


def quota(request, params):
    CALLS.append('quota')


@view_defaults(route_name='base', renderer='json')
class Page:
    def __init__(self, context, request):
        self.request = request

    @view_config(attr='show')
    @before_call(quota)
    def show(self):
        return {'page': type(self).__name__}
