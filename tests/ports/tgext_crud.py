"""Port of tgext.crud 0.9.0's ``CrudRestController`` to Pyramid with
pyramid_hooks, with TurboGears 2.5.0's ``RestController`` dispatch.

Originals: ``tgext/crud/controller.py`` (``CrudRestController``: ``_before``,
``get_all``, ``get_one``, ``edit``, ``new``, ``post``, ``put``,
``post_delete``, ``get_delete``, ``_get_object``), ``tgext/crud/decorators.py``
(``registered_validate``, ``register_validators``, ``catch_errors``,
``map_primary_keys``, ``apply_default_filters``), ``tgext/crud/utils.py``
(``redirect_on_completion``, ``force_response_type``,
``allow_json_parameters``), ``tgext/crud/validators.py``
(``report_json_error``), TurboGears 2.5.0's
``tg/controllers/restcontroller.py`` and crank 0.9.0's
``crank/restdispatcher.py`` (the verbs, ``_method``).  Sprox (forms, table,
fillers, the ORM provider) is replaced by an in-memory provider and a small
validator; the Genshi/Jinja templates by a tiny HTML renderer; pagination,
search, substring filters, ``json_dictify`` and ``conditional_update_field``
are left out.

TurboGears -> Pyramid:

- ``class MovieController(CrudRestController)`` mounted as an attribute
  (``movies = MovieController(DBSession)``) -> ``CrudRestController`` is a
  mixin holding the ``@route`` methods, each resource a direct subclass of
  ``Controller`` (``class Movies(CrudRestController, Controller)``)
  activated under a ``route_prefix`` (``mount(config, Movies,
  '/movies')``).  Two subclasses of one ``Controller`` subclass would be
  *combined* into one serving class (the controllers' sibling extensions),
  one ``model`` for both;
- RestController's verb dispatch -> one handler per URL and method
  (``methods=``); crank gives ``new``/``edit``/``delete`` precedence over
  ``get_one``: here the first route added wins, so ``new`` is defined
  before ``get_one`` and the primary key is ``<int:...>``;
- ``?_method=PUT`` / ``DELETE`` of HTML forms -> ``MethodOverride``, an
  application wrapper that changes ``request.method`` before the routes
  are matched (nothing in Pyramid or pyramid_hooks reads ``_method``);
- ``_before`` -> a ``before_validate`` listener scoped to the class;
  ``tmpl_context`` -> attributes of the request;
- ``@expose('json:')`` beside ``@expose('genshi:...')`` chosen by the
  response type (``.json``, ``Accept``, ``response_type``) -> one renderer
  (``crud``) choosing the same way; the ``.json`` extension a second
  pattern of the route;
- ``registered_validate(error_handler='new')`` -> ``validate=`` +
  ``error_handler='new'``; ``report_json_error`` -> the error handler
  answering 400 with the errors when the response type is JSON;
- ``catch_errors`` -> a controller wrapper turning the provider's
  ``IntegrityError`` into the error handler's page with a flash;
- ``before_render(redirect_on_completion)`` -> a ``before_render``
  listener raising ``HTTPFound``;
- ``with_trailing_slash`` / ``without_trailing_slash`` -> the route's
  patterns and a redirect handler.
"""

import html
import json
from urllib.parse import urlencode, urljoin

from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import (
    HTTPFound,
    HTTPMethodNotAllowed,
    HTTPNotFound,
)

from pyramid_hooks import ApplicationWrapper, Invalid, route

JSON = 'application/json'
HTML = 'text/html'


class IntegrityError(Exception):
    """What the provider raises when a row cannot be stored (SQLAlchemy's
    ``IntegrityError`` in the original)."""


class MemoryProvider:
    """The sprox provider's calls the controller makes, over a dict."""

    def __init__(self, model, primary_key):
        self.model = model
        self.primary_key = primary_key
        self.rows = {}
        self.broken = False

    def get_primary_fields(self, model):
        return [self.primary_key]

    def _pk(self, params):
        try:
            return int(params.get(self.primary_key))
        except (TypeError, ValueError):
            return None

    def get_obj(self, model, params):
        return self.rows.get(self._pk(params))

    def query(self, model, filters, limit=None):
        found = [
            row
            for row in self.rows.values()
            if all(
                str(getattr(row, k, None)) == str(v)
                for k, v in filters.items()
            )
        ]
        return len(found), found[:limit]

    def create(self, model, params):
        if self.broken:
            raise IntegrityError('no such table: ' + model.__tablename__)
        obj = model(**{k: v for k, v in params.items() if k in model.fields})
        setattr(obj, self.primary_key, max(self.rows, default=0) + 1)
        self.rows[getattr(obj, self.primary_key)] = obj
        return obj

    def update(self, model, params, omit_fields=()):
        obj = self.get_obj(model, params)
        for name in model.fields:
            if name in params and name not in omit_fields:
                setattr(obj, name, params[name])
        return obj

    def delete(self, model, params):
        self.rows.pop(self._pk(params), None)


