"""tw2.sqla 2.1.0's ``DbFormPage`` with ``DbSingleSelectField`` and
``DbCheckBoxList``, ported (tests/ports/tw2_sqla.py), over dict-backed
entities: the options are the records of the moment, the posted keys
become records, the page edits or creates a record."""

import re

from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import always_allow
from tests.ports.sqla_fakes import Query
from tests.ports.tw2_sqla import (
    DbCheckBoxList,
    DbFormPage,
    DbSingleSelectField,
    TextField,
)


class Entity:
    primary_key = 'id'
    primary_key_type = int

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        cls.query = Query()

    @classmethod
    def create(cls, **values):
        record = cls()
        record.__dict__.update(values)
        cls.query.add(record)
        return record

    def __str__(self):
        return self.name


class Director(Entity):
    pass


class Genre(Entity):
    pass


class Movie(Entity):
    title = director = None
    genres = ()


class MovieForm(DbFormPage):
    entity = Movie
    children = [
        TextField('title', required=True),
        DbSingleSelectField('director', entity=Director, required=True),
        DbCheckBoxList('genres', entity=Genre),
    ]


def make_app(**kw):
    for entity in (Director, Genre, Movie):
        entity.query = Query()
    Director.create(name='Kubrick')
    Director.create(name='Varda')
    Genre.create(name='Drama')
    Genre.create(name='Sci-fi')
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    page = MovieForm(id='movie_form', callback_authorization=always_allow)
    for name, value in kw.items():
        setattr(page, name, value)
    config.add_widget(page)
    return TestApp(config.make_wsgi_app())


URL = '/_widgets/movie_form/request'


def post(app, query='', **fields):
    form = app.get(URL + query)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)[1]
    return app.post(URL + query, {'csrf_token': token, **fields}, **{
        'status': '*'})  # fmt: skip


def test_the_title_comes_from_the_entity():
    assert MovieForm.title == 'Movie'
    page = make_app().get(URL)
    assert '<title>Movie</title>' in page.text


def test_the_options_are_the_records_of_the_moment():
    app = make_app()
    page = app.get(URL).text
    assert '<option value="1">Kubrick</option>' in page
    assert '<option value="2">Varda</option>' in page
    assert page.count('type="checkbox"') == 2
    Director.create(name='Kurosawa <& co>')
    page = app.get(URL).text
    assert '<option value="3">Kurosawa &lt;&amp; co&gt;</option>' in page


def test_post_creates_a_record_of_related_records():
    app = make_app()
    reply = post(app, title='Cleo', director='2', genres=['1', '2', '9'])
    assert reply.text == 'Form posted successfully'
    movie = Movie.query.get(1)
    assert movie.title == 'Cleo'
    assert movie.director is Director.query.get(2)
    # an id naming no record is dropped, as tw2's safe_validate drops it
    assert [g.name for g in movie.genres] == ['Drama', 'Sci-fi']


def test_the_query_string_key_edits_a_record():
    app = make_app()
    post(app, title='Cleo', director='2')
    page = app.get(URL + '?id=1').text
    assert 'value="Cleo"' in page
    assert '<option value="2" selected="selected">Varda</option>' in page
    post(app, '?id=1', title='Cleo from 5 to 7', director='2')
    assert len(Movie.query.rows) == 1
    assert Movie.query.get(1).title == 'Cleo from 5 to 7'


def test_a_missing_or_unknown_related_record_is_redisplayed():
    app = make_app()
    reply = post(app, title='', director='7')
    assert reply.status_int == 200
    assert 'No related object found' in reply.text
    assert 'Enter a value' in reply.text
    assert '<option value="7"' not in reply.text
    reply = post(app, title='x', director='')
    assert 'Enter a value' in reply.text
    reply = post(app, title='x', director='one')
    assert 'No related object found' in reply.text
    assert Movie.query.rows == {}


def test_a_post_for_a_record_that_is_gone_is_a_404():
    app = make_app()
    assert post(app, '?id=5', title='x', director='1').status_int == 404
    assert post(app, '?id=x', title='x', director='1').status_int == 404
    assert Movie.query.rows == {}


def test_redirect_after_post():
    app = make_app(redirect='/movies')
    reply = post(app, title='Dr. Strangelove', director='1')
    assert reply.status_int == 302
    assert reply.location.endswith('/movies')


def test_a_post_without_the_csrf_token_is_refused():
    app = make_app()
    reply = app.post(URL, {'title': 'x', 'director': '1'}, status=400)
    assert reply.status_int == 400
    assert Movie.query.rows == {}
