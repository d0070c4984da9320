"""Port of tgapp-calendarevents 0.2.1 to Pyramid with pyramid_hooks.

Original: ``calendarevents/__init__.py`` (``plugme``),
``calendarevents/controllers/root.py``, ``calendar.py`` and ``event.py``
(``RootController`` mounting ``CalendarController`` and
``EventController``), ``calendarevents/lib/event_type.py``
(``EventType``, ``lookup_event_type``), ``calendarevents/lib/utils.py``,
``calendarevents/lib/validators.py`` (``DateParameterValidator``),
``calendarevents/lib/forms.py`` (``NewEventForm``, ``NewCalendarForm``) and
``calendarevents/model/models.py`` (``Calendar``, ``CalendarEvent``).  The
SQLAlchemy models are kept in memory (:class:`Store`, a registry
utility), the Genshi templates are the ``json`` renderer (the models'
``__json__``), the tw2 forms small validators; the partials, the weather
lookup and the event types' tw2 resources are left out.

TurboGears -> Pyramid:

- ``calendar = CalendarController()`` and ``event = EventController()``,
  attributes of the ``RootController`` mounted by tgext.pluggable at
  ``/calendarevents`` -> three :class:`~pyramid_hooks.Controller`
  classes, each activated under its own ``route_prefix_context``
  (``/calendarevents``, ``/calendarevents/calendar``,
  ``/calendarevents/event``);
- ``_default(self, cal, view='month', ...)`` (object dispatch's
  fallback, the remainder as positional arguments: ``/calendar/1/agendaDay``
  is ``view='agendaDay'``) -> a handler at ``/<calendar:cal>`` and
  ``/<calendar:cal>/<view>`` defined after ``list``, ``new`` and
  ``save``; ``/event/new/1`` -> ``/new/<...>``;
- ``@validate(dict(cal=SQLAEntityConverter(model.Calendar)),
  error_handler=fail_with(404))`` on a path argument -> a route converter
  (``config.add_route_converter('calendar', ...)``) raising
  ``HTTPNotFound``, ``HTTPForbidden`` for ``fail_with(403)``
  (``<calendar(403):cal>``); on a form field (``create``'s hidden ``cal``)
  -> the form's validator;
- ``@validate(dict(start_from=DateParameterValidator()),
  error_handler=fail_with(404))`` -> ``validate=check_start_from`` with
  ``error_handler=fail_with(404)``, a plain function returning the 404;
- ``@require(predicates.in_group('calendarevents'))`` -> an auth mode
  (``config.add_controller_auth('calendarevents', in_group(...))``)
  reading TurboGears' ``request.identity['groups']`` from the security
  policy's identity; it runs before the converters' answers reach the
  handler, and before validation (TurboGears' ``@require`` runs after it);
- ``validated_handler(new)`` -> ``error_handler='new'``: ``new`` gets the
  form's raw ``cal`` there, which it converts as its converter would;
- ``plug_redirect`` / ``plug_url`` -> ``request.route_url`` of the
  handler's route; ``flash`` -> ``request.session.flash``;
  ``abort(404)`` -> ``HTTPNotFound``;
- ``tg.config['_calendarevents']`` -> ``request.registry.settings``.
"""

from dataclasses import dataclass, field
from datetime import datetime

from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound

from pyramid_hooks import Controller, Invalid, route

CONFIG_KEY = '_calendarevents'
PREFIX = 'tests.ports.tgapp_calendarevents.'
VIEWS = ('month', 'basicWeek', 'basicDay', 'agendaWeek', 'agendaDay')


class EventType:
    """What an application gives in ``event_types``: the entities events of
    a calendar link to."""

    name = 'Unknown'

    def get_linkable_entities(self, calendar):
        raise NotImplementedError

    def get_linked_entity_url(self, event):
        return NotImplementedError

    def get_linked_entity_info(self, event):
        return NotImplementedError


def lookup_event_type(settings, name):
    for et in settings[CONFIG_KEY]['event_types']:
        if et.name == name:
            return et
    return None


@dataclass
class Calendar:
    name: str
    events_type: str
    uid: int = 0
    events: list = field(default_factory=list)
    settings: dict = field(default=None, repr=False)

    @property
    def events_type_info(self):
        return lookup_event_type(self.settings, self.events_type)

    @property
    def linkable_entities(self):
        event_type = self.events_type_info
        if not event_type:
            return []
        return event_type.get_linkable_entities(self)

    @property
    def active_events(self):
        return [e for e in self.events if e.active]

    def __json__(self, request):
        return {'uid': self.uid, 'name': self.name, 'events': self.events}


