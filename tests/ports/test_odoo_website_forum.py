"""Odoo's forum controller, ported (tests/ports/odoo_website_forum.py):
the pages of the forums, questions and tags, karma checks answering
404, JSON votes, favourites and flags, ``AccessError`` on a JSON and on
an http route, a handler answering with another handler's page."""

import json

from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.response import Response
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.ports.odoo_fakes import AccessError, Env, Model, Record, page
from tests.ports.odoo_website_forum import WebsiteForum
from tests.ports.policies import UserHeaderPolicy as Policy

MODERATE = 50


class Forum(Record):
    def has_pending_post(self, user):
        return user.karma < self.karma_post and any(
            p.state == 'pending' and p.create_uid == user.id
            for p in self.env['forum.post'].records.values()
        )

    def _tag_to_write_vals(self, request, names):
        tags = request.env['forum.tag']
        ids = []
        for name in names:
            found = tags.search(
                [('forum_id', '=', self.id), ('name', '=', name)]
            )
            tag = (
                found[0]
                if found
                else tags.create(
                    {'name': name, 'forum_id': self.id, 'posts_count': 0}
                )
            )
            tag.posts_count += 1
            ids.append(tag.id)
        return ids


class Post(Record):
    def can_view(self, user):
        return self.author_karma >= 0 or user.karma >= MODERATE

    def vote(self, user, upvote=True):
        current = self.votes.get(user.id, 0)
        new = (
            (1 if current == 0 else 0)
            if upvote
            else (-1 if current == 0 else 0)
        )
        self.votes = {**self.votes, user.id: new}
        return {'vote_count': sum(self.votes.values()), 'user_vote': new}

    def close(self, user, reason_id):
        self.state, self.closed_reason_id = 'close', reason_id

    def validate(self, user):
        self.state = 'active'

    def refuse(self, user):
        self.state = 'refused'

    def flag(self, user):
        self.state = 'flagged'
        return [{'success': 'post_flagged'}]


class Posts(Model):
    record_class = Post

    def create(self, values):
        defaults = {
            'state': 'active', 'active': True, 'child_ids': [],
            'favourite_ids': [], 'followers': set(), 'votes': {},
            'is_correct': False, 'messages': [], 'views': 0,
            'author_karma': 1, 'tag_ids': [], 'parent_id': False,
            'create_date': len(self.records),
        }  # fmt: skip
        return super().create({**defaults, **values})


class Forums(Model):
    record_class = Forum


def make_env():
    env = Env()
    env['forum.post'] = Posts('forum.post')
    env['forum.forum'] = Forums('forum.forum')
    forum = env['forum.forum'].create({
        'name': 'Help', 'active': True, 'karma_post': 10,
        'karma_moderate': MODERATE, 'default_order': 'name',
    })  # fmt: skip
    forum.env = env
    users = env['res.users']
    users.create({'name': 'Ann', 'karma': 5, 'email': 'ann@example.com'})
    users.create({'name': 'Mod', 'karma': 100, 'email': 'mod@example.com'})
    users.create({'name': 'Bob', 'karma': 20, 'email': ''})
    posts = env['forum.post']
    question = posts.create(
        {'name': 'How to port?', 'forum_id': 1, 'create_uid': 1}
    )
    answer = posts.create(
        {'name': 'Re: How', 'forum_id': 1, 'create_uid': 2, 'parent_id': 1}
    )
    question.child_ids = [answer.id]
    posts.create({'name': 'Pending', 'forum_id': 1, 'create_uid': 1,
                  'state': 'pending'})  # fmt: skip
    posts.create({'name': 'Spam', 'forum_id': 1, 'create_uid': 3,
                  'author_karma': -10})  # fmt: skip
    tags = env['forum.tag']
    for name, count in [('pyramid', 2), ('odoo', 1), ('zope', 0)]:
        tags.create({'name': name, 'forum_id': 1, 'posts_count': count})
    question.tag_ids = [1, 2]
    for kind in ('basic', 'offensive'):
        env['forum.post.reason'].create(
            {'name': kind.title(), 'reason_type': kind}
        )
    return env


