"""An event's community page as four Odoo modules build it, ported
(tests/ports/odoo_website_event_community.py): three sibling extensions
of one controller, a bridge among them serving the page from the
helpers of the two others, in the order Odoo runs them."""

import logging

from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.ports.odoo_fakes import Env, Record, page
from tests.ports.odoo_website_event_community import (
    EventCommunityController,
    WebsiteEventMeetController,
    WebsiteEventTrackQuizCommunityController,
    WebsiteEventTrackQuizMeetController,
)

#: Odoo's loading order: a module after those it depends on
ODOO_ORDER = (
    EventCommunityController,  # website_event
    WebsiteEventMeetController,  # website_event_meet
    WebsiteEventTrackQuizCommunityController,  # website_event_track_quiz
    WebsiteEventTrackQuizMeetController,  # website_event_track_quiz_meet
)


class User(Record):
    def has_group(self, group):
        return group in self.groups


class Website:
    def __init__(self, request):
        pass

    def get_template(self, name):
        return name


class Token(Controller):
    @route('/token', auth='public')
    def token(self):
        return get_csrf_token(self.request)


def make_app(*controllers):
    env = Env()
    events = env['event.event']
    events.create({
        'name': 'Expo', 'is_published': True, 'community_menu': True,
        'meeting_room_allow_creation': True,
    })  # fmt: skip
    events.create({
        'name': 'Draft', 'is_published': False, 'community_menu': False,
        'meeting_room_allow_creation': True,
    })  # fmt: skip
    rooms = env['event.meeting.room']
    for name, full, published in [
        ('Lobby', False, True), ('Full room', True, True),
        ('Backstage', False, False),
    ]:  # fmt: skip
        rooms.create({
            'name': name, 'event_id': 1, 'room_is_full': full,
            'is_published': published, 'room_lang_id': 1,
        })  # fmt: skip
    env['res.lang'].create({'code': 'en_US', 'name': 'English'})
    for name, points in [('Ann', 5), ('Bob', 9)]:
        env['website.visitor'].create(
            {'name': name, 'event_id': 1, 'quiz_points': points}
        )
    anonymous = User(id=None, groups=(), is_internal=False)
    config = Configurator()
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_fakes.include_model_converter')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.registry.odoo_env = env
    config.add_request_method(Website, 'website', reify=True)
    config.add_request_method(lambda r: anonymous, 'user', reify=True)
    for controller in controllers:
        config.add_controller(controller)
    config.add_controller(Token)
    return TestApp(config.make_wsgi_app()), env


def never_run(caplog):
    """The classes whose ``community`` the startup said never runs."""
    return [
        r.args[2].rpartition('.')[2]
        for r in caplog.records
        if 'never runs' in r.msg
    ]


def test_the_bridge_activated_first_serves_the_page_as_in_odoo(caplog):
    """Odoo runs the module loaded last first: the bridge, activated
    first here.  The siblings' own pages never run, in Odoo as here: the
    startup says so."""
    with caplog.at_level(logging.WARNING, 'pyramid_hooks'):
        app, _env = make_app(*reversed(ODOO_ORDER))
    assert never_run(caplog) == [
        'WebsiteEventTrackQuizCommunityController',
        'WebsiteEventMeetController',
    ]
    template, values = page(app.get('/event/expo-1/community'))
    assert template == 'website_event.template_community'
    assert values['meeting_rooms'] == ['Lobby']  # published, not full
    assert values['visitors'] == ['Bob', 'Ann']  # by points
    assert values['seo_object'] == 'website_event.template_community'


def test_in_odoos_loading_order_the_first_sibling_serves_the_page(caplog):
    """Activated as Odoo loads the modules, the first sibling's
    ``community`` (the meeting rooms') is the page, and the bridge's never
    runs (nor the quiz's): none calls ``super()``.  The startup says so
    (it said nothing before the tenth Odoo port)."""
    with caplog.at_level(logging.WARNING, 'pyramid_hooks'):
        app, _env = make_app(*ODOO_ORDER)
    _template, values = page(app.get('/event/expo-1/community'))
    assert 'visitors' not in values  # the meeting rooms' page alone
    assert never_run(caplog) == [
        'WebsiteEventTrackQuizCommunityController',
        'WebsiteEventTrackQuizMeetController',
    ]


def test_a_bridge_extending_both_siblings_serves_in_any_order(caplog):
    """What the warning advises: the bridge extends the two siblings it
    takes its helpers from; it is then the only leaf, whatever the
    order, and the startup says nothing."""

    class Bridge(
        WebsiteEventMeetController, WebsiteEventTrackQuizCommunityController
    ):
        community = WebsiteEventTrackQuizMeetController.community

    with caplog.at_level(logging.WARNING, 'pyramid_hooks'):
        app, _env = make_app(*ODOO_ORDER[:3], Bridge)
    _template, values = page(app.get('/event/expo-1/community'))
    assert values['meeting_rooms'] == ['Lobby']
    assert values['visitors'] == ['Bob', 'Ann']
    assert never_run(caplog) == []


def test_one_extension_alone_replaces_the_skeleton():
    app, _env = make_app(EventCommunityController)
    template, values = page(app.get('/event/1/community'))
    assert (template, values) == ('website.page_404', {})
    app, _env = make_app(
        EventCommunityController, WebsiteEventTrackQuizCommunityController
    )
    template, values = page(app.get('/event/1/community'))
    assert template == 'website_event_track_quiz.event_leaderboard'
    assert values['pager']['page_count'] == 1


def test_the_leaderboard_pages_and_search():
    app, _env = make_app(*reversed(ODOO_ORDER))
    _template, values = page(
        app.get('/event/1/community/leaderboard/results/page/1?search=an')
    )
    assert values['visitors'] == ['Ann']
    assert values['search'] == 'an'
    assert values['pager']['page']['url'] == (
        '/event/expo-1/community/leaderboard/results?search=an'
    )
    app.get('/event/1/community/leaderboard/results/page/x', status=404)


def test_a_meeting_room_is_created_and_shown():
    app, env = make_app(*reversed(ODOO_ORDER))
    form = {
        'csrf_token': app.get('/token').text,
        'name': 'Coffee', 'summary': 'Chat', 'lang_code': 'en_US',
        'capacity': '12',
    }  # fmt: skip
    response = app.post('/event/expo-1/meeting_room_create', form, status=303)
    assert response.location == (
        'http://localhost/event/expo-1/meeting_room/coffee-4'
    )
    template, values = page(app.get(response.location))
    assert template == 'website_event_meet.event_meet_main'
    assert values['meeting_room'] == 'Coffee'
    assert env['event.meeting.room'].browse(4).room_max_capacity == '12'
    # an unknown language, no limit, an unpublished event: 403
    for changes, url in [
        ({'lang_code': 'xx'}, '/event/1/meeting_room_create'),
        ({'capacity': 'no_limit'}, '/event/1/meeting_room_create'),
        ({}, '/event/draft-2/meeting_room_create'),
    ]:
        app.post(url, {**form, **changes}, status=403)
    # a room of another event: 404; an unpublished room: 403
    env['event.meeting.room'].browse(4).event_id = 2
    app.get('/event/1/meeting_room/4', status=404)
    app.get('/event/1/meeting_room/3', status=403)


def test_the_languages_as_json():
    app, _env = make_app(*reversed(ODOO_ORDER))
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': {}, 'id': 1}
    result = app.post_json('/event/active_langs', body).json['result']
    assert result == [['en_US', 'English']]
