"""Port of Odoo's ``calendar`` invitation controller to Pyramid with
pyramid_hooks.

Originals: ``addons/calendar/controllers/main.py`` (``CalendarController``)
and ``addons/calendar/models/ir_http.py`` (``_auth_method_calendar``,
the ``auth="calendar"`` mode), Odoo 17.2+ (``/app`` URLs, ``type='json'``).
The attendees, events and users are faked
(``tests/ports/test_odoo_calendar.py``).

Odoo -> Pyramid:

- ``auth="calendar"`` (``ir.http._auth_method_calendar``) ->
  ``config.add_controller_auth('calendar', auth_method_calendar)``
  (:func:`includeme`); its ``raise BadRequest(message)`` -> ``raise
  HTTPBadRequest(message)``, the application's exception views
  answering it; ``cls._auth_method_public()`` -> nothing (a pass);
- ``request.httprequest.args.get('token', '')`` in the check -> the
  first value, ``request.GET.getall('token')[:1]``, as Werkzeug's: WebOb's
  ``get`` gives the last, and ``?token=A&token=B`` would be checked with
  one token and served with another (the porting guide's row); the
  handlers' ``token`` parameter, a list for a field given twice, is cut
  to its first value too;
- ``request.session.uid`` / ``request.env.user`` ->
  ``request.authenticated_userid`` and the application's user
  (:func:`current_user`); ``request.env.cr.dbname`` -> the ``odoo.db``
  setting;
- ``request.env['ir.ui.view'].with_context(lang=lang)._render_template``
  then ``request.make_response(html, headers=[('Content-Type',
  'text/html')])`` -> ``request._LOCALE_`` and
  :func:`pyramid.renderers.render` (the guide's row), then the same
  ``make_response``;
- ``return request.not_found()`` -> ``return HTTPNotFound()``;
- ``website=True`` is left out.

Kept as Odoo has it: ``accept_meeting`` and ``decline_meeting`` call
``view_meeting(token, id)``, a handler called as a method; ``id`` is
read from the query as text (``int(id)``: a 500 for ``id=x``).
"""

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound
from pyramid.renderers import render

from pyramid_hooks import Controller, route


def first(value):
    """The first value of a field given twice (a list), as Werkzeug's."""
    return value[0] if isinstance(value, list) else value


def current_user(request):
    """``request.env.user``: ``None`` for the public visitor."""
    uid = request.authenticated_userid
    return None if uid is None else request.env['res.users'].browse(int(uid))


def auth_method_calendar(request):
    """``ir.http._auth_method_calendar``: the invitation's token names an
    attendee, who must be the signed-in user if any."""
    token = (request.GET.getall('token')[:1] or [''])[0]
    error_message = False
    attendees = request.env['calendar.attendee']
    attendee = attendees.search([('access_token', '=', token)], limit=1)
    if not attendee:
        error_message = 'Invalid Invitation Token.'
    else:
        user = current_user(request)
        if user is not None and attendee[0].partner_id is not user.partner_id:
            error_message = (
                'Invitation cannot be forwarded via email. This event/meeting '
                f'belongs to {attendee[0].email} and you are logged in as '
                f'{user.email}. Please ask organizer to add you.'
            )
    if error_message:
        raise HTTPBadRequest(error_message)


def includeme(config):
    config.add_controller_auth('calendar', auth_method_calendar)


