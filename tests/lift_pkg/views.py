from pyramid.view import view_defaults
from venusian import lift

from tests.lift_pkg.base import Page


@lift()
@view_defaults(route_name='sub', renderer='json')
class SubPage(Page):
    pass
