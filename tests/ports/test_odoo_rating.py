"""Odoo's rating controller, ported (tests/ports/odoo_rating.py): a
customer rates from the link of a mail, then posts a comment; the
deprecated ``/rating`` URLs with their old rates."""

import json

import pytest
from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from tests.ports.odoo_fakes import Env, Model, Record
from tests.ports.odoo_rating import Rating


class Task(Record):
    def rating_apply(self, rate, token=None, feedback=None):
        self.applied.append((rate, token, feedback))


class Tasks(Model):
    record_class = Task


def qweb(info):
    """A QWeb stand-in: the template, its values, the language and the
    form's CSRF token, as JSON."""
    template = info.name[: -len('.qweb')]

    def render(values, system):
        request = system['request']
        return json.dumps(
            {
                'template': template,
                'values': values,
                'lang': request.locale_name,
                'csrf_token': get_csrf_token(request),
            },
            default=str,
            sort_keys=True,
        )

    return render


def make_app():
    env = Env()
    env['project.task'] = Tasks('project.task')
    env['project.task'].create({'name': 'Fix the roof', 'applied': []})
    partners = env['res.partner']
    fr = partners.create({'name': 'Ann', 'lang': 'fr'})
    nolang = partners.create({'name': 'Bob', 'lang': False})
    ratings = env['rating.rating']
    for token, partner in (('TOK', fr), ('TOK2', nolang)):
        ratings.create({
            'access_token': token, 'partner_id': partner,
            'res_model': 'project.task', 'res_id': 1, 'rating': 0,
            'consumed': False,
        })  # fmt: skip
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.add_renderer('.qweb', qweb)
    config.add_request_method(lambda r: env, 'env', reify=True)
    config.add_controller(Rating)
    return TestApp(config.make_wsgi_app()), env


def page(response):
    return json.loads(response.text)


def test_the_rating_link_records_the_rate_and_shows_the_form():
    app, env = make_app()
    response = app.get('/rate/TOK/3')
    assert response.content_type == 'text/html'
    body = page(response)
    assert body['template'] == 'rating.rating_external_page_submit'
    assert (body['values']['rate'], body['values']['token']) == (3, 'TOK')
    assert body['lang'] == 'fr'  # the partner's language
    rating = env['rating.rating'].browse(1)
    assert (rating.rating, rating.consumed) == (3, True)
    # no language: the request's
    assert page(app.get('/rate/TOK2/5'))['lang'] == 'en'
    # a rate Odoo asserts against; an unknown token; not a number
    app.get('/rate/TOK/4', status=400)
    app.get('/rate/NOPE/3', status=404)
    app.get('/rate/TOK/x', status=404)


def test_the_feedback_is_posted_with_the_forms_token():
    app, env = make_app()
    token = page(app.get('/rate/TOK/5'))['csrf_token']
    response = app.post(
        '/rate/TOK/submit_feedback',
        {'rate': '5', 'feedback': 'Great', 'csrf_token': token},
    )
    body = page(response)
    assert body['template'] == 'rating.rating_external_page_view'
    assert body['values']['web_base_url'] == 'http://localhost'
    assert env['project.task'].browse(1).applied == [(5, 'TOK', 'Great')]
    # a rate given twice: the first, as in Odoo
    app.post(
        '/rate/TOK/submit_feedback?rate=1',
        {'rate': '3', 'csrf_token': token},
    )
    assert env['project.task'].browse(1).applied[-1] == (1, 'TOK', None)
    # methods=['post']: a GET is a 405; without the token, a 400
    response = app.get('/rate/TOK/submit_feedback', status=405)
    assert response.headers['Allow'] == 'POST'
    app.post('/rate/TOK/submit_feedback', {'rate': '5'}, status=400)
    post = {'rate': '4', 'csrf_token': token}
    app.post('/rate/TOK/submit_feedback', post, status=400)
    post = {'rate': '5', 'csrf_token': token}
    app.post('/rate/NOPE/submit_feedback', post, status=404)
    # no rate: int(None), as in Odoo
    with pytest.raises(TypeError):
        app.post('/rate/TOK/submit_feedback', {'csrf_token': token})


def test_the_deprecated_rating_urls():
    app, env = make_app()
    # 10 (the old "satisfied") is the new 5
    body = page(app.get('/rating/TOK/10'))
    assert body['values']['rate'] == 5
    assert env['rating.rating'].browse(1).rating == 5
    app.get('/rating/TOK/3', status=400)
    token = body['csrf_token']
    post = {'rate': '3', 'csrf_token': token}
    app.post('/rating/TOK/submit_feedback', post, status=400)
    # Odoo's MAPPED_RATES.gate(rate): every valid post fails
    with pytest.raises(AttributeError):
        app.post(
            '/rating/TOK/submit_feedback', {'rate': '10', 'csrf_token': token}
        )
