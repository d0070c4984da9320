"""Port of the server side of tw2.jqplugins.jqgrid 2.2.0 to Pyramid with
pyramid_hooks.

Original: ``tw2/jqplugins/jqgrid/widgets/sqla.py`` (``SQLAjqGridWidget``:
``request``, ``_request_query``, ``_request_post``, ``_request_post_add``,
``_request_post_edit``, ``_massage_post_params``, ``_searched_query``,
``_query_filter``, ``_build_sorted_query``, ``_get_metadata``,
``_get_data`` and the options that ``prepare`` computes).  SQLAlchemy is
replaced by an entity class that lists its ``columns`` (``(name, type)``
pairs) and has a ``query`` with ``all()``, ``get(pk)`` and ``add(obj)``
(the tests use a dict-backed one), so queries are filtered, sorted and
sliced in Python; the relationship counts (``__count_*`` columns), the
client-side template and ``transaction.commit()`` are left out.

ToscaWidgets 2 -> Pyramid:

- ``@classmethod @jsonify def request(cls, req)`` (registered by
  ``register_controller``) -> ``@serverside_callback(renderer='json')
  def request(self, request)`` returning the dict;
- the grid's ``url`` option -> ``self.url_for_callback(request,
  'request')``;
- ``ValueError`` on a request the widget cannot serve (a 500) -> HTTP 400;
  ``rows`` is capped at ``max_rows``.
"""

import datetime
import json
import math

from pyramid.httpexceptions import HTTPBadRequest

from pyramid_hooks import ServerSideCallbackMixin, serverside_callback

OPERATORS = {
    'eq': lambda value, wanted: value == wanted,
    'ne': lambda value, wanted: value != wanted,
    'lt': lambda value, wanted: value < wanted,
    'le': lambda value, wanted: value <= wanted,
    'gt': lambda value, wanted: value > wanted,
    'ge': lambda value, wanted: value >= wanted,
    'bw': lambda value, wanted: str(value).lower().startswith(wanted.lower()),
    'ew': lambda value, wanted: str(value).lower().endswith(wanted.lower()),
    'cn': lambda value, wanted: wanted.lower() in str(value).lower(),
}


def name2label(name):
    return ' '.join(word.capitalize() for word in name.split('_'))