class CalendarController(Controller):
    # YTI Note: Keep id and kwargs only for retrocompatibility purpose
    @route('/calendar/meeting/accept', type='http', auth='calendar')
    def accept_meeting(self, token, id, **kwargs):
        token, id = first(token), first(id)
        for attendee in self._attendees(token, 'accepted'):
            attendee.do_accept()
        return self.view_meeting(token, id)

    @route('/calendar/recurrence/accept', type='http', auth='calendar')
    def accept_recurrence(self, token, id, **kwargs):
        token, id = first(token), first(id)
        for attendee in self._recurrence_attendees(token, 'accepted'):
            attendee.do_accept()
        return self.view_meeting(token, id)

    @route('/calendar/meeting/decline', type='http', auth='calendar')
    def decline_meeting(self, token, id, **kwargs):
        token, id = first(token), first(id)
        for attendee in self._attendees(token, 'declined'):
            attendee.do_decline()
        return self.view_meeting(token, id)

    @route('/calendar/recurrence/decline', type='http', auth='calendar')
    def decline_recurrence(self, token, id, **kwargs):
        token, id = first(token), first(id)
        for attendee in self._recurrence_attendees(token, 'declined'):
            attendee.do_decline()
        return self.view_meeting(token, id)

    def _attendees(self, token, state):
        """Odoo: ``search([('access_token', '=', token), ('state', '!=',
        state)])``."""
        attendees = self.request.env['calendar.attendee'].sudo()
        found = attendees.search([('access_token', '=', token)])
        return [a for a in found if a.state != state]

    def _recurrence_attendees(self, token, state):
        """The attendee's attendances of every event of the recurrence."""
        attendees = self._attendees(token, state)
        if not attendees:
            return []
        attendee = attendees[0]
        events = attendee.event_id.recurrence_id.calendar_event_ids
        found = self.request.env['calendar.attendee'].search([
            ('event_id', 'in', events),
            ('partner_id', '=', attendee.partner_id),
        ])  # fmt: skip
        return [a for a in found if a.state != state]

    @route('/calendar/meeting/view', type='http', auth='calendar')
    def view_meeting(self, token, id, **kwargs):
        request = self.request
        token, id = first(token), first(id)
        event = request.env['calendar.event'].sudo().browse(int(id))
        attendee = request.env['calendar.attendee'].sudo().search([
            ('access_token', '=', token), ('event_id', '=', event),
        ])  # fmt: skip
        if not attendee:
            return HTTPNotFound()
        attendee = attendee[0]
        company = (event.user_id or event.create_uid).company_id

        # If user is internal and logged, redirect to form view of event
        # otherwise, display the simplified web page with event information
        user = current_user(request)
        if user is not None and user.internal:
            db = request.registry.settings['odoo.db']
            return request.redirect(f'/app/calendar.event/{id}?db={db}')

        if attendee.partner_id.lang:  # before locale_name is read
            request._LOCALE_ = attendee.partner_id.lang
        response_content = render(
            'calendar.invitation_page_anonymous.qweb',
            {
                'company': company,
                'event': event,
                'attendee': attendee,
                'tz': attendee.partner_id.tz,
            },
            request=request,
        )
        return request.make_response(
            response_content, headers=[('Content-Type', 'text/html')]
        )

    @route('/calendar/meeting/join', type='http', auth='user')
    def calendar_join_meeting(self, token, **kwargs):
        request = self.request
        token = first(token)
        events = request.env['calendar.event'].sudo()
        event = events.search([('access_token', '=', token)])
        if not event:
            return HTTPNotFound()
        event = event[0]
        partner = current_user(request).partner_id
        event.action_join_meeting(partner)
        attendee = request.env['calendar.attendee'].search([
            ('partner_id', '=', partner), ('event_id', '=', event),
        ])[0]  # fmt: skip
        return request.redirect(
            f'/calendar/meeting/view?token={attendee.access_token}'
            f'&id={event.id}'
        )

    # Function used, in RPC to check every 5 minutes, if notification to
    # do for an event or not
    @route('/calendar/notify', type='json', auth='user')
    def notify(self):
        return self.request.env['calendar.alarm_manager'].get_next_notif()

    @route('/calendar/notify_ack', type='json', auth='user')
    def notify_ack(self):
        partner = current_user(self.request).partner_id
        partner.calendar_last_notif_ack = 'now'

    @route(
        '/calendar/join_videocall/<string:access_token>',
        type='http',
        auth='public',
    )
    def calendar_join_videocall(self, access_token):
        events = self.request.env['calendar.event'].sudo()
        event = events.search([('access_token', '=', access_token)])
        if not event:
            return HTTPNotFound()
        event = event[0]
        # if channel doesn't exist
        if not event.videocall_channel_id:
            event._create_videocall_channel()
        return self.request.redirect(event.videocall_channel_id.invitation_url)
