"""Port of the server side of tw2.jit 2.0.5's ``SQLARadialGraph`` to
Pyramid with pyramid_hooks.

Original: ``tw2/jit/widgets/sqla.py`` (``SQLARadialGraph``: its params,
``prepare`` computing ``url_kw``, ``request`` with ``exclude_property``,
``safe_id``, ``make_node_from_property``, ``make_node_from_object``, the
relationship nodes; ``get_pkey``, ``_unicode``) and
``tw2/jit/widgets/ajax.py`` (``AjaxRadialGraph.base_url``, the
``?key=`` its JavaScript asks).  SQLAlchemy is replaced by entity classes
listing their ``columns`` and ``relations`` (names) with a ``query``
(``all()``, ``get(pk)``: ``tests/ports/sqla_fakes.py``); the alphabetic
sub-trees (``alphabetize_relations``), the JavaScript and BeautifulSoup
(:func:`_unicode` strips tags itself) are left out.

ToscaWidgets 2 -> Pyramid:

- ``@classmethod @jsonify def request(cls, req)`` -> ``@serverside_callback(
  renderer='json', request_method='GET') def request(self, request)``
  returning the node; the widget's params are attributes of the one
  instance given to ``config.add_widget``;
- ``base_url`` (a required param the application wrote by hand) and
  ``url_kw`` -> :meth:`SQLARadialGraph.urls`, with
  ``url_for_callback``;
- ``ValueError`` on a key the widget cannot read (a 500) -> HTTP 400;
  ``query.filter_by(...).one()`` finding nothing (``NoResultFound``, a
  500) -> HTTP 404.
"""

import re
from hashlib import md5

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound

from pyramid_hooks import ServerSideCallbackMixin, serverside_callback
from tests.ports.tw2_jqgrid import name2label

SEP = '___'
PARAMS = (
    'entities',
    'excluded_columns',
    'show_relations',
    'show_empty_relations',
    'show_attributes',
    'imply_relations',
    'auto_labels',
    'depth',
)


def get_pkey(entity):
    return entity.primary_key


def _unicode(obj):
    """The text of *obj*'s ``str()``, without its tags."""
    return re.sub(r'<[^>]*>', '', str(obj)).strip()


def safe_id(s):
    s = s.replace(' ', '_').replace('#', '___')
    i, j = s.find('<'), s.rfind('>') + 1
    if i < 0 or j == 0 or j < i:
        return s
    return s[:i] + md5(s[i:j].encode()).hexdigest() + s[j:]


