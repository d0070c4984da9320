"""Port of tgext.admin 0.7.4 to Pyramid with pyramid_hooks, over the
tgext.crud port (``tests/ports/tgext_crud.py``).

Originals: ``tgext/admin/controller.py`` (``AdminController``:
``allow_only``, ``index`` with ``@with_trailing_slash``,
``make_controller`` and its ``ModelController._before``, ``_lookup`` and
``lookup``), ``tgext/admin/config.py`` (``AdminConfig``,
``CrudRestControllerConfig``, ``lookup_controller_config``) and
``tgext/admin/layouts.py`` (``BasicAdminLayout``,
``BootstrapAdminLayout``'s ``crud_templates``).  Sprox's tables, forms
and fillers are the crud port's renderer and validator; the templates are
the ``json`` renderer (the index) and that renderer (the CRUD pages);
the provider selector is a ``fields`` attribute on the model.

TurboGears -> Pyramid:

- ``admin = AdminController(model, DBSession, config_type=MyConfig)`` in
  the root controller -> :func:`mount_admin` (``config.scan`` of this
  module under the ``/admin`` prefix, the configuration in the
  settings);
- ``allow_only = in_group('managers')`` (or ``AdminConfig.allow_only``),
  which object dispatch checks for the CRUD controllers ``_lookup``
  returns too -> a ``before_validate`` listener raising ``HTTPForbidden``
  scoped to ``AdminController`` and to each model's controller;
- ``@with_trailing_slash`` -> :func:`with_trailing_slash`, a decorator
  applying a ``before_validate`` listener (``_depth=1``) that redirects
  ``/admin`` to ``/admin/``, the route serving both;
- ``_lookup(model_name, *args)`` (``/admin/movies/...`` served by a
  ``ModelController`` made and cached on the first request) -> every
  model's controller made when the application is configured, each
  activated under ``/admin/<model>s``; an unknown model is Pyramid's 404;
- ``make_controller``'s ``class ModelController(Controller)`` -> the same
  class statement, given its own ``__qualname__`` (classes a function
  makes share one dotted name, which names their routes);
- ``ModelController._before``'s ``override_template(getattr(self,
  action), template)`` for the layout's ``crud_templates`` ->
  ``request.override_renderer`` from a ``before_validate`` listener scoped
  with ``route_name=`` to that model's routes of the action
  (``view=ModelController.get_all`` is the mixin's function, which every
  model's controller shares);
- ``tg_config['package_name']`` -> the ``package_name`` setting.
"""

from pyramid.httpexceptions import HTTPForbidden, HTTPMovedPermanently

from pyramid_hooks import Controller, before_validate, route
from tests.ports import tgext_crud as crud

CONFIG_KEY = 'tgext.admin'


class in_group:
    """``predicates.in_group(name)`` over TurboGears' ``request.identity``;
    an object, as TurboGears' predicates are (a function set as a class
    attribute of a configuration would be a method of its instances)."""

    def __init__(self, name):
        self.name = name

    def __call__(self, request):
        return self.name in (request.identity or {}).get('groups', ())


def require(predicate):
    """``allow_only = predicate``: a ``before_validate`` listener."""

    def check(request, params):
        if not predicate(request):
            raise HTTPForbidden()

    return check


def with_trailing_slash(handler):
    """TurboGears' ``@with_trailing_slash``: a ``GET`` without the slash
    and without parameters is moved to the URL with it (a 301)."""

    def redirect(request, params):
        path = request.path
        if (
            request.method == 'GET'
            and not path.endswith('/')
            and not request.params
        ):
            raise HTTPMovedPermanently(request.path_url + '/')

    return before_validate(redirect, _depth=1)(handler)


class BasicAdminLayout:
    template_index = 'tgext.admin.templates.index'
    crud_templates = {}


class BootstrapAdminLayout:
    template_index = 'tgext.admin.templates.bootstrap_index'
    crud_templates = {
        a: ['bootstrap_crud'] for a in ('get_all', 'new', 'edit')
    }


