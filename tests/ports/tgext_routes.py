"""Port of tgext.routes 0.2.1 to Pyramid with pyramid_hooks.

Original: ``tgext/routes/decorators.py`` (``route``, a Routes ``Route``
kept on the method's ``Decoration``), ``tgext/routes/dispatch.py``
(``RoutedController``: its ``mapper``, the ``@route`` routes added to it
per instance, ``method_override``, ``disable_objectdispatch``, the
``_dispatch`` action, redirect routes, the Routes URL generator put in
the environ) and the README's examples (``DateController``, a
``RootController`` whose ``mapper`` names ``controller='home'``).

TurboGears -> Pyramid:

- ``date = DateController()`` (a ``RoutedController`` mounted as an
  attribute) -> a :class:`~pyramid_hooks.Controller` activated under the
  ``route_prefix_context('/date')``: its routes are relative to the mount
  point, as tgext.routes matches the rest of the path;
- ``@route('{year}-{month}', day=33)`` stacked over
  ``@route('{year}-{month}-{day}')`` -> one ``route()`` listing both,
  the longer first (Routes tries them in the order the decorators run,
  bottom up; listed the other way the start fails, naming both);
  ``day=33``, a Routes default, -> the parameter's default;
- ``@expose()`` kept beside ``@route`` ("the method is still accessible
  through ObjectDispatch") -> one more pattern, ``/entry_by_date``, the
  values from the query; ``disable_objectdispatch = True`` -> nothing:
  a controller serves its ``route()`` patterns only;
- ``mapper.connect('/', controller='home', action='index')`` ->
  ``route()`` on ``HomeController.index``; ``TGApp.lookup_controller``
  finding ``HomeController`` in ``controllers/home.py`` by the name
  ``'home'`` -> ``config.add_controller`` of the dotted name (an unknown
  one fails the start, TurboGears answered 404);
- an action without ``@expose`` served because a route names it
  (``unexposed``) -> a handler returning text; ``@expose('json')`` ->
  ``renderer='json'``;
- ``'/forsub{_dispatch:.*?}'`` with ``action='_dispatch'`` (object
  dispatch of ``HomeController`` under ``/forsub``) -> more patterns of
  the exposed handlers (``/forsub``, ``/forsub/``, ``/forsub/index``,
  ``/forsub/jsonexposed``); one class cannot be activated under two
  prefixes, nor ``route()`` put on a function another class routes;
- ``mapper.redirect('/home', '/')`` (tgext.routes raises ``HTTPFound``
  whatever the redirect's status) -> a handler raising ``HTTPFound`` to
  the target route's path;
- ``requirements={'item_id': r'\\d+'}`` -> ``<int:item_id>`` (ASCII
  digits; ``\\d`` takes every script's); ``conditions=dict(method=[...])``
  -> ``methods=``;
- ``method_override = True`` (``?_method=`` of a ``GET`` or a ``POST``)
  -> the tgext.crud port's ``MethodOverride`` application wrapper, for a
  ``POST`` only: a ``GET`` made a ``DELETE`` by a link is 405 here, and
  the ``DELETE`` a form makes is checked for its CSRF token;
- ``url('entry_by_date', year=..., month=...)`` (the Routes generator,
  the route named after the method; it picks the pattern the arguments
  fill) -> ``request.route_path`` of the handler's route, ``:1`` for its
  second pattern: the caller picks;
- ``environ['tg.routes_dict']`` / ``wsgiorg.routing_args`` ->
  ``request.matchdict``.
"""

from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPFound

from pyramid_hooks import Controller, route
from tests.ports.tgext_crud import MethodOverride

DATE = 'tests.ports.tgext_routes.DateController.entry_by_date'
HOME = 'tests.ports.tgext_routes.HomeController.'


class DateController(Controller):
    """The README's ``DateController``, mounted at ``/date``."""

    @route(
        ['/<year>-<month>-<day>', '/<year>-<month>', '/entry_by_date'],
        auth='public',
    )
    def entry_by_date(self, year, month, day=33):
        return f'{year} ++ {month} ++ {day}'

    @route('/links', auth='public', renderer='json')
    def links(self):
        """What ``url('entry_by_date', ...)`` gave, one pattern each."""
        path = self.request.route_path
        return {
            'day': path(DATE, year='2012', month='01', day='05'),
            'month': path(f'{DATE}:1', year='2012', month='01'),
        }


class HomeController(Controller):
    """``controllers/home.py`` of the README's mapper, with the mapper's
    URLs and, under ``/forsub``, those object dispatch gave."""

    @route(['/', '/forsub', '/forsub/', '/forsub/index'], auth='public')
    def index(self):
        return 'HOME'

    @route(['/json', '/forsub/jsonexposed'], auth='public', renderer='json')
    def jsonexposed(self):
        return {'routes': self.request.matched_route.name}

    @route('/unex', auth='public')
    def unexposed(self):
        """No ``@expose``: the mapper's route alone served it."""
        return 'UNEXPOSED'

    @route('/home', auth='public')
    def home_redirect(self):
        """``mapper.redirect('/home', '/')``."""
        raise HTTPFound(self.request.route_path(f'{HOME}index'))


class ItemsController(Controller):
    """A ``RoutedController`` with ``method_override = True``."""

    @route('/items/<int:item_id>', methods=['GET'], auth='public')
    def show(self, item_id):
        return f'item {item_id}'

    @route('/items/<int:item_id>/delete', methods=['GET'], auth='public')
    def confirm_delete(self, item_id):
        """The form a browser sends as ``DELETE``."""
        token = get_csrf_token(self.request)
        return (
            f'<form method="post" action="/items/{item_id}">'
            '<input type="hidden" name="_method" value="DELETE">'
            f'<input type="hidden" name="csrf_token" value="{token}"></form>'
        )

    @route('/items/<int:item_id>', methods=['DELETE'], auth='public')
    def delete(self, item_id):
        return f'deleted {item_id}'


def includeme(config):
    config.add_controller('tests.ports.tgext_routes.HomeController')
    config.add_controller(ItemsController)
    with config.route_prefix_context('/date'):
        config.add_controller(DateController)
    config.add_application_wrapper(MethodOverride)
