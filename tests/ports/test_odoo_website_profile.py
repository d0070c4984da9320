"""Odoo's user profiles, ported (tests/ports/odoo_website_profile.py):
the avatar refused for an unknown field, the profile's access rules
(private, not enough karma, a 404), the edition as a JSON route for the
signed-in user, the badges, the ranking paged with its query kept, the
validation email's link redirecting on the site only."""

from datetime import date, timedelta

from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from tests.ports.odoo_auth_signup import redirect
from tests.ports.odoo_fakes import Record, make_env, page, render
from tests.ports.odoo_website_profile import WebsiteProfile
from tests.ports.policies import UserHeaderPolicy as Policy


class User(Record):
    SELF_WRITEABLE_FIELDS = ('name', 'email', 'website_published', 'city')

    def __eq__(self, other):
        return isinstance(other, User) and other.id == self.id

    __hash__ = Record.__hash__

    def _send_profile_validation_email(self, **kwargs):
        self.sent = kwargs

    def _process_profile_validation_token(self, token, email):
        return token == f'tok-{self.id}' and email == self.email


PUBLIC = User(id=None, karma=0, website_published=False, is_admin=False)


class Website:
    karma_profile_min = 5
    user_id = None  # the public user's id


def user(request):
    """``request.env.user``."""
    uid = request.authenticated_userid
    return request.env['res.users'].browse(int(uid)) if uid else PUBLIC


def make_app():
    env = make_env()
    env['res.users'].record_class = User
    for n, (karma, published) in enumerate(
        [(50, True), (3, True), (0, True), (90, False), (20, True)], 1
    ):
        env['res.users'].create({
            'name': f'User {n}', 'email': f'u{n}@example.com',
            'karma': karma, 'website_published': published,
            'company_name': 'Acme' if n % 2 else 'Initech',
            'rank': 'Bachelor', 'badge_ids': [1] * n, 'is_admin': n == 4,
            'karma_tracking': [(date.today() - timedelta(days=n * 5), n)],
            'avatar_256': f'avatar of {n}',
        })  # fmt: skip
    env['gamification.badge'].create({
        'name': 'Famous', 'website_published': True,
        'granted_users_count': 3, 'challenge_category': 'forum',
    })  # fmt: skip
    env['gamification.badge'].create({
        'name': 'Teacher', 'website_published': True,
        'granted_users_count': 9, 'challenge_category': 'slides',
    })  # fmt: skip
    env['gamification.karma.rank'].create({'name': 'Master', 'karma_min': 50})
    env['gamification.karma.rank'].create({'name': 'Newbie', 'karma_min': 0})
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_request_method(lambda r: env, 'env', reify=True)
    config.add_request_method(lambda r: Website(), 'website', reify=True)
    config.add_request_method(render, 'render')
    config.add_request_method(redirect, 'redirect')
    config.add_request_method(user, 'user', reify=True)
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.set_security_policy(Policy())
    config.add_controller(WebsiteProfile)
    return TestApp(config.make_wsgi_app()), env


def as_user(uid):
    return {'X-User': str(uid)}