class Movie:
    """The tests' ``Movie`` model, without SQLAlchemy."""

    __tablename__ = 'movies'
    fields = ('title', 'description', 'genre_id')
    required = ('title',)

    def __init__(self, title=None, description=None, genre_id=None):
        self.movie_id = None
        self.title = title
        self.description = description
        self.genre_id = genre_id

    def __json__(self, request):
        return {
            'movie_id': self.movie_id,
            **{k: getattr(self, k) for k in self.fields},
        }


class Genre:
    """The tests' ``Genre`` model."""

    __tablename__ = 'genres'
    fields = ('name',)
    required = ('name',)

    def __init__(self, name=None):
        self.genre_id = None
        self.name = name

    def __json__(self, request):
        return {'genre_id': self.genre_id, 'name': self.name}


def crud_form(request, params):
    """The sprox ``AddRecordForm``/``EditableForm`` validation: the
    model's ``required`` fields, the primary key (the path's ``pk``, when
    there is one) an integer."""
    errors = {}
    controller = request.crud_class
    for name in controller.model.required:
        if not params.get(name):
            errors[name] = 'Please enter a value'
    if 'pk' in params:
        try:
            params['pk'] = int(params['pk'])
        except (TypeError, ValueError):
            name = controller.provider.get_primary_fields(controller.model)[0]
            errors[name] = 'Please enter an integer value'
    if errors:
        raise Invalid(errors)
    return params


def response_type(request):
    """TurboGears' ``request.response_type``: forced by the controller's
    ``response_type``, else the ``.json`` extension, else ``Accept``."""
    forced = getattr(request, 'crud_response_type', None)
    if forced:
        return forced
    if request.path_info.endswith('.json'):
        return JSON
    offers = request.accept.acceptable_offers([HTML, JSON])
    return offers[0][0] if offers else HTML


class CrudRenderer:
    """``@expose('json:')`` and ``@expose('<engine>:tgext.crud.templates.x')``
    on one method: JSON or a small HTML page, by the response type."""

    def __init__(self, info):
        pass

    def __call__(self, value, system):
        request = system['request']
        if response_type(request) == JSON:
            request.response.content_type = JSON
            return json.dumps(value, default=lambda o: o.__json__(request))
        request.response.content_type = HTML
        title = html.escape(getattr(request, 'crud_title', ''))
        parts = [f'<h1>{title}</h1>']
        for message in request.session.pop_flash('status_alert'):
            parts.append(
                f'<div class="status_alert">{html.escape(message)}</div>'
            )
        if 'form' in value:
            errors = value.get('errors', {})
            fields = []
            for name in value['form']:
                field = html.escape(str(value['value'].get(name) or ''))
                fields.append(f'<input name="{name}" value="{field}">')
                if name in errors:
                    error = html.escape(errors[name])
                    fields.append(f'<span class="error">{error}</span>')
            token = html.escape(get_csrf_token(request))
            fields.append(
                f'<input type="hidden" name="csrf_token" value="{token}">'
            )
            action = value['action']
            parts.append(
                f'<form method="post" action="{action}">{"".join(fields)}'
                '</form>'
            )
        label = request.crud_class.model.fields[0]
        for row in value.get('value_list', ()):
            parts.append(f'<li>{html.escape(str(getattr(row, label)))}</li>')
        if 'value' in value and 'form' not in value:
            parts.append(
                f'<p>{html.escape(str(getattr(value["value"], label)))}</p>'
            )
        return '\n'.join(parts)


def before(cls):
    """``CrudRestController._before`` as a ``before_validate`` listener of
    the resource class *cls*: the page's ``tmpl_context`` values and the
    forced response type.  The listener runs before the controller is
    instantiated, so it is made per class (the original reads ``self``)."""

    def _before(request, params):
        request.crud_class = cls
        request.crud_title = cls.title
        request.crud_response_type = cls.response_type

    return _before


