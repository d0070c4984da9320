"""Odoo's eLearning, ported (tests/ports/odoo_website_slides.py): a
course at nine patterns, a private course's page sending the visitor to
the home page (``handle_params_access_error``, a scoped controller
wrapper), the views counted once per visitor through the session, a
slide marked completed by its page or a JSON route (a ``Forbidden`` with
its text shown), a quiz, a PDF, the profile extended."""

import base64

from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from pyramid.threadlocal import get_current_request
from webtest import TestApp

from tests.ports.odoo_auth_signup import redirect
from tests.ports.odoo_fakes import (
    AccessError,
    Record,
    include_model_converter,
    make_env,
    page,
    render,
)
from tests.ports.odoo_website_slides import WebsiteSlides
from tests.ports.test_odoo_website_profile import PUBLIC, Policy, User


def uid():
    value = get_current_request().authenticated_userid
    return int(value) if value else None


class Channel(Record):
    """slide.channel: a course; ``members`` are user ids."""

    @property
    def is_member(self):
        return uid() in self.members

    @property
    def completion(self):
        slides = [s for s in self.env_slides() if not s.is_category]
        done = [s for s in slides if uid() in s.completed_by]
        return round(100 * len(done) / len(slides)) if slides else 0

    @property
    def completed_by(self):
        return [u for u in self.members if u in self.finished]

    def check_access_rule(self, operation):
        if self.visibility == 'members' and not self.is_member:
            raise AccessError('You are not a member of this course.')

    def invitation_hash(self, partner_id):
        return f'hash-{self.id}-{partner_id}'

    def _action_add_members(self, user):
        if user.id in self.members:
            return False
        self.members.append(user.id)
        return True

    def _remove_membership(self, user):
        self.members.remove(user.id)


class Slide(Record):
    @property
    def user_has_completed(self):
        return uid() in self.completed_by

    @property
    def visible_to(self):
        """The users who see it: everyone when published, else its
        author."""
        return [uid()] if self.website_published else [self.user_id]

    def check_access_rule(self, operation):
        self.channel_id.check_access_rule(operation)

    def action_mark_completed(self):
        self.completed_by.append(uid())

    def action_set_viewed(self, quiz_attempts_inc=False):
        self.viewed_by.add(uid())


class Website:
    def __init__(self, request):
        self.request = request

    def is_public_user(self):
        return self.request.authenticated_userid is None

    karma_profile_min = 0
    user_id = None


def user(request):
    value = request.authenticated_userid
    return request.env['res.users'].browse(int(value)) if value else PUBLIC


