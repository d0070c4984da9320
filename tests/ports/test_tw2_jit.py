"""tw2.jit 2.0.5's ``SQLARadialGraph``, server side, ported
(tests/ports/tw2_jit.py): the nodes its JavaScript loads on demand, over
dict-backed entities."""

from hashlib import md5

import pytest
from pyramid.config import Configurator
from webtest import TestApp

from pyramid_hooks import always_allow
from tests.ports.sqla_fakes import Query
from tests.ports.tw2_jit import SEP, SQLARadialGraph


class Person:
    columns = ('id', 'name')
    relations = ('pets',)
    primary_key = 'id'
    query = None

    def __init__(self, name):
        self.name = name
        self.pets = []

    def __str__(self):
        return f'<b>{self.name}</b>'


class Pet:
    columns = ('id', 'name')
    relations = ('owner',)
    primary_key = 'id'
    query = None

    def __init__(self, name, owner):
        self.name = name
        self.owner = owner
        owner.pets.append(self)

    def __str__(self):
        return self.name

    def __jit_data__(self):
        return {'traversal_costs': {'owner': 2}}


def make_app(**params):
    Person.query, Pet.query = Query(), Query()
    alice = Person('Alice')
    Person.query.add(alice)
    Person.query.add(Person('Bob'))
    Pet.query.add(Pet('Rex', alice))
    graph = SQLARadialGraph(
        id='graph',
        entities=[Person, Pet],
        callback_authorization=always_allow,
        **params,
    )
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(graph)
    config.add_route('page', '/page')
    config.add_view(
        lambda request: graph.urls(request, Person.query.get(1)),
        route_name='page',
        renderer='json',
    )
    return TestApp(config.make_wsgi_app())


def test_page_gives_base_url_and_root_key():
    page = make_app().get('/page').json
    assert page == {
        'base_url': '/_widgets/graph/request',
        'url_kw': {'key': 'Person___1'},
    }


def test_root_object_outside_entities_is_refused():
    graph = SQLARadialGraph(id='g', entities=[Pet])
    with pytest.raises(ValueError, match='must be in entities'):
        graph.urls(None, Person('x'))


def node(app, key=None, status=200):
    params = {} if key is None else {'key': key}
    response = app.get('/_widgets/graph/request', params, status=status)
    return response.json if status == 200 else response.text


def test_the_root_node_and_its_relations():
    app = make_app()
    root = node(app, 'Person___1')
    assert root['id'] == SEP + 'Person___1'
    assert root['name'] == 'Person:  <b>Alice</b>'
    names = [child['name'] for child in root['children']]
    assert names == ['Pets (1)', 'Id:<br/>1', 'Name:<br/>Alice']
    (rex,) = root['children'][0]['children']
    assert rex['name'] == 'Pet:  Rex'
    assert rex['data'] == {'traversal_costs': {'owner': 2}}
    # the owner costs 2: depth 1 + 2 > 3, so Rex's node stops there
    assert [c['name'] for c in rex['children']] == [
        'Id:<br/>1',
        'Name:<br/>Rex',
    ]
    assert node(app) == root  # no key: the first entity's first row


def test_tags_in_ids_are_hashed():
    salt = SEP.join(['Person', '1', 'pets'])
    pets = node(make_app(), 'Person___1')['children'][0]
    assert pets['id'] == SEP.join(
        ['___Person___1', 'pets', md5(salt.encode()).hexdigest()]
    )


def test_a_relationship_node():
    app = make_app()
    pets = node(app, 'Person___1')['children'][0]
    answer = node(app, pets['id'])
    assert answer['name'] == 'Pets (1)'
    assert [c['name'] for c in answer['children']] == [
        'Pet:  Rex',
        'Person:  <b>Alice</b>',
    ]
    # the parent, without its own relation node, under the relation
    parent = answer['children'][1]
    assert 'Pets (1)' not in [c['name'] for c in parent['children']]


def test_params_of_the_widget():
    app = make_app(imply_relations=False, excluded_columns=['id'])
    root = node(app, 'Person___1')
    assert [c['name'] for c in root['children']] == [
        'Pet:  Rex',
        'Name:<br/>Alice',
    ]
    app = make_app(show_empty_relations=False, auto_labels=False)
    assert node(app, 'Person___2')['children'][0]['name'] == 'Id:<br/>2'
    app = make_app(show_relations=False, show_attributes=False, depth=0)
    assert node(app, 'Pet___1')['children'] == []


def test_keys_it_cannot_serve():
    app = make_app()
    node(app, 'Nope___1', status=400)
    node(app, 'Person___9', status=404)
    node(app, 'Person___1___nope___x', status=404)
    Person.query.rows.clear()
    node(app, status=404)
