"""tgapp-calendarevents 0.2.1, ported (tests/ports/tgapp_calendarevents.py):
the behaviour of its ``tests/test_controller.py``."""

from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.ports.policies import GroupsHeaderPolicy as GroupsPolicy
from tests.ports.tgapp_calendarevents import EventType, plugme


class FakeEventType(EventType):
    name = 'event_type'

    def get_linkable_entities(self, calendar):
        return [('1', 'Entity 1')]

    def get_linked_entity_info(self, event):
        return {}


MANAGER = {'X-User': 'manager', 'X-Groups': 'calendarevents'}


def make_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(GroupsPolicy())
    config.add_route('home', '/')
    config.add_view(
        lambda request: 'HELLO', route_name='home', renderer='string'
    )
    plugme(config, event_types=[FakeEventType()])
    return TestApp(pyramid_hooks.make_wsgi_app(config), extra_environ={})


def manager_app():
    app = make_app()
    app.headers = MANAGER
    return app


def token(app):
    return app.get('/calendarevents/calendar/new', headers=MANAGER).json[
        'csrf_token'
    ]


def save_calendar(app, **params):
    values = {'name': 'test_calendar1', 'events_type': 'event_type'}
    values.update(params, csrf_token=token(app))
    return app.post('/calendarevents/calendar/save', values, headers=MANAGER)


def create_event(app, status=None, **params):
    save_calendar(app)
    values = {
        'cal': '1',
        'name': 'test_event1',
        'summary': 'summary_test',
        'datetime': '2020-03-01 01:01',
        'location': 'torino',
        'linked_entity': '1',
    }
    values.update(params, csrf_token=token(app))
    return app.post(
        '/calendarevents/event/create', values, headers=MANAGER, status=status
    )


def test_index():
    assert 'HELLO' in make_app().get('/').text


def test_calendarevents():
    app = make_app()
    for url in ('/calendarevents', '/calendarevents/'):
        resp = app.get(url, headers=MANAGER)
        assert resp.location.endswith('/calendarevents/calendar/list')
    assert resp.follow(headers=MANAGER).json['calendar_list'] == {}


def test_in_group_required():
    app = make_app()
    app.get('/calendarevents/calendar/list', status=403)
    app.get(
        '/calendarevents/calendar/list',
        headers={'X-User': 'someone', 'X-Groups': 'other'},
        status=403,
    )
    app.post('/calendarevents/calendar/save', {'name': 'x'}, status=403)


def test_new_calendar():
    page = make_app().get('/calendarevents/calendar/new', headers=MANAGER).json
    assert page['form'] == ['name', 'events_type']


def test_save_calendar():
    app = make_app()
    resp = save_calendar(app)
    assert resp.location.endswith('/calendarevents/calendar/1')
    page = resp.follow().json
    assert page['flash'] == ['Calendar successfully added']
    assert page['cal']['name'] == 'test_calendar1'


def test_save_calendar_invalid_answers_the_form():
    app = make_app()
    page = save_calendar(app, name='', events_type='nope').json
    assert page['errors'] == {'name': 'Enter a value'}
    page = save_calendar(app, events_type='nope').json
    assert page['errors'] == {'events_type': 'Invalid value'}
    assert page['form'] == ['name', 'events_type']


def test_view_calendar():
    app = make_app()
    save_calendar(app)
    page = app.get('/calendarevents/calendar/1').json
    assert page['cal']['name'] == 'test_calendar1'
    assert page['view'] == 'month'
    page = app.get(
        '/calendarevents/calendar/1',
        {'view': 'agendaDay', 'start_from': '2013-01-11'},
    ).json
    assert (page['view'], page['start_from']) == (
        'agendaDay',
        '2013-01-11T00:00:00',
    )


def test_view_calendar_view_in_the_path():
    """Object dispatch passes the remainder positionally."""
    app = make_app()
    save_calendar(app)
    assert app.get('/calendarevents/calendar/1/basicDay').json['view'] == (
        'basicDay'
    )
    app.get('/calendarevents/calendar/1/basicDay/x', status=404)


def test_view_calendar_wrong_view():
    app = make_app()
    save_calendar(app)
    page = app.get('/calendarevents/calendar/1', {'view': 'sbrollax'}).json
    assert page['view'] == 'month'


def test_view_calendar_not_found():
    app = make_app()
    app.get('/calendarevents/calendar/1', status=404)
    app.get('/calendarevents/calendar/x', status=404)
    save_calendar(app)
    app.get('/calendarevents/calendar/1', {'start_from': 'x'}, status=404)


def test_view_calendar_events():
    app = make_app()
    save_calendar(app)
    page = app.get('/calendarevents/calendar/events/1').json
    assert page['cal']['name'] == 'test_calendar1'
    app.get('/calendarevents/calendar/events/2', status=404)


def test_new_event():
    app = make_app()
    save_calendar(app)
    page = app.get('/calendarevents/event/new/1', headers=MANAGER).json
    assert page['linkable_entities'] == [['1', 'Entity 1']]
    app.get('/calendarevents/event/new/2', headers=MANAGER, status=403)


def test_create_event():
    app = make_app()
    resp = create_event(app)
    assert resp.location.endswith('/calendarevents/calendar/1')
    page = resp.follow().json
    assert page['flash'] == ['Event successfully added']
    assert page['cal']['events'][0]['name'] == 'test_event1'


def test_create_event_invalid_answers_new():
    app = make_app()
    page = create_event(app, location='', datetime='yesterday').json
    assert page['errors'] == {
        'location': 'Enter a value',
        'datetime': 'Enter a date and time',
    }
    assert page['cal']['name'] == 'test_calendar1'
    create_event(app, cal='9', status=403)


def test_edit_event():
    app = make_app()
    create_event(app)
    page = app.get('/calendarevents/event/edit/1', headers=MANAGER).json
    assert page['event']['uid'] == 1


def test_view_event():
    app = make_app()
    create_event(app)
    page = app.get('/calendarevents/event/1').json
    assert page['event']['name'] == 'test_event1'
    app.get('/calendarevents/event/2', status=404)


def test_save_event():
    app = make_app()
    create_event(app)
    values = {
        'cal': '1',
        'event': '1',
        'name': 'test_event2',
        'summary': 'summary_test2',
        'datetime': '2020-04-01 01:01',
        'location': 'torino',
        'linked_entity': '1',
        'csrf_token': token(app),
    }
    resp = app.post('/calendarevents/event/save', values, headers=MANAGER)
    page = resp.follow().json
    assert page['flash'] == ['Event successfully modified']
    assert page['event']['name'] == 'test_event2'
    values['name'] = ''
    page = app.post('/calendarevents/event/save', values, headers=MANAGER).json
    assert page['errors'] == {'name': 'Enter a value'}
    assert page['event']['name'] == 'test_event2'


def test_save_event_nonexisting_event():
    app = make_app()
    create_event(app)
    values = {
        'cal': '1',
        'event': '30',
        'name': 'test_event2',
        'datetime': '2020-04-01 01:01',
        'location': 'torino',
        'csrf_token': token(app),
    }
    resp = app.post(
        '/calendarevents/event/save', values, headers=MANAGER, status=404
    )
    assert 'The resource could not be found' in resp.text


def test_remove_event():
    app = make_app()
    create_event(app)
    resp = app.get(
        '/calendarevents/event/remove/1',
        headers=dict(
            MANAGER, Referer='http://localhost/calendarevents/event/1'
        ),
    )
    assert resp.location == 'http://localhost/calendarevents/calendar/1'
    assert resp.follow().json['cal']['events'] == []
    app.get('/calendarevents/event/1', status=404)