def after(cls):
    """What an ``_after`` of a CRUD resource does (``after_render``)."""

    def _after(request, response):
        response.headers['X-Crud'] = cls.model.__name__

    return _after


def redirect_on_completion(request, params, output):
    """``before_render(redirect_on_completion)``: ``redirect(base_url,
    params)`` relative to the request's URL, as TurboGears' redirect."""
    redirection = output.get('redirect') if isinstance(output, dict) else None
    if redirection is not None:
        location = urljoin(request.path_url, redirection['base_url'])
        if redirection['params']:
            location += '?' + urlencode(redirection['params'])
        raise HTTPFound(location=location)


def catch_errors(error_handler):
    """``catch_errors(errors, error_handler=...)`` as a controller wrapper
    (``controller_wrappers=[catch_errors('new')]``): the provider's
    ``IntegrityError`` answers the error handler's page with a flash (400
    and ``{"message": ...}`` in JSON)."""

    def wrapper(next_caller):
        def call(context, request):
            try:
                return next_caller(context, request)
            except IntegrityError as e:
                if response_type(request) == JSON:
                    request.response.status = 400
                    return {'message': str(e)}
                request.session.flash(str(e), 'status_alert')
                controller = type(request.crud_controller)(request)
                return getattr(controller, error_handler)(
                    **request.hook_params
                )

        return call

    return wrapper


class CrudRestController:
    """The REST verbs of ``CrudRestController`` as ``@route`` methods of a
    mixin; a resource is ``class X(CrudRestController, Controller)`` with
    ``model`` and ``provider``, mounted with :func:`mount`."""

    title = 'Turbogears Admin System'
    keep_params = None
    response_type = None
    filters = {}
    model = None
    provider = None

    def __init__(self, request):
        super().__init__(request)
        request.crud_controller = self

    def _kept_params(self):
        if not self.keep_params:
            return {}
        return {
            k: v for k, v in self.request.GET.items() if k in self.keep_params
        }

    def _get_object(self, params):
        if self.filters:
            pk = self.provider.get_primary_fields(self.model)[0]
            queryfields = {pk, *self.filters}
            filters = {k: v for k, v in params.items() if k in queryfields}
            _, found = self.provider.query(
                self.model, filters=filters, limit=1
            )
            return next(iter(found), None)
        return self.provider.get_obj(self.model, params)

    def _pks(self, pk):
        """``map_primary_keys``: the path's value as the primary key."""
        return {self.provider.get_primary_fields(self.model)[0]: pk}

    def _filtered(self, params):
        """``apply_default_filters``: the filters over the parameters."""
        params = dict(params)
        for key, value in self.filters.items():
            params[key] = value(self.request) if callable(value) else value
        return params

    def _json_body(self, params):
        """``allow_json_parameters``: a JSON body's members as parameters."""
        if self.request.content_type == JSON:
            params.update(self.request.json_body)
        return params

    # crank tries new/edit/delete before get_one: defined first, so added
    # first (a <pk> route added before would take /movies/new)
    @route(['/new', '/new/'], methods=['GET'], auth='public', renderer='crud')
    def new(self, **kw):
        request = self.request
        if request.method == 'GET' and request.path_info.endswith('/'):
            # without_trailing_slash (not when answering a failed POST)
            return HTTPFound(location=self.request.path_url.rstrip('/'))
        errors = getattr(self.request, 'validation_errors', {})
        if errors and response_type(self.request) == JSON:
            self.request.response.status = 400  # report_json_error
            return {name: errors.get(name) for name in self.model.fields}
        return {
            'form': self.model.fields,
            'value': kw,
            'errors': errors,
            'action': './',
            'model': self.model.__name__,
        }

    @route('/<pk>/edit', methods=['GET'], auth='public', renderer='crud')
    def edit(self, pk=None, **kw):  # error_handler: a default
        errors = getattr(self.request, 'validation_errors', {})
        if errors and response_type(self.request) == JSON:
            self.request.response.status = 400  # report_json_error
            names = (
                *self.provider.get_primary_fields(self.model),
                *self.model.fields,
            )
            return {name: errors.get(name) for name in names}
        obj = self._get_object(self._filtered(self._pks(pk)))
        if obj is None:
            raise HTTPNotFound()
        value = {
            name: kw.get(name, getattr(obj, name))
            for name in self.model.fields
        }
        value['_method'] = 'PUT'
        return {
            'form': (*self.model.fields, '_method'),
            'value': value,
            'errors': errors,
            'action': f'../{pk}',  # /movies/<pk>
            'model': self.model.__name__,
        }

    @route('/<pk>/delete', methods=['GET'], auth='public', renderer='crud')
    def get_delete(self, pk):
        return {'args': [pk]}

    @route('/', methods=['GET'], auth='public', renderer='crud')
    def get_all(self, **kw):
        filters = self._filtered(kw)
        _, values = self.provider.query(self.model, filters=filters)
        return {'model': self.model.__name__, 'value_list': values}

    @route(
        ['/<pk>.json', '/<pk>'],
        methods=['GET'],
        auth='public',
        renderer='crud',
    )
    def get_one(self, pk):
        obj = self._get_object(self._filtered(self._pks(pk)))
        if response_type(self.request) == JSON:
            if obj is None:
                self.request.response.status = 404
            return {'model': self.model.__name__, 'value': obj}
        if obj is None:
            raise HTTPNotFound()
        return {'model': self.model.__name__, 'value': obj}

    @route(
        '/',
        methods=['POST'],
        auth='public',
        renderer='crud',
        validate=crud_form,
        error_handler='new',
        controller_wrappers=[catch_errors('new')],
    )
    def post(self, **kw):
        kw = self._filtered(kw)
        obj = self.provider.create(self.model, params=kw)
        if response_type(self.request) == JSON:
            return {'model': self.model.__name__, 'value': obj}
        return {
            'obj': obj,
            'redirect': {'base_url': './', 'params': self._kept_params()},
        }

    @route(
        ['/<pk>.json', '/<pk>'],
        methods=['PUT'],
        auth='public',
        renderer='crud',
        validate=crud_form,
        error_handler='edit',
        controller_wrappers=[catch_errors('edit')],
    )
    def put(self, pk, **kw):
        kw = self._filtered({**kw, **self._pks(pk)})
        obj = self._get_object(kw)
        if obj is not None:
            obj = self.provider.update(self.model, params=kw)
        if response_type(self.request) == JSON:
            if obj is None:
                self.request.response.status = 404
            return {'model': self.model.__name__, 'value': obj}
        if obj is None:
            raise HTTPNotFound()
        # the original's '../' is relative to the edit form's action,
        # /movies/1/ (object dispatch ignores the trailing slash); here the
        # action is /movies/1
        return {
            'obj': obj,
            'redirect': {'base_url': './', 'params': self._kept_params()},
        }

    @route(
        ['/<pk>.json', '/<pk>', '/'],
        methods=['DELETE'],
        auth='public',
        renderer='crud',
    )
    def post_delete(self, pk=None):
        kw = self._filtered(self._pks(pk)) if pk is not None else {}
        obj = self._get_object(kw) if kw else None
        if obj is not None:
            self.provider.delete(self.model, kw)
        if response_type(self.request) == JSON:
            return {}
        return {
            'obj': obj,
            'redirect': {'base_url': './', 'params': self._kept_params()},
        }