class CrudRestControllerConfig:
    defaultCrudRestController = crud.CrudRestController
    layout = BasicAdminLayout
    allow_only = None
    title = None

    def __init__(self, model, translations=None):
        self.model = model
        self.translations = translations or {}


class AdminConfig:
    DefaultControllerConfig = CrudRestControllerConfig
    layout = BasicAdminLayout
    allow_only = None
    include_left_menu = True
    project_name = None
    index_payoff = None

    def __init__(self, models, translations=None):
        self.translations = translations or {}
        # "purge all non-model objects": here a model has ``fields``
        self.models = {
            model.__name__.lower(): model
            for model in models
            if hasattr(model, 'fields')
        }

    def lookup_controller_config(self, model_name):
        base = getattr(self, model_name.lower(), self.DefaultControllerConfig)

        class ControllerConfigClass(base):
            layout = self.layout

        return ControllerConfigClass(
            self.models[model_name], self.translations
        )


class AdminController(Controller):
    @route(['', '/'], auth='public', renderer='json')
    @with_trailing_slash
    def index(self):
        settings = self.request.registry.settings
        config = settings[CONFIG_KEY]
        return {
            'payoff': config.index_payoff,
            'project_name': config.project_name
            or settings.get('package_name', '').capitalize(),
            'models': [m.__name__ for m in config.models.values()],
            'layout': config.layout.template_index,
        }


def override_templates(templates):
    """``ModelController._before``'s ``override_template`` of an action,
    except for JSON responses (``request.response_type``)."""

    def _before(request, params):
        if crud.response_type(request) != crud.JSON:
            request.override_renderer = templates[0]

    return _before


ROUTE_NAMES = {'new': ('new', 'new:1')}


def make_controller(config, admin, model_config, prefix):
    """``AdminController.make_controller``, activated under *prefix*."""
    m = model_config.model

    class ModelController(model_config.defaultCrudRestController, Controller):
        model = m
        title = model_config.title or crud.CrudRestController.title

    # one dotted name per model: it names the controller's routes
    ModelController.__qualname__ = f'{m.__name__}AdminController'
    ModelController.provider = crud.MemoryProvider(
        m, f'{m.__name__.lower()}_id'
    )
    crud.mount(config, ModelController, prefix)
    allow_only = model_config.allow_only or admin.allow_only
    config.register_hook(
        'before_validate', require(allow_only), view=ModelController
    )
    name = f'{__name__}.{ModelController.__qualname__}'
    for action, templates in model_config.layout.crud_templates.items():
        # a route per pattern: new serves /new and /new/
        for route_name in ROUTE_NAMES.get(action, (action,)):
            config.register_hook(
                'before_validate',
                override_templates(templates),
                route_name=f'{name}.{route_name}',
            )
    return ModelController


def mount_admin(config, models, config_type=AdminConfig, prefix='/admin'):
    """``admin = AdminController(models, DBSession, config_type=...)``."""
    admin = config_type(models)
    if admin.allow_only is None:
        admin.allow_only = in_group('managers')
    config.add_settings({CONFIG_KEY: admin})
    config.include(crud.includeme)
    config.add_renderer('bootstrap_crud', BootstrapRenderer)
    # allow_only first: the scan registers @with_trailing_slash's listener
    config.register_hook(
        'before_validate', require(admin.allow_only), view=AdminController
    )
    with config.route_prefix_context(prefix):
        config.scan(__name__)
    for model_name in admin.models:
        make_controller(
            config,
            admin,
            admin.lookup_controller_config(model_name),
            f'{prefix}/{model_name}s',
        )


class BootstrapRenderer(crud.CrudRenderer):
    """``tgext.admin.templates.bootstrap_crud.*``: the crud page in a
    Bootstrap container."""

    def __call__(self, value, system):
        page = super().__call__(value, system)
        return f'<div class="container">{page}</div>'