def make_app():
    env = make_env()
    env['res.users'].record_class = User
    for n in range(1, 4):
        env['res.users'].create({
            'name': f'User {n}', 'email': f'u{n}@example.com', 'karma': 10,
            'website_published': True, 'is_admin': False,
        })  # fmt: skip
    channels = env['slide.channel']
    channels.record_class = Channel
    basics = channels.create({
        'name': 'Basics', 'visibility': 'public', 'members': [1],
        'channel_type': 'training', 'can_publish': False, 'tag_ids': [1],
        'total_votes': 3, 'allow_comment': True, 'finished': [],
    })  # fmt: skip
    channels.create({
        'name': 'Private', 'visibility': 'members', 'members': [2],
        'channel_type': 'documentation', 'can_publish': False, 'tag_ids': [2],
        'total_votes': 9, 'allow_comment': False, 'finished': [],
    })  # fmt: skip
    env['slide.channel.tag'].create({'name': 'Python'})
    env['slide.channel.tag'].create({'name': 'Sales'})
    env['slide.tag'].create({'name': 'Intro'})
    slides = env['slide.slide']
    slides.record_class = Slide
    for n, (kind, published) in enumerate(
        [('document', True), ('quiz', True), ('document', False)]
        + [('video', True)] * 13,
        1,
    ):
        slides.create({
            'name': f'Slide {n}', 'channel_id': basics if n < 16 else None,
            'is_category': False, 'website_published': published,
            'slide_category': kind, 'sequence': n, 'active': True,
            'user_id': 2,
            'can_self_mark_completed': kind == 'document' or n > 14,
            'question_ids': [1] if kind == 'quiz' else [],
            'category_id': None,
            'tag_ids': [1] if n == 4 else [], 'completed_by': [],
            'viewed_by': set(), 'public_views': 0, 'total_views': 0,
            'likes': 0, 'dislikes': 0, 'binary_content': None,
        })  # fmt: skip
    section = slides.create({
        'name': 'Section', 'channel_id': basics, 'is_category': True,
        'sequence': 0, 'active': True, 'completed_by': [],
        'website_published': True, 'question_ids': [], 'tag_ids': [],
        'can_self_mark_completed': False, 'category_id': None,
    })  # fmt: skip
    slides.browse(1).category_id = section
    private = slides.browse(16)
    private.channel_id = channels.browse(2)
    private.binary_content = base64.b64encode(b'%PDF-1.4').decode()
    basics.env_slides = lambda: [
        s for s in slides.records.values() if s.channel_id is basics
    ]
    env['slide.answer'].create(
        {'question_id': 1, 'is_correct': False, 'comment': 'No'}
    )
    env['slide.answer'].create(
        {'question_id': 1, 'is_correct': True, 'comment': 'Yes'}
    )
    settings = {
        'hooks.controllers.expose_errors': (
            'pyramid.httpexceptions.HTTPClientError\n'
            'tests.ports.odoo_website_slides.UserError'
        )
    }
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_request_method(lambda r: env, 'env', reify=True)
    config.add_request_method(Website, 'website', reify=True)
    config.add_request_method(render, 'render')
    config.add_request_method(redirect, 'redirect')
    config.add_request_method(user, 'user', reify=True)
    config.include(include_model_converter)
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.set_security_policy(Policy())
    config.add_controller(WebsiteSlides)
    config.include('tests.ports.odoo_website_slides')
    return TestApp(config.make_wsgi_app()), env


def as_user(n):
    return {'X-User': str(n)}