@dataclass
class CalendarEvent:
    calendar: Calendar
    name: str
    summary: str
    datetime: datetime
    location: str
    linked_entity_type: str
    linked_entity_id: int
    end_time: datetime = None
    active: bool = True
    uid: int = 0

    @property
    def event_type(self):
        return lookup_event_type(
            self.calendar.settings, self.linked_entity_type
        )

    @property
    def linked_entity_url(self):
        return self.event_type.get_linked_entity_url(self)

    @property
    def linked_entity_info(self):
        return self.event_type.get_linked_entity_info(self)

    def __json__(self, request):
        return {
            'uid': self.uid,
            'name': self.name,
            'summary': self.summary,
            'datetime': self.datetime.isoformat(),
            'location': self.location,
            'calendar_id': self.calendar.uid,
            'linked_entity_id': self.linked_entity_id,
        }


class Store:
    """``DBSession`` over the two tables, in memory."""

    def __init__(self, settings):
        self.settings = settings
        self.calendars = {}
        self.events = {}

    def create_calendar(self, name, events_type):
        cal = Calendar(name, events_type, len(self.calendars) + 1)
        cal.settings = self.settings
        self.calendars[cal.uid] = cal
        return cal

    def create_event(self, cal, **values):
        event = CalendarEvent(cal, uid=len(self.events) + 1, **values)
        self.events[event.uid] = event
        cal.events.insert(0, event)  # order_by datetime desc, near enough
        return event

    def delete_event(self, event):
        del self.events[event.uid]
        event.calendar.events.remove(event)


def store(request):
    return request.registry.settings[CONFIG_KEY]['store']


def _entity(table, status=404):
    """``SQLAEntityConverter`` + ``fail_with(status)`` as a route
    converter: the record, or the status."""

    def to_python(request, value, status=status):
        found = getattr(store(request), table).get(int(value))
        if found is None:
            raise {403: HTTPForbidden, 404: HTTPNotFound}[status]()
        return found

    return to_python


def fail_with(status):
    """tgext.datahelpers' ``fail_with``: an error handler answering
    *status* whatever the errors."""

    def handler(request):
        return {403: HTTPForbidden, 404: HTTPNotFound}[status]()

    return handler


def in_group(name):
    """``predicates.in_group(name)`` as an auth mode's check."""

    def check(request):
        identity = request.identity
        return identity is not None and name in identity.get('groups', ())

    return check


def check_start_from(request, params):
    """``DateParameterValidator`` on ``start_from``."""
    value = params.get('start_from')
    try:
        params['start_from'] = (
            datetime.strptime(value, '%Y-%m-%d')
            if value
            else datetime.utcnow()
        )
    except (TypeError, ValueError):
        raise Invalid({'start_from': 'Expected date in format 2013-01-11'})
    return params


def check_new_calendar(request, params):
    """``NewCalendarForm``: ``name`` and ``events_type`` required, the
    type among the configured ones."""
    names = [
        e.name for e in request.registry.settings[CONFIG_KEY]['event_types']
    ]
    errors = {
        key: 'Enter a value'
        for key in ('name', 'events_type')
        if not params.get(key)
    }
    if not errors and params['events_type'] not in names:
        errors['events_type'] = 'Invalid value'
    if errors:
        raise Invalid(errors)
    return params


def check_event_form(request, params):
    """``NewEventForm``: ``cal`` a calendar (``SQLAEntityConverter``),
    ``name`` and ``location`` required, ``datetime`` a date and time."""
    errors = {
        key: 'Enter a value'
        for key in ('name', 'location')
        if not params.get(key)
    }
    cal = params.get('cal')
    if not (isinstance(cal, str) and cal.isdigit()):
        cal = None
    params['cal'] = cal and store(request).calendars.get(int(cal))
    if params['cal'] is None:
        errors['cal'] = 'Invalid value'
    try:
        params['datetime'] = datetime.strptime(
            params.get('datetime') or '', '%Y-%m-%d %H:%M'
        )
    except (TypeError, ValueError):
        errors['datetime'] = 'Enter a date and time'
    if errors:
        raise Invalid(errors)
    return params


def _url(request, controller, handler, **kw):
    return request.route_url(PREFIX + controller + '.' + handler, **kw)


def _page(request, **values):
    values['flash'] = request.session.pop_flash()
    values['errors'] = getattr(request, 'validation_errors', {})
    values['csrf_token'] = get_csrf_token(request)
    return values


class RootController(Controller):
    @route(['', '/'], auth='calendarevents')
    def index(self):
        return HTTPFound(_url(self.request, 'CalendarController', 'list'))


