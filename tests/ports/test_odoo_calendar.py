"""Odoo's calendar invitation controller, ported
(tests/ports/odoo_calendar.py): an invitation's links answered under the
custom ``auth='calendar'`` mode, a meeting joined by a signed-in user,
the JSON notifications and the video call's redirect."""

import json

import pytest
from pyramid.config import Configurator
from webtest import TestApp

from tests.ports.odoo_calendar import CalendarController
from tests.ports.odoo_fakes import Env, Model, Record
from tests.ports.policies import UserHeaderPolicy


class Attendee(Record):
    def do_accept(self):
        self.state = 'accepted'

    def do_decline(self):
        self.state = 'declined'


class Event(Record):
    def action_join_meeting(self, partner):
        if not any(a.partner_id is partner for a in self.attendees()):
            self.env['calendar.attendee'].create({
                'access_token': f'join-{partner.id}', 'state': 'needsAction',
                'event_id': self, 'partner_id': partner,
                'email': partner.email,
            })  # fmt: skip

    def attendees(self):
        return self.env['calendar.attendee'].search([('event_id', '=', self)])

    def _create_videocall_channel(self):
        self.videocall_channel_id = Record(invitation_url=f'/chat/{self.id}')


class Alarms(Model):
    def get_next_notif(self):
        return [{'event_id': 1, 'message': 'Standup in 5 minutes'}]


def make_app():
    env = Env()
    env['calendar.attendee'].record_class = Attendee
    env['calendar.event'].record_class = Event
    env['calendar.alarm_manager'] = Alarms('calendar.alarm_manager')
    partners = env['res.partner']
    ann = partners.create({'name': 'Ann', 'email': 'ann@example.com',
                           'lang': 'fr', 'tz': 'Europe/Brussels'})  # fmt: skip
    bob = partners.create({'name': 'Bob', 'email': 'bob@example.com',
                           'lang': False, 'tz': False})  # fmt: skip
    company = Record(id=1, name='ACME')
    users = env['res.users']
    users.create({'partner_id': ann, 'email': ann.email, 'internal': False})
    users.create({'partner_id': bob, 'email': bob.email, 'internal': True,
                  'company_id': company})  # fmt: skip
    events = env['calendar.event']
    recurrence = Record()
    for n in (1, 2):
        event = events.create({
            'name': f'Standup {n}', 'user_id': users.browse(2),
            'create_uid': users.browse(2), 'recurrence_id': recurrence,
            'access_token': f'EV{n}', 'videocall_channel_id': False,
        })  # fmt: skip
        event.env = env
        for partner in (ann, bob):
            env['calendar.attendee'].create({
                'access_token': f'{partner.name}{n}', 'state': 'needsAction',
                'event_id': event, 'partner_id': partner,
                'email': partner.email,
            })  # fmt: skip
    recurrence.calendar_event_ids = [events.browse(1), events.browse(2)]

    config = Configurator(
        security_policy=UserHeaderPolicy(), settings={'odoo.db': 'db'}
    )
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.include('tests.ports.odoo_calendar')  # auth='calendar'
    config.add_renderer('.qweb', qweb)
    config.registry.odoo_env = env
    config.add_controller(CalendarController)
    return TestApp(config.make_wsgi_app()), env


def qweb(info):
    template = info.name[: -len('.qweb')]

    def render(values, system):
        return json.dumps(
            {'template': template, 'values': values,
             'lang': system['request'].locale_name},
            default=str, sort_keys=True,
        )  # fmt: skip

    return render


def states(env):
    return {a.access_token: a.state
            for a in env['calendar.attendee'].records.values()}  # fmt: skip


def test_the_invitation_page_for_the_attendee():
    app, _env = make_app()
    response = app.get('/calendar/meeting/view?token=Ann1&id=1')
    assert response.content_type == 'text/html'
    body = json.loads(response.text)
    assert body['template'] == 'calendar.invitation_page_anonymous'
    assert body['lang'] == 'fr'
    assert body['values']['event'] == 'Standup 1'
    assert body['values']['company'] == 'ACME'
    assert body['values']['tz'] == 'Europe/Brussels'
    # the token of another event's attendance: 404
    app.get('/calendar/meeting/view?token=Ann1&id=2', status=404)