def call(app, url, user=None, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    headers = as_user(user) if user else {}
    return app.post_json(url, body, headers=headers).json


def test_the_home_and_the_courses_one_tag_in_a_get_path():
    app, _ = make_app()
    template, values = page(app.get('/slides', headers=as_user(1)))
    assert template == 'website_slides.courses_home'
    assert values['channels_my'] == ['Basics']
    assert values['channels_popular'] == ['Private', 'Basics']
    response = app.get('/slides/all/tag/python-1,sales-2', status=302)
    assert response.location == 'http://localhost/slides/all/tag/python-1'
    _, values = page(app.get('/slides/all/tag/python-1'))
    assert (values['channels'], values['search_tags']) == (
        ['Basics'],
        ['Python'],
    )
    _, values = page(app.get('/slides/all/tag/python-1,sales-2?search=pri'))
    assert values['channels'] == ['Private']
    _, values = page(app.get('/slides/all?my=1', headers=as_user(2)))
    assert values['channels'] == ['Private']


def test_a_course_at_its_nine_patterns_paged_and_filtered():
    app, _ = make_app()
    template, values = page(app.get('/slides/basics-1'))
    assert template == 'website_slides.course_main'
    # the public sees the published slides, the category left out
    assert values['slide_count'] == 14
    assert len(values['slides']) == 12
    assert values['pager']['pages'][1]['url'] == '/slides/1/page/2'
    _, values = page(app.get('/slides/basics-1/page/2'))
    assert values['slides'] == ['Slide 14', 'Slide 15']
    # its author sees the unpublished slide too
    _, values = page(app.get('/slides/1', headers=as_user(2)))
    assert values['slide_count'] == 15
    _, values = page(app.get('/slides/basics-1/category/section-17'))
    assert values['slides'] == ['Slide 1']
    _, values = page(app.get('/slides/1/category/17/page/1'))
    assert values['slides'] == ['Slide 1']
    assert values['search_category'] == 'Section'
    _, values = page(app.get('/slides/basics-1/tag/intro-1'))
    assert values['slides'] == ['Slide 4']
    assert values['pager']['page']['url'] == '/slides/1/tag/1'
    _, values = page(app.get('/slides/1?slide_category=quiz'))
    assert values['slides'] == ['Slide 2']
    _, values = page(app.get('/slides/1?search=slide 1&uncategorized=1'))
    assert values['slide_count'] == 7  # 1, 10 to 15; the search wins
    _, values = page(app.get('/slides/1?uncategorized=1'))
    assert 'Slide 1' not in values['slides']
    response = app.get('/slides/9', status=303)
    assert response.location.endswith('/slides?invite_error=no_channel')


def test_a_private_course_sends_the_visitor_home_with_the_reason():
    app, _ = make_app()
    # the model converter's record: the scoped wrapper's check (302)
    for url in ('/slides/private-2', '/slides/private-2/page/2'):
        response = app.get(url, status=302)
        assert response.location.endswith('/slides?invite_error=no_rights')
    # the id: the handler's own check (303)
    response = app.get('/slides/2', status=303)
    assert response.location.endswith('/slides?invite_error=no_rights')
    _, values = page(app.get('/slides?invite_error=no_rights'))
    assert values['invite_error_msg'].startswith('You do not have permission')
    _, values = page(app.get('/slides/private-2', headers=as_user(2)))
    assert values['main_object'] == 'Private'
    app.get('/slides/slide/slide-16-16', status=302)
    app.get('/slides/slide/slide-16-16/pdf_content', status=302)
    response = app.get('/slides/slide/slide-16-16/pdf_content',
                       headers=as_user(2))  # fmt: skip
    assert (response.content_type, response.body) == (
        'application/pdf',
        b'%PDF-1.4',
    )


def test_the_invitation_link_and_the_share_link():
    app, _ = make_app()
    response = app.get(
        '/slides/2/invite?invite_partner_id=5&invite_hash=hash-2-5', status=303
    )
    assert response.location.endswith(
        '/slides/2?invite_partner_id=5&invite_hash=hash-2-5'
    )
    response = app.get(
        '/slides/2/invite?invite_partner_id=5&invite_hash=x', status=303
    )
    assert response.location.endswith('invite_error=hash_fail')
    response = app.get(
        '/slides/1/invite?invite_partner_id=5&invite_hash=x', status=303
    )
    assert response.location.endswith('/slides/basics-1')
    app.get('/slides/1/invite?invite_partner_id=5', status=400)
    response = app.get('/slides/slide/16/share', status=303)
    assert 'access_error=course_content' in response.location
    response = app.get('/slides/slide/4/share?fullscreen=1', status=303)
    assert response.location.endswith('/slides/slide/slide-4-4?fullscreen=1')
    _, values = page(
        app.get(
            '/slides/1?access_error=course_content'
            '&access_error_slide_name=Slide 16'
        )
    )
    assert values['access_error_content_name'] == 'Slide 16'


def test_joining_and_leaving_a_course_are_json_routes():
    app, env = make_app()
    assert call(app, '/slides/channel/join', channel_id=1)['result'] == {
        'error': 'public_user',
        'error_signup_allowed': True,
    }
    assert call(app, '/slides/channel/join', 3, channel_id=1)['result']
    assert call(app, '/slides/channel/join', 3, channel_id=1)['result'] == {
        'error': 'join_done'
    }
    reply = call(app, '/slides/channel/leave', channel_id=1)
    assert reply['error']['code'] == -32001
    assert call(app, '/slides/channel/leave', 3, channel_id=1)['result']
    assert env['slide.channel'].browse(1).members == [1]


def test_a_slide_is_counted_once_per_visitor_through_the_session():
    app, env = make_app()
    for _ in range(3):
        template, _ = page(app.get('/slides/slide/slide-4-4'))
        assert template == 'website_slides.slide_main'
    assert env['slide.slide'].browse(4).total_views == 1
    page(app.get('/slides/slide/slide-5-5?fullscreen=1'))
    assert env['slide.slide'].browse(5).public_views == 1
    # a member's view is recorded on the slide, not in the session
    page(app.get('/slides/slide/slide-4-4', headers=as_user(1)))
    assert env['slide.slide'].browse(4).viewed_by == {1}
    # a category's page is its course's
    response = app.get('/slides/slide/section-17', status=303)
    assert response.location.endswith('/slides/basics-1')
    env['slide.slide'].browse(6).active = False
    app.get('/slides/slide/slide-6-6', status=404)


def test_marking_a_slide_completed_by_its_page_or_a_json_route():
    app, env = make_app()
    # a member's training document is completed by its page
    page(app.get('/slides/slide/slide-1-1', headers=as_user(1)))
    assert env['slide.slide'].browse(1).completed_by == [1]
    response = app.get(
        '/slides/slide/slide-15-15/set_completed?next_slide_id=1',
        headers=as_user(1),
        status=303,
    )
    assert response.location.endswith('/slides/slide/slide-1-1')
    reply = call(app, '/slides/slide/set_completed', 1, slide_id=6)
    assert reply['error']['code'] == -32000
    assert reply['error']['data']['message'] == (
        'This slide can not be marked as completed.'
    )
    reply = call(app, '/slides/slide/set_completed', 1, slide_id=2)
    assert reply['error']['data']['message'].startswith('Slide with questions')
    reply = call(app, '/slides/slide/set_completed', 1, slide_id=3)
    assert reply['result'] == {
        'channel_completion': 20,
        'next_category_id': False,
    }
    assert call(app, '/slides/slide/set_completed', slide_id=3)['result'] == {
        'error': 'public_user'
    }
    assert call(app, '/slides/slide/set_completed', 1, slide_id=16)[
        'result'
    ] == {'error': 'slide_access'}
    assert call(app, '/slides/slide/set_completed', 1, slide_id=99)[
        'result'
    ] == {'error': 'slide_wrong'}


def test_likes_and_a_quiz_kept_in_the_session_then_submitted():
    app, _ = make_app()
    reply = call(app, '/slides/slide/like', 3, slide_id=4, upvote=True)
    assert reply['result'] == {'error': 'channel_membership_required'}
    reply = call(app, '/slides/slide/like', 1, slide_id=4, upvote=True)
    assert reply['result'] == {'likes': 1, 'dislikes': 0}
    quiz = {'slide_id': 2, 'slide_answers': [2]}
    reply = call(app, '/slides/slide/quiz/save_to_session', quiz_answers=quiz)
    assert reply['result'] is None
    _, values = page(app.get('/slides/slide/slide-2-2', headers=as_user(1)))
    assert values['session_answers'] == [2]
    reply = call(
        app, '/slides/slide/quiz/submit', 1, slide_id=2, answer_ids=[]
    )
    assert reply['result'] == {'error': 'slide_quiz_incomplete'}
    reply = call(
        app, '/slides/slide/quiz/submit', 1, slide_id=2, answer_ids=[1]
    )
    assert reply['result']['answers'] == {
        '1': {'is_correct': False, 'comment': 'No'}
    }
    assert reply['result']['completed'] is False
    reply = call(
        app, '/slides/slide/quiz/submit', 1, slide_id=2, answer_ids=[2]
    )
    assert reply['result']['completed'] is True
    _, values = page(app.get('/slides/slide/slide-2-2', headers=as_user(1)))
    assert values['session_answers'] is None
    reply = call(
        app, '/slides/slide/quiz/submit', 1, slide_id=2, answer_ids=[2]
    )
    assert reply['result'] == {'error': 'slide_quiz_done'}


def test_the_profile_pages_of_website_profile_are_extended():
    app, env = make_app()
    env['slide.channel'].browse(1).finished.append(1)
    template, values = page(app.get('/profile/user/1', headers=as_user(1)))
    assert template == 'website_profile.user_profile_main'
    assert values['badge_category'] == 'slides'
    assert values['courses_completed'] == ['Basics']
    assert values['my_profile'] is True
    assert values['channel'] is True  # two courses
    _, values = page(
        app.get('/profile/user/1?channel_id=1', headers=as_user(2))
    )
    assert values['channel'] == 'Basics'
    assert values['edit_button_url_param'] == 'channel_id=1'
    assert values['my_profile'] is False