ANONYMOUS = Record(id=None, karma=0, email=None, name='Public')


def user(request):
    """``request.env.user``."""
    uid = request.authenticated_userid
    return request.env['res.users'].browse(int(uid)) if uid else ANONYMOUS


def access_error(exc, request):
    """Odoo answers an ``AccessError`` of an http route with a 403 page."""
    return Response(exc.args[0], status=403)


class Token(Controller):
    @route('/token', auth='public')
    def token(self):
        return get_csrf_token(self.request)


def make_app():
    env = make_env()
    settings = {
        'hooks.controllers.expose_errors': 'tests.ports.odoo_fakes.AccessError'
    }
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_fakes.include_model_converter')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.set_security_policy(Policy())
    config.registry.odoo_env = env
    config.add_request_method(user, 'user', reify=True)
    config.add_exception_view(access_error, context=AccessError)
    config.add_controller(WebsiteForum)
    config.add_controller(Token)
    return TestApp(config.make_wsgi_app()), env


def as_user(uid):
    return {'X-User': str(uid)}


def call(app, url, uid, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post_json(url, body, headers=as_user(uid)).json


def test_one_forum_is_a_redirect_to_it_many_are_a_list():
    app, env = make_app()
    assert app.get('/forum', status=302).location.endswith('/forum/help-1')
    env['forum.forum'].create({'name': 'Other', 'active': True})
    template, values = page(app.get('/forum'))
    assert template == 'website_forum.forum_all'
    assert values['forums'] == ['Help', 'Other']


def test_the_questions_of_a_forum_a_tag_and_all_forums_with_their_pager():
    app, _env = make_app()
    template, values = page(app.get('/forum/help-1'))
    assert template == 'website_forum.forum_index'
    assert values['question_ids'] == ['How to port?', 'Spam']
    assert values['main_object'] == 'Help'
    assert values['pager']['page']['url'] == (
        '/forum/help-1?sorting=name&filters=all'
    )
    _t, values = page(app.get('/forum/1/tag/odoo-2/questions?search=port'))
    assert values['question_ids'] == ['How to port?']
    assert values['pager']['page']['url'] == (
        '/forum/help-1/tag/odoo-2/questions'
        '?sorting=name&filters=all&search=port'
    )
    _t, values = page(app.get('/forum/all/page/1?filters=unanswered'))
    assert values['question_ids'] == ['Spam']
    assert 'main_object' not in values
    # an order Odoo cannot read is dropped for the forum's
    _t, values = page(app.get('/forum/1?sorting=password'))
    assert values['sorting'] == 'name'
    # a page that is not a number, a forum that does not exist
    app.get('/forum/1/page/two', status=404)
    app.get('/forum/help-9', status=404)


def test_the_tags_by_first_letter_and_bad_values_refused():
    app, _env = make_app()
    template, values = page(app.get('/forum/1/tag'))
    assert template == 'website_forum.forum_index_tags'
    assert values['tags'] == ['odoo', 'pyramid']  # used ones, by name
    assert values['pager_tag_chars'] == [['All', ''], ['O', 'o'], ['P', 'p']]
    _t, values = page(app.get('/forum/1/tag/P'))
    assert (values['tags'], values['active_char_tag']) == (['pyramid'], 'p')
    _t, values = page(app.get('/forum/1/tag?filters=unused'))
    assert values['tags'] == ['zope']
    response = app.get('/forum/1/tag/42', status=400)
    assert 'Bad "tag_char" value "42"' in response.text
    # repeated in the query, a field is a list: refused by Odoo's check
    app.get('/forum/1/tag?tag_char=a&tag_char=b', status=400)
    app.get('/forum/1/tag?filters=all&filters=unused', status=400)


def test_the_tags_as_json_for_the_editor():
    app, _env = make_app()
    response = app.get('/forum/get_tags?forum_id=1&query=p')
    assert response.content_type == 'application/json'
    assert response.json == [{'id': 1, 'name': 'pyramid'}]
    app.get('/forum/get_tags', status=400)  # forum_id is required
    app.post('/forum/get_tags?forum_id=1', status=405)  # GET only


def test_a_question_its_answer_and_what_karma_hides():
    app, env = make_app()
    template, values = page(app.get('/forum/help-1/how-to-port-1'))
    assert template == 'website_forum.post_description_full'
    assert values['question'] == 'How to port?'
    assert env['forum.post'].browse(1).views == 1
    # an answer's URL is its question's, for good
    response = app.get('/forum/1/2', status=301)
    assert response.location.endswith('/forum/help-1/how-to-port-1')
    # a pending post: its author and moderators only
    app.get('/forum/1/3', status=404)
    app.get('/forum/1/3', headers=as_user(1))
    app.get('/forum/1/3', headers=as_user(2))
    # an abuser's post: moderators only
    app.get('/forum/1/4', headers=as_user(3), status=404)
    app.get('/forum/1/4', headers=as_user(2))
    # the old URLs
    response = app.get('/forum/1/question/1', status=301)
    assert response.location.endswith('/forum/help-1/how-to-port-1')
    # a closed forum shows its header only
    env['forum.forum'].browse(1).active = False
    template, _values = page(app.get('/forum/1/1'))
    assert template == 'website_forum.header'


def test_asking_needs_a_user_with_an_email_and_a_title_or_content():
    app, env = make_app()
    app.get('/forum/1/ask', status=403)  # auth='user'
    response = app.get('/forum/1/ask', headers=as_user(3), status=303)
    assert response.location == (
        'http://localhost/forum/user/3?forum_id=1&forum_origin=/forum/1/ask'
    )
    template, _v = page(app.get('/forum/1/ask', headers=as_user(1)))
    assert template == 'website_forum.new_question'
    token = app.get('/token').text
    form = {'csrf_token': token, 'post_name': 'Why?', 'content': '<p>x</p>',
            'post_tags': 'pyramid,new'}  # fmt: skip
    # Ann (karma 5 < 10) has a pending post: back to the form
    response = app.post('/forum/1/new', form, headers=as_user(1), status=303)
    assert response.location.endswith('/forum/help-1/ask')
    response = app.post('/forum/1/new', form, headers=as_user(2), status=303)
    assert response.location == 'http://localhost/forum/help-1/5'
    question = env['forum.post'].browse(5)
    assert [env['forum.tag'].browse(t).name for t in question.tag_ids] == [
        'pyramid',
        'new',
    ]
    # a reply
    response = app.post(
        '/forum/1/how-to-port-1/reply',
        {'csrf_token': token, 'content': 'Like this'},
        headers=as_user(2),
        status=303,
    )
    assert response.location.endswith('/forum/help-1/how-to-port-1')
    assert env['forum.post'].browse(6).name == 'Re: How to port?'
    # an empty one
    template, values = page(
        app.post(
            '/forum/1/1/reply',
            {'csrf_token': token, 'content': ' '},
            headers=as_user(2),
        )
    )
    assert values['status_message'] == 'Reply should not be empty.'
    # without the token: Pyramid's CSRF check
    app.post('/forum/1/new', {'content': 'x'}, headers=as_user(2), status=400)


def test_a_comment_is_escaped_and_leads_back_to_the_question():
    app, env = make_app()
    token = app.get('/token').text
    response = app.post(
        '/forum/1/post/2/comment',
        {'csrf_token': token, 'comment': '<b>hi</b>'},
        headers=as_user(1),
        status=303,
    )
    assert response.location.endswith('/forum/help-1/how-to-port-1')
    assert env['forum.post'].browse(2).messages == [
        '<p>&lt;b&gt;hi&lt;/b&gt;</p>'
    ]


def test_json_votes_favourites_and_the_accepted_answer():
    app, env = make_app()
    question = env['forum.post'].browse(1)
    assert call(app, '/forum/1/post/1/upvote', 1) == {
        'result': {'error': 'own_post'},
        'jsonrpc': '2.0',
        'id': 1,
    }
    result = call(app, '/forum/1/post/1/upvote', 2)['result']
    assert result == {'vote_count': 1, 'user_vote': 1}
    result = call(app, '/forum/1/post/1/upvote', 2)['result']
    assert result == {'vote_count': 0, 'user_vote': 0}  # undone
    result = call(app, '/forum/1/post/1/downvote', 3)['result']
    assert result == {'vote_count': -1, 'user_vote': -1}
    url = '/forum/1/question/1/toggle_favourite'
    assert call(app, url, 2)['result'] is True
    assert (question.favourite_ids, question.followers) == ([2], {2})
    assert call(app, url, 2)['result'] is False
    assert question.followers == {2}  # still following
    assert call(app, '/forum/1/post/2/toggle_correct', 1)['result'] is True
    assert env['forum.post'].browse(2).is_correct is True
    assert call(app, '/forum/1/post/2/toggle_correct', 2)['result'] == {
        'error': 'own_post'
    }
    # auth='user' without a user
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': {}, 'id': 1}
    assert app.post_json(url, body).json['error']['code'] == -32001


def test_the_moderation_queues_answer_404_below_the_karma():
    app, env = make_app()
    app.get('/forum/1/validation_queue', headers=as_user(1), status=404)
    template, values = page(
        app.get('/forum/1/validation_queue', headers=as_user(2))
    )
    assert (template, values['posts_ids']) == (
        'website_forum.moderation_queue',
        ['Pending'],
    )
    assert call(app, '/forum/1/post/4/flag', 1)['result'] == {
        'success': 'post_flagged'
    }
    _t, values = page(app.get('/forum/1/flagged_queue', headers=as_user(2)))
    assert values['posts_ids'] == ['Spam']
    response = app.get('/forum/1/post/4/validate', headers=as_user(2))
    assert response.location.endswith('/forum/help-1/flagged_queue')
    assert env['forum.post'].browse(4).state == 'active'


def test_refusing_shows_the_close_form_of_another_handler():
    app, env = make_app()
    template, values = page(
        app.get('/forum/1/post/3/refuse', headers=as_user(2))
    )
    assert template == 'website_forum.close_post'
    assert values['reasons'] == ['Basic']
    assert env['forum.post'].browse(3).state == 'refused'


def test_access_error_on_the_json_route_and_on_the_http_one():
    app, _env = make_app()
    error = call(app, '/forum/post-1/ask_for_mark_as_offensive', 1)['error']
    assert error['code'] == -32000
    assert error['data']['message'] == (
        '50 karma required to mark a post as offensive.'
    )
    result = call(app, '/forum/post-1/ask_for_mark_as_offensive', 2)
    assert result['result'] == '<form data-post="1"></form>'
    url = '/forum/1/post/1/ask_for_mark_as_offensive'
    response = app.get(url, headers=as_user(1), status=403)
    assert response.text == '50 karma required to mark a post as offensive.'
    template, values = page(app.get(url, headers=as_user(2)))
    assert (template, values['offensive']) == (
        'website_forum.close_post',
        True,
    )
    assert values['reasons'] == ['Offensive']


def test_closing_deleting_and_editing():
    app, env = make_app()
    token = app.get('/token').text
    app.post(
        '/forum/1/question/1/close',
        {'csrf_token': token, 'reason_id': '1'},
        headers=as_user(2),
        status=303,
    )
    assert env['forum.post'].browse(1).state == 'close'
    response = app.get('/forum/1/question/1/edit_answer', headers=as_user(2))
    assert response.location.endswith('/forum/help-1/post/re-how-2/edit')
    app.get('/forum/1/question/1/edit_answer', headers=as_user(3), status=404)
    _t, values = page(app.get('/forum/1/post/1/edit', headers=as_user(1)))
    assert json.loads(values['tags']) == [
        {'id': 1, 'name': 'pyramid'},
        {'id': 2, 'name': 'odoo'},
    ]
    response = app.post(
        '/forum/1/question/1/delete',
        {'csrf_token': token},
        headers=as_user(1),
        status=303,
    )
    assert response.location.endswith('/forum/help-1')
    assert env['forum.post'].browse(1).active is False