class SQLARadialGraph(ServerSideCallbackMixin):
    """A radial graph of *entities*' rows, loaded a node at a time."""

    entities = ()
    excluded_columns = ()
    show_relations = True
    show_empty_relations = True
    show_attributes = True
    imply_relations = True
    auto_labels = True
    depth = 3

    def __init__(self, *args, **kw):
        for key in PARAMS:
            if key in kw:
                setattr(self, key, kw.pop(key))
        super().__init__(*args, **kw)

    def urls(self, request, root_object):
        """``prepare``: the graph's ``base_url`` and the key of
        *root_object*, which the page's JavaScript asks first."""
        if type(root_object) not in self.entities:
            raise ValueError('Type of rootObject must be in entities')
        pkey = get_pkey(type(root_object))
        key = SEP.join(
            [type(root_object).__name__, _unicode(getattr(root_object, pkey))]
        )
        return {
            'base_url': self.url_for_callback(request, 'request'),
            'url_kw': {'key': key},
        }

    def _properties(self, obj):
        """``exclude_property`` over ``__mapper__.iterate_properties``."""
        props = {}
        if self.show_attributes:
            props.update((c, getattr(obj, c)) for c in type(obj).columns)
        if self.show_relations:
            props.update((r, getattr(obj, r)) for r in type(obj).relations)
        return {
            k: v for k, v in props.items() if k not in self.excluded_columns
        }

    def make_node_from_property(self, prefix, key, value, depth):
        node_id = safe_id(SEP.join([prefix, key, _unicode(value or '')]))
        children = []
        if type(value) in self.entities:
            result = self.make_node_from_object(value, depth, node_id)
            if self.auto_labels:
                result['name'] = f'{name2label(key)}:<br/>{result["name"]}'
            return result
        if not isinstance(value, list):
            name = f'{name2label(key)}:<br/>{value}'
        else:
            salt = SEP.join([*prefix.split(SEP)[-2:], key])
            node_id = SEP.join([prefix, key, md5(salt.encode()).hexdigest()])
            name = f'{name2label(key)} ({len(value)})'
            if depth < self.depth:
                children = [
                    self.make_node_from_object(o, depth + 1, node_id)
                    for o in value
                ]
        return {
            'id': safe_id(node_id),
            'name': name,
            'children': children,
            'data': {},
        }

    def make_node_from_object(self, obj, depth=0, prefix=''):
        node_id = safe_id(
            SEP.join(
                [
                    prefix,
                    type(obj).__name__,
                    _unicode(getattr(obj, get_pkey(type(obj)))),
                ]
            )
        )
        prefix = node_id
        children = []
        data = getattr(obj, '__jit_data__', dict)()
        costs = data.get('traversal_costs', {})
        if depth < self.depth:
            props = self._properties(obj)
            for k, v in list(props.items()):
                if not isinstance(v, list):
                    continue
                del props[k]
                cost = depth + costs.get(k, 1)
                if cost > self.depth or not (v or self.show_empty_relations):
                    continue
                if not self.imply_relations:
                    children.extend(
                        self.make_node_from_object(
                            item, cost, f'{prefix}{SEP}{k}{SEP}{i}'
                        )
                        for i, item in enumerate(v)
                    )
                else:
                    children.append(
                        self.make_node_from_property(prefix, k, v, cost)
                    )
            for k, v in props.items():
                cost = depth + costs.get(k, 1)
                if cost <= self.depth:
                    children.append(
                        self.make_node_from_property(prefix, k, v, cost)
                    )
        name = str(obj)
        if self.auto_labels:
            name = f'{name2label(type(obj).__name__)}:  {name}'
        return {
            'id': node_id,
            'name': name,
            'children': children,
            'data': data,
        }

    def _read_key(self, request):
        """The entity, the primary key and the relationship node the
        ``key`` parameter names (``Entity___pk`` or
        ``...___Entity___pk___relation___digest``)."""
        names = {x.__name__: x for x in self.entities}
        key = request.GET.get('key')
        if not key:
            entity = self.entities[0]
            first = entity.query.all()[:1]
            if not first:
                raise HTTPNotFound()
            return entity, getattr(first[0], get_pkey(entity)), None
        toks = key.split(SEP)
        entkey, pk = toks[-2:]
        relationship_node = None
        if entkey not in names and len(toks) >= 4:
            # Then this might be a 'relationship' node
            entkey, pk = toks[-4:-2]
            relationship_node = toks[-2]
        if entkey not in names:
            raise HTTPBadRequest('No such class in entities.')
        return names[entkey], pk, relationship_node

    @serverside_callback(renderer='json', request_method='GET')
    def request(self, request):
        entity, key, relationship_node = self._read_key(request)
        obj = next(
            (
                row
                for row in entity.query.all()
                if _unicode(getattr(row, get_pkey(entity))) == str(key)
            ),
            None,
        )
        if obj is None or (
            relationship_node is not None
            and relationship_node not in entity.relations
        ):
            raise HTTPNotFound()
        if relationship_node is None:
            return self.make_node_from_object(obj)
        json = self.make_node_from_property(
            SEP.join([entity.__name__, str(key)]),
            relationship_node,
            getattr(obj, relationship_node),
            0,
        )
        original_parent = self.make_node_from_object(
            obj, prefix=json['id'], depth=1
        )
        for child in original_parent['children']:
            if child['name'] == json['name']:
                original_parent['children'].remove(child)
                break
        json['children'].append(original_parent)
        return json