class SQLAjqGridWidget(ServerSideCallbackMixin):
    """The server side of a jqGrid over ``entity``."""

    entity = None
    excluded_columns = ()
    datetime_format = '%x'
    colModel = ()
    options = {}
    max_rows = 10000

    def __init__(self, *args, **kw):
        for key in ('entity', 'excluded_columns', 'colModel', 'options'):
            if key in kw:
                setattr(self, key, kw.pop(key))
        if 'datetime_format' in kw:
            self.datetime_format = kw.pop('datetime_format')
        super().__init__(*args, **kw)

    def _get_properties(self):
        props = [
            (name, kind)
            for name, kind in self.entity.columns
            if name not in self.excluded_columns
        ]
        if self.colModel:
            wanted = [col['name'] for col in self.colModel]
            props = [p for name in wanted for p in props if p[0] == name]
        return props

    def _make_model(self, prop):
        name, kind = prop
        return {
            'name': name,
            'align': 'right' if kind in (int, float) else 'left',
            'label': name2label(name),
            'sortable': True,
            'editable': True,
            'search': True,
            'searchoptions': {'sopt': ['cn']},
        }

    def _get_metadata(self):
        colmodel = list(self.colModel) or [
            self._make_model(p) for p in self._get_properties()
        ]
        return {
            'colNames': [e.get('label', 'No Label Set') for e in colmodel],
            'colModel': colmodel,
        }

    def _get_data(self, entry):
        def massage(prop):
            data = getattr(entry, prop[0])
            if isinstance(data, (datetime.datetime, datetime.date)):
                data = data.strftime(self.datetime_format)
            return data

        return [massage(prop) for prop in self._get_properties()]

    def grid_options(self, request):
        """The options ``prepare`` gives the client-side grid."""
        options = dict(self.options)
        options['url'] = self.url_for_callback(request, 'request')
        options.setdefault('caption', name2label(self.entity.__name__))
        options.setdefault('sortname', self.entity.primary_key)
        options['datatype'] = 'json'
        options.update(self._get_metadata())
        return options

    def _coerce(self, field, string):
        kind = dict(self.entity.columns).get(field)
        if kind is None:
            raise HTTPBadRequest(f'No such column: {field}')
        try:
            return kind(string) if kind in (int, float) else string
        except ValueError:
            raise HTTPBadRequest(f'Not a number: {string}')

    def _query_filter(self, oper, field, string):
        try:
            compare = OPERATORS[oper]
        except KeyError:
            raise HTTPBadRequest(f'No such operator: {oper}')
        wanted = self._coerce(field, string)
        return lambda entry: compare(getattr(entry, field), wanted)

    def _searched_query(self, query, kw):
        if 'filters' in kw:
            try:
                filters = json.loads(kw['filters'])
                group_op, rules = filters['groupOp'], filters['rules']
                tests = [
                    self._query_filter(r['op'], r['field'], r['data'])
                    for r in rules
                ]
            except (ValueError, KeyError, TypeError):
                raise HTTPBadRequest('Bad filters')
            if group_op == 'AND':
                query = [e for e in query if all(t(e) for t in tests)]
            elif group_op == 'OR':
                query = [e for e in query if any(t(e) for t in tests)]
        return query

    def _build_sorted_query(self, kw):
        sidx = kw['sidx']
        if sidx not in dict(self.entity.columns):
            raise HTTPBadRequest(f'No such column: {sidx}')
        return sorted(
            self.entity.query.all(),
            key=lambda entry: getattr(entry, sidx),
            reverse=kw['sord'] == 'desc',
        )

    @serverside_callback(renderer='json', request_method=('GET', 'POST'))
    def request(self, request):
        if request.GET:
            return self._request_query(request)
        elif request.POST:
            return self._request_post(request)
        raise HTTPBadRequest('Neither a query nor an edit.')

    def _massage_post_params(self, params):
        # empty fields are left out
        kwargs = {key: value for key, value in params.items() if value}
        kwargs.pop('csrf_token', None)
        for name, kind in self._get_properties():
            if name not in kwargs or name == self.entity.primary_key:
                continue
            if kind is datetime.date:
                kwargs[name] = datetime.datetime.strptime(
                    kwargs[name], self.datetime_format
                ).date()
            elif kind in (int, float):
                kwargs[name] = self._coerce(name, kwargs[name])
        return kwargs

    def _request_post_add(self, request):
        kwargs = self._massage_post_params(request.POST)
        del kwargs['oper']
        kwargs.pop('id', None)
        obj = self.entity(**kwargs)
        self.entity.query.add(obj)
        return {}

    def _request_post_edit(self, request):
        kwargs = self._massage_post_params(request.POST)
        obj = self.entity.query.get(self._coerce('id', kwargs['id']))
        if obj is None:
            raise HTTPBadRequest('No such row.')
        del kwargs['oper']
        del kwargs['id']
        for key, value in kwargs.items():
            setattr(obj, key, value)
        return {}

    def _request_post(self, request):
        if 'oper' not in request.POST:
            raise HTTPBadRequest('No operation specified.')
        method = {
            'add': self._request_post_add,
            'edit': self._request_post_edit,
        }.get(request.POST['oper'])
        if method is None:
            raise HTTPBadRequest('No such operation.')
        return method(request)

    def _request_query(self, request):
        pkey = self.entity.primary_key
        kw = {
            'page': 1,
            'rows': self.max_rows,
            'sord': 'desc',
            'sidx': pkey,
            '_search': 'False',
            'nd': 0,
        }
        kw.update(request.GET.items())

        try:
            kw['page'], kw['rows'] = map(int, [kw['page'], kw['rows']])
        except ValueError:
            raise HTTPBadRequest('page and rows must be numbers')
        kw['page'] = max(kw['page'], 1)
        kw['rows'] = min(max(kw['rows'], 1), self.max_rows)

        base = self._build_sorted_query(kw)

        if kw['_search'] and kw['_search'].lower() == 'true':
            base = self._searched_query(base, kw)

        start = (kw['page'] - 1) * kw['rows']
        entries = base[start : start + kw['rows']]
        count = len(base)

        return {
            'page': kw['page'],
            'total': math.ceil(count / kw['rows']),
            'records': count,
            'rows': [
                {'id': getattr(entry, pkey), 'cell': self._get_data(entry)}
                for entry in entries
            ],
        }
