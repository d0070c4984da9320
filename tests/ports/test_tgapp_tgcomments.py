"""tgapp-tgcomments 0.2.6, ported (tests/ports/tgapp_tgcomments.py): what
a visitor, a user and a manager see of its controller."""

from dataclasses import dataclass

import pytest
from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.exceptions import ConfigurationError
from pyramid.security import Allowed
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.ports.tgapp_tgcomments import (
    FakeCommentEntity,
    comments_for,
    plugme,
)


@dataclass
class User:
    uid: int
    user_name: str
    display_name: str
    email_address: str


USERS = {
    'mario': User(1, 'mario', 'Mario Rossi', 'mario@x.it'),
    'luigi': User(2, 'luigi', 'Luigi', 'luigi@x.it'),
}


class Policy:
    """``request.identity``: ``X-User`` names the user, ``X-Groups`` its
    groups, ``X-Permissions`` its permissions."""

    def identity(self, request):
        user = USERS.get(request.headers.get('X-User'))
        if user is None:
            return None
        return {
            'user': user,
            'groups': request.headers.get('X-Groups', '').split(),
            'permissions': request.headers.get('X-Permissions', '').split(),
        }

    def authenticated_userid(self, request):
        identity = self.identity(request)
        return identity and identity['user'].user_name

    def permits(self, request, context, permission):
        return Allowed('ok')


class Movie:
    records = {}

    def __init__(self, uid):
        self.uid = uid


class Page(FakeCommentEntity):
    pass


Movie.records['1'] = Movie('1')
MARIO = {'X-User': 'mario'}
MANAGER = {'X-User': 'luigi', 'X-Groups': 'tgcmanager'}
REFERER = {'Referer': 'http://localhost/movie/1'}


def make_app(setup=None, **opts):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(Policy())

    def movie(request):
        entity = Movie.records[request.matchdict['uid']]
        return {
            'comments': comments_for(request, entity),
            'flash': request.session.pop_flash('ok')
            + request.session.pop_flash('error')
            + request.session.pop_flash('warning'),
            'csrf_token': get_csrf_token(request),
        }

    config.add_route('movie', '/movie/{uid}')
    config.add_view(movie, route_name='movie', renderer='json')
    plugme(config, models=[Movie, Page], **opts)
    if setup is not None:
        setup(config)
    return TestApp(pyramid_hooks.make_wsgi_app(config))


def post_comment(app, headers=None, **values):
    page = app.get('/movie/1', headers=headers)
    form = {'entity_type': 'Movie', 'entity_id': '1', 'body': 'Nice'}
    form.update(values, csrf_token=page.json['csrf_token'])
    resp = app.post(
        '/tgcomments/new', form, headers={**REFERER, **(headers or {})}
    )
    assert resp.location == 'http://localhost/movie/1'
    return resp.follow(headers=headers).json


def test_anonymous_comment_with_name_and_email():
    page = post_comment(make_app(), author='Anna', email='anna@x.it')
    assert page['flash'] == ['Comment Added']
    (comment,) = page['comments']['comments']
    assert comment['author'] == 'Anna'
    assert comment['pic'].startswith('http://www.gravatar.com/avatar/')


def test_anonymous_comment_without_email_is_refused():
    page = post_comment(make_app(), author='Anna')
    assert page['flash'] == [
        'A name and an email are required in order to comment'
    ]
    assert page['comments']['comments'] == []


def test_user_comment_and_the_hooks():
    seen = []

    def setup(config):
        config.register_hook(
            'tgcomments.before_add',
            lambda entity, user, kw: seen.append((entity.uid, user.uid)),
        )
        config.register_hook(
            'tgcomments.after_add', lambda c: seen.append(c.body)
        )

    page = post_comment(make_app(setup), headers=MARIO, body='Great')
    assert page['comments']['comments'][0]['author'] == 'Mario Rossi'
    assert seen == [('1', 1), 'Great']


def test_a_listener_of_the_wrong_signature_stops_the_start():
    def setup(config):
        config.register_hook('tgcomments.after_add', lambda c, extra: None)

    with pytest.raises(ConfigurationError, match='listener\\(comment\\)'):
        make_app(setup)


def test_missing_body_runs_the_plain_method_error_handler():
    page = post_comment(make_app(), headers=MARIO, body='')
    assert page['flash'] == ['Please provide comment details']


def test_comment_on_unknown_entity():
    app = make_app()
    assert post_comment(app, headers=MARIO, entity_type='Nope')['flash'] == [
        'Failed to post comment'
    ]
    assert post_comment(app, headers=MARIO, entity_id='9')['flash'] == [
        'Failed to post comment'
    ]


def test_fake_entity_takes_any_id():
    app = make_app()
    page = post_comment(app, headers=MARIO, entity_type='Page', entity_id='77')
    assert page['flash'] == ['Comment Added']


def test_post_without_csrf_token_is_refused():
    make_app().post(
        '/tgcomments/new',
        {'entity_type': 'Movie', 'entity_id': '1', 'body': 'x'},
        status=400,
    )


def test_hide_and_delete_are_for_managers():
    app = make_app()
    post_comment(app, headers=MARIO)
    app.get('/tgcomments/hide?comment=1', status=403)
    app.get('/tgcomments/hide/1', headers=MARIO, status=403)
    app.get('/tgcomments/delete/1', headers=MARIO, status=403)
    by_permission = {'X-User': 'mario', 'X-Permissions': 'tgcomments-manage'}
    app.get('/tgcomments/hide/1', headers={**by_permission, **REFERER})
    # hidden: gone for users, shown to managers
    page = app.get('/movie/1', headers=MARIO).json
    assert page['flash'] == ['Comment Hidden']
    assert page['comments']['comments'] == []
    page = app.get('/movie/1', headers=MANAGER).json
    assert page['comments']['comments'][0]['hidden'] is True
    app.get('/tgcomments/hide?comment=1', headers=MANAGER)
    assert app.get('/movie/1', headers=MANAGER).json['flash'] == [
        'Comment Displayed'
    ]
    app.get('/tgcomments/delete/1', headers=MANAGER)
    assert (
        app.get('/movie/1', headers=MANAGER).json['comments']['comments'] == []
    )


def test_hide_unknown_comment_is_404():
    app = make_app()
    app.get('/tgcomments/hide/9', headers=MANAGER, status=404)
    app.get('/tgcomments/hide?comment=x', headers=MANAGER, status=404)


def test_vote():
    app = make_app(votes_range=(-1, 2))
    post_comment(app, headers=MARIO)
    app.get('/tgcomments/vote/1/1', status=403)  # not_anonymous
    app.get('/tgcomments/vote/1/x', headers=MARIO, status=404)
    app.get('/tgcomments/vote?comment=5&value=1', headers=MARIO, status=404)
    app.get('/tgcomments/vote/1/9', headers=MARIO)
    page = app.get('/movie/1', headers=MARIO).json
    assert page['flash'] == ['Thanks for your vote!']
    assert page['comments']['comments'][0]['rank'] == 2  # clamped
    app.get('/tgcomments/vote?comment=1&value=2', headers=MARIO)
    assert app.get('/movie/1').json['flash'] == ['Already voted this comment']
    app.get('/tgcomments/vote/1/-1', headers=MARIO)
    page = app.get('/movie/1', headers=MANAGER).json
    assert page['flash'] == ['Vote updated']
    assert page['comments']['comments'][0]['rank'] == -1