class CalendarController(Controller):
    @route('/list', auth='calendarevents', renderer='json')
    def list(self):
        return _page(self.request, calendar_list=store(self.request).calendars)

    @route('/new', auth='calendarevents', renderer='json')
    def new(self, **kw):
        return _page(self.request, form=['name', 'events_type'])

    @route(
        '/save',
        auth='calendarevents',
        methods=['POST'],
        validate=check_new_calendar,
        error_handler='new',
        renderer='json',  # new answers through it
    )
    def save(self, name, events_type):
        new_calendar = store(self.request).create_calendar(name, events_type)
        self.request.session.flash('Calendar successfully added')
        return HTTPFound(
            _url(
                self.request,
                'CalendarController',
                '_default',
                cal=new_calendar.uid,
            )
        )

    @route('/events/<calendar:cal>', auth='public', renderer='json')
    def events(self, cal):
        return _page(self.request, cal=cal)

    @route(
        ['/<calendar:cal>', '/<calendar:cal>/<view>'],
        auth='public',
        renderer='json',
        validate=check_start_from,
        error_handler=fail_with(404),
    )
    def _default(self, cal, view='month', start_from=None, **kw):
        if view not in VIEWS:
            view = 'month'
        return _page(
            self.request, cal=cal, view=view, start_from=start_from.isoformat()
        )


class EventController(Controller):
    @route('/new/<calendar(403):cal>', auth='calendarevents', renderer='json')
    def new(self, cal=None, **kw):
        if not isinstance(cal, Calendar):  # the error handler of create
            cal = _entity('calendars', 403)(self.request, cal or '0')
        return _page(
            self.request,
            cal=cal,
            form=['cal', 'name', 'summary', 'datetime', 'location'],
            linkable_entities=cal.linkable_entities,
        )

    @route(
        '/create',
        auth='calendarevents',
        methods=['POST'],
        validate=check_event_form,
        error_handler='new',
        renderer='json',
    )
    def create(self, cal, **kw):
        store(self.request).create_event(
            cal,
            name=kw['name'],
            summary=kw.get('summary', ''),
            datetime=kw['datetime'],
            location=kw['location'],
            linked_entity_type=cal.events_type,
            linked_entity_id=kw.get('linked_entity'),
        )
        self.request.session.flash('Event successfully added')
        return HTTPFound(
            _url(self.request, 'CalendarController', '_default', cal=cal.uid)
        )

    @route('/remove/<calendar_event:event>', auth='calendarevents')
    def remove(self, event):
        request = self.request
        referer = request.referer
        if referer and referer.endswith(
            _url(request, 'EventController', '_default', event=event.uid)
        ):
            referer = _url(
                request,
                'CalendarController',
                '_default',
                cal=event.calendar.uid,
            )
        store(request).delete_event(event)
        return HTTPFound(referer or _url(request, 'RootController', 'index'))

    @route(
        '/edit/<calendar_event:event>', auth='calendarevents', renderer='json'
    )
    def edit(self, event=None, **kw):
        if not isinstance(event, CalendarEvent):  # the error handler of save
            event = _entity('events')(self.request, event or '0')
        cal = event.calendar
        return _page(
            self.request,
            cal=cal,
            event=event,
            linkable_entities=cal.linkable_entities,
            form=['event', 'cal', 'name', 'summary', 'datetime', 'location'],
        )

    @route(
        '/save',
        auth='calendarevents',
        methods=['POST'],
        validate=check_event_form,
        error_handler='edit',
        renderer='json',
    )
    def save(self, event, **kw):
        found = (
            store(self.request).events.get(int(event))
            if event.isdigit()
            else None
        )
        if not found:
            raise HTTPNotFound()
        found.name = kw['name']
        found.summary = kw.get('summary', '')
        found.datetime = kw['datetime']
        found.location = kw['location']
        found.linked_entity_id = kw.get('linked_entity')
        self.request.session.flash('Event successfully modified')
        return HTTPFound(
            _url(self.request, 'EventController', '_default', event=found.uid)
        )

    @route('/<calendar_event:event>', auth='public', renderer='json')
    def _default(self, event):
        if event.event_type and getattr(
            event.event_type, 'force_redirect', False
        ):
            linked_entity_url = event.linked_entity_url
            if linked_entity_url:
                return HTTPFound(linked_entity_url)
        return _page(self.request, event=event)


def plugme(config, mount_point='/calendarevents', **options):
    """What ``plug(base_config, 'calendarevents', event_types=[...])``
    did; the groups' check is the auth mode ``calendarevents``."""
    settings = config.get_settings()
    options['store'] = Store(settings)
    config.add_settings({CONFIG_KEY: options})
    config.add_controller_auth('calendarevents', in_group('calendarevents'))
    config.add_route_converter(
        'calendar', r'[0-9]{1,18}', _entity('calendars')
    )
    config.add_route_converter(
        'calendar_event', r'[0-9]{1,18}', _entity('events')
    )
    with config.route_prefix_context(mount_point):
        config.add_controller(RootController)
    with config.route_prefix_context(mount_point + '/calendar'):
        config.add_controller(CalendarController)
    with config.route_prefix_context(mount_point + '/event'):
        config.add_controller(EventController)
    return {'appid': 'calendarevents', 'global_helpers': False}