class MethodOverride(ApplicationWrapper):
    """crank's ``_method`` hack as an application wrapper: a ``POST`` with
    ``_method`` (query string or form field) ``PUT``, ``PATCH`` or
    ``DELETE`` is served as that method, the field removed; a ``GET``
    asking for ``PUT`` or ``DELETE`` is 405, as in crank.  Only unsafe
    methods: a ``POST`` turned into a ``GET`` would skip the CSRF check."""

    methods = ('PUT', 'PATCH', 'DELETE')

    def __call__(self, request):
        try:  # WebOb parses the form now, while the method is POST
            wanted = request.GET.get('_method', '').upper()
            if request.method == 'POST' and not wanted:
                wanted = request.POST.get('_method', '').upper()
        except UnicodeDecodeError:  # the view answers it: a 400
            return self.next_handler(request)
        if request.method == 'GET' and wanted in ('PUT', 'DELETE'):
            return HTTPMethodNotAllowed()
        if request.method == 'POST' and wanted in self.methods:
            request.GET.pop('_method', None)  # crank pops it too
            request.POST.pop('_method', None)
            request.method = wanted
        return self.next_handler(request)


def includeme(config):
    config.add_renderer('crud', CrudRenderer)
    config.register_hook(
        'before_render', redirect_on_completion, view=CrudRestController
    )


def mount(config, cls, prefix):
    """``root.movies = MovieController(DBSession)``."""
    with config.route_prefix_context(prefix):
        config.add_controller(cls)
    config.register_hook('before_validate', before(cls), view=cls)
    config.register_hook('after_render', after(cls), view=cls)