def call(app, url, uid=None, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    headers = as_user(uid) if uid else {}
    return app.post_json(url, body, headers=headers).json


def test_an_avatar_for_an_unknown_field_is_refused_a_published_one_shown():
    app, _ = make_app()
    app.get('/profile/avatar/1?field=password', status=403)
    response = app.get('/profile/avatar/1')
    assert response.content_type == 'image/png'
    assert response.text == 'avatar of 1'
    assert response.headers['X-Size'] == '256x256'
    response = app.get('/profile/avatar/1?field=image_128&width=64&height=64')
    assert response.headers['X-Size'] == '64x64'
    # not published: the placeholder, but for the user himself
    assert app.get('/profile/avatar/4').text == 'placeholder'
    assert (
        app.get('/profile/avatar/4', headers=as_user(4)).text == 'avatar of 4'
    )
    app.get('/profile/avatar/x', status=404)


def test_a_profile_is_private_needs_karma_or_is_a_404():
    app, _ = make_app()
    template, values = page(app.get('/profile/user/4', headers=as_user(1)))
    assert template == 'website_profile.profile_access_denied'
    assert values['denial_reason'] == 'This profile is private!'
    # the owner sees his own private profile
    template, values = page(app.get('/profile/user/4', headers=as_user(4)))
    assert template == 'website_profile.user_profile_main'
    assert values['is_profile_page'] is True
    # the public visitor has no karma
    _, values = page(app.get('/profile/user/1'))
    assert values['denial_reason'].startswith('Not have enough karma')
    template, values = page(app.get('/profile/user/1', headers=as_user(5)))
    assert template == 'website_profile.user_profile_main'
    assert values['main_object'] == 'User 1'
    assert values['uid'] == 5
    app.get('/profile/user/99', headers=as_user(5), status=404)


def test_the_profile_edition_is_a_json_route_for_the_signed_in_user():
    app, env = make_app()
    reply = call(app, '/profile/user/save', name='Ann')
    assert reply['error']['code'] == -32001
    reply = call(
        app, '/profile/user/save', 5, name='Ann', karma=1000,
        website_published=False,
    )  # fmt: skip
    assert reply == {'jsonrpc': '2.0', 'id': 1, 'result': None}
    ann = env['res.users'].browse(5)
    assert (ann.name, ann.karma, ann.website_published) == ('Ann', 20, False)
    # another user's profile: only an admin, and not its privacy
    call(app, '/profile/user/save', 4, user_id=1, name='Bob',
         website_published=False)  # fmt: skip
    bob = env['res.users'].browse(1)
    assert (bob.name, bob.website_published) == ('Bob', True)
    call(app, '/profile/user/save', 5, user_id=1, name='Eve')
    assert env['res.users'].browse(1).name == 'Bob'
    app.get('/profile/user/save', status=405)


def test_the_badges_by_popularity_and_ranks_unless_a_category():
    app, _ = make_app()
    _, values = page(app.get('/profile/ranks_badges'))
    assert values['badges'] == ['Teacher', 'Famous']
    assert values['ranks'] == ['Master', 'Newbie']
    assert values['is_public_user'] is True
    _, values = page(app.get('/profile/ranks_badges?badge_category=forum'))
    assert (values['badges'], values['ranks']) == (['Famous'], [])


def test_the_ranking_pages_keep_the_query():
    app, env = make_app()
    _, values = page(app.get('/profile/users'))
    assert [u['name'] for u in values['top3_users']] == [
        'User 1', 'User 5', 'User 2'
    ]  # fmt: skip
    assert [u['position'] for u in values['users']] == [1, 2, 3]
    assert values['my_user'] is False
    _, values = page(app.get('/profile/users?search=initech'))
    assert values['top3_users'] == []
    assert [u['name'] for u in values['users']] == ['User 2']
    assert values['pager']['page']['url'] == '/profile/users?search=initech'
    _, values = page(app.get('/profile/users?search=nobody'))
    assert values['pager'] == {'page_count': 0}
    for n in range(40):
        env['res.users'].create({
            'name': f'Many {n}', 'karma': 100 + n, 'website_published': True,
            'company_name': '', 'rank': '', 'badge_ids': [],
            'karma_tracking': [],
        })  # fmt: skip
    _, values = page(app.get('/profile/users/page/2?group_by=week'))
    assert values['group_by'] == 'week'
    assert values['top3_users'] == []
    assert (
        values['pager']['page']['url'] == '/profile/users/page/2?group_by=week'
    )
    assert {u['name'] for u in values['users']} >= {'User 1', 'User 2'}
    # a signed-in user ranked on another page sees his own position
    _, values = page(app.get('/profile/users', headers=as_user(2)))
    assert values['my_user']['name'] == 'User 2'
    assert values['my_user']['position'] == 43
    _, values = page(app.get('/profile/users?group_by=month',
                             headers=as_user(2)))  # fmt: skip
    assert values['my_user']['karma_gain'] == 2


def test_the_validation_email_and_its_link():
    app, env = make_app()
    assert (
        call(app, '/profile/send_validation_email', 2, x=1)['result'] is True
    )
    assert env['res.users'].browse(2).sent == {'x': 1}
    # the link: required parameters, a redirect on the site only
    app.get('/profile/validate_email?token=t', status=400)
    response = app.get(
        '/profile/validate_email',
        {'token': 'tok-2', 'user_id': '2', 'email': 'u2@example.com',
         'redirect_url': 'https://evil.example/profile/user/2'},
    )  # fmt: skip
    assert response.status_int == 303
    assert response.location == 'http://localhost/profile/user/2'
    _, values = page(app.get('/profile/user/2', headers=as_user(2)))
    assert values['validation_email_done'] is True
    assert values['validation_email_sent'] is True
    assert call(app, '/profile/validate_email/close')['result'] is True
    _, values = page(app.get('/profile/user/2', headers=as_user(2)))
    assert values['validation_email_done'] is False