def test_the_calendar_auth_mode_refuses_a_bad_or_forwarded_token():
    app, _env = make_app()
    response = app.get('/calendar/meeting/view?token=nope&id=1', status=400)
    assert 'Invalid Invitation Token.' in response.text
    app.get('/calendar/meeting/view?id=1', status=400)
    # Bob's invitation opened while signed in as Ann
    response = app.get(
        '/calendar/meeting/accept?token=Bob1&id=1',
        headers={'X-User': '1'},
        status=400,
    )
    assert 'Invitation cannot be forwarded' in response.text
    # the token in the body is not the query's: Odoo reads args
    app.post('/calendar/meeting/view', {'token': 'Ann1', 'id': '1'},
             status=400)  # fmt: skip


def test_a_token_given_twice_is_checked_and_served_as_the_first():
    app, env = make_app()
    app.get('/calendar/meeting/accept?token=nope&token=Ann1&id=1', status=400)
    response = app.get('/calendar/meeting/accept?token=Ann1&token=nope&id=1')
    assert json.loads(response.text)['values']['attendee'] == (
        'calendar.attendee(1)'
    )
    assert states(env)['Ann1'] == 'accepted'


def test_accept_and_decline_one_meeting_or_the_recurrence():
    app, env = make_app()
    app.get('/calendar/meeting/accept?token=Ann1&id=1')
    assert states(env) == {
        'Ann1': 'accepted',
        'Bob1': 'needsAction',
        'Ann2': 'needsAction',
        'Bob2': 'needsAction',
    }
    app.get('/calendar/recurrence/decline?token=Ann1&id=1')
    assert (states(env)['Ann1'], states(env)['Ann2']) == ('declined',) * 2
    app.get('/calendar/recurrence/accept?token=Ann2&id=2')
    assert (states(env)['Ann1'], states(env)['Ann2']) == ('accepted',) * 2
    app.get('/calendar/meeting/decline?token=Ann2&id=2')
    assert (states(env)['Ann1'], states(env)['Ann2']) == (
        'accepted', 'declined',
    )  # fmt: skip
    # the id is read as text by the handler, as in Odoo
    with pytest.raises(ValueError):
        app.get('/calendar/meeting/view?token=Ann1&id=x')


def test_an_internal_user_is_sent_to_the_backend():
    app, _env = make_app()
    response = app.get(
        '/calendar/meeting/view?token=Bob1&id=1', headers={'X-User': '2'}
    )
    assert response.status_int == 303
    assert response.location == 'http://localhost/app/calendar.event/1?db=db'


def test_join_a_meeting_signed_in():
    app, env = make_app()
    third = env['res.partner'].create({'name': 'Cy', 'email': 'cy@x'})
    env['res.users'].create({'partner_id': third, 'email': 'cy@x',
                             'internal': False})  # fmt: skip
    response = app.get(
        '/calendar/meeting/join?token=EV1', headers={'X-User': '3'}
    )
    assert response.location == (
        'http://localhost/calendar/meeting/view?token=join-3&id=1'
    )
    app.get('/calendar/meeting/join?token=nope', headers={'X-User': '3'},
            status=404)  # fmt: skip
    app.get('/calendar/meeting/join?token=EV1', status=403)


def test_the_notifications_over_json():
    app, env = make_app()

    def rpc(path, user='1'):
        body = {'jsonrpc': '2.0', 'method': 'call', 'params': {}, 'id': 1}
        headers = {'X-User': user} if user else {}
        return app.post_json(path, body, headers=headers).json

    assert rpc('/calendar/notify')['result'][0]['event_id'] == 1
    assert rpc('/calendar/notify_ack') == {
        'jsonrpc': '2.0', 'id': 1, 'result': None,
    }  # fmt: skip
    assert env['res.partner'].browse(1).calendar_last_notif_ack == 'now'
    assert rpc('/calendar/notify', user=None)['error']['code'] == -32001


def test_the_videocall_link():
    app, _env = make_app()
    response = app.get('/calendar/join_videocall/EV2')
    assert response.location == 'http://localhost/chat/2'
    app.get('/calendar/join_videocall/nope', status=404)
