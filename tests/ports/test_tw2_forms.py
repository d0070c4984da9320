"""tw2.forms 2.2.6's ``FileField`` and calendar pickers, ported
(tests/ports/tw2_forms.py): a multipart form whose upload, date and
date-time are validated by the widget and redisplayed with errors."""

import datetime
import io
import re

import pytest
from pyramid.config import Configurator
from pyramid.response import Response
from pyramid.security import Allowed, Denied
from pyramid.session import SignedCookieSessionFactory
from webob import Request
from webtest import TestApp, Upload

from pyramid_hooks import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)
from tests.ports.tw2_forms import (
    CalendarDatePicker,
    CalendarDateTimePicker,
    CheckBoxList,
    FileField,
    FormField,
    UploadForm,
)

DISPLAYS = []


def today():
    DISPLAYS.append(1)
    return datetime.datetime(2026, 12, 8, 9, 30)


class HeaderPolicy:
    """The user is the ``X-User`` header; a user may upload."""

    def identity(self, request):
        return request.headers.get('X-User')

    authenticated_userid = identity

    def permits(self, request, context, permission):
        if self.identity(request):
            return Allowed('a user')
        return Denied('anonymous')


def logged_in(callback, request):
    return (
        Response() if request.headers.get('X-User') else Response(status=403)
    )


def make_app(store=None, authorization=always_allow, **env):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(HeaderPolicy())
    config.add_static_view('tw2', 'tests.ports:tw2_static')
    fields = [
        FormField('title', required=True),
        FileField('doc', extension='.pdf', max_bytes=10, required=True),
        CalendarDatePicker(
            'due', required=True, calendar_lang='fr', default=today
        ),
        CalendarDateTimePicker('meeting'),
        CheckBoxList('tags', ['urgent', 'draft', 'final']),
    ]
    form = UploadForm(
        id='upload',
        fields=fields,
        store={} if store is None else store,
        static='tests.ports:tw2_static',
        callback_authorization=authorization,
    )
    config.add_widget(form)
    return TestApp(config.make_wsgi_app(), extra_environ=env)


def post(app, fields, prefix=''):
    page = app.get(f'{prefix}/_widgets/upload/form')
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    return app.post(
        f'{prefix}/_widgets/upload/upload',
        [('csrf_token', token), *fields],
        extra_environ={'HTTP_X_USER': 'ann'},
    )


def test_the_form_is_multipart_with_the_calendar_resources():
    DISPLAYS.clear()
    app = make_app(SCRIPT_NAME='/app', HTTP_X_USER='ann')
    page = app.get('/app/_widgets/upload/form')
    assert 'enctype="multipart/form-data"' in page.text
    assert 'action="/app/_widgets/upload/upload"' in page.text
    assert '<input type="file" name="doc" id="doc"/>' in page.text
    assert '<script src="/app/tw2/calendar/lang/calendar-fr.js">' in page.text
    assert page.text.count('calendar-setup.js') == 1  # two pickers
    assert 'id="due" value="2026-12-08"' in page.text  # required: default
    assert 'id="meeting" value=""' in page.text
    assert (
        'Calendar.setup({"inputField": "meeting", "showsTime": true, '
        '"ifFormat": "%Y-%m-%d %H:%M", "button": "meeting_trigger"})'
    ) in page.text
    app.get('/app/_widgets/upload/form')
    assert len(DISPLAYS) == 2  # the default is called at each display


def test_a_valid_upload_is_stored():
    store = {}
    app = make_app(store)
    res = post(
        app,
        [
            ('title', ' Report '),
            ('doc', Upload('a.pdf', b'%PDF-1', 'application/pdf')),
            ('due', '2026-12-24'),
            ('meeting', '2026-12-20 14:00'),
        ],
    )
    assert res.status_int == 302
    assert store == {
        'a.pdf': {
            'title': 'Report',
            'doc': b'%PDF-1',
            'due': datetime.date(2026, 12, 24),
            'meeting': datetime.datetime(2026, 12, 20, 14, 0),
            'tags': [],
        }
    }
    assert '<li>a.pdf</li>' in res.follow().text


@pytest.mark.parametrize(
    'doc, message',
    [
        (Upload('', b''), 'Select a file'),  # an empty file input: b''
        (Upload('a.txt', b'x'), 'File name must have &#x27;.pdf&#x27;'),
        (Upload('a.pdf', b'x' * 11), 'The file must be at most 10 bytes'),
        ('not a file', 'Form submission received corrupted'),
    ],
)
def test_a_bad_file_redisplays_the_form_without_it(doc, message):
    page = post(
        make_app(), [('title', 'Kept'), ('doc', doc), ('due', '2026-12-24')]
    )
    assert page.status_int == 200
    assert message in page.text
    assert 'id="title" value="Kept"' in page.text
    assert '<input type="file" name="doc" id="doc"/>' in page.text


def test_bad_dates_and_corrupt_fields():
    page = post(
        make_app(),
        [
            ('title', 'a'),
            ('title', 'b'),
            ('doc', Upload('a.pdf', b'x')),
            ('due', '24/12/2026'),
            ('meeting', 'tomorrow'),
        ],
    )
    assert 'Must follow date format year-month-day' in page.text
    assert 'Invalid datetime format.' in page.text
    assert 'id="due" value="24/12/2026"' in page.text  # as typed
    assert 'id="title" value=""' in page.text  # a list: not shown
    assert 'Form submission received corrupted' in page.text
    page = post(
        make_app(),
        [('title', Upload('t.txt', b't')), ('doc', Upload('a.pdf', b'x'))],
    )
    assert 'Form submission received corrupted' in page.text
    assert page.text.count('Enter a value') == 1  # the due date, required
    assert 'id="due" value="2026-12-08"' in page.text  # today, shown again


def test_an_upload_needs_the_csrf_token():
    make_app().post(
        '/_widgets/upload/upload',
        upload_files=[('doc', 'a.pdf', b'x')],
        extra_environ={'HTTP_X_USER': 'ann'},
        status=400,
    )


def test_an_unknown_calendar_language_is_refused():
    with pytest.raises(ValueError, match="no calendar language 'xx'; one of"):
        CalendarDatePicker('due', calendar_lang='xx')


class Stream(io.RawIOBase):
    """A client's upload of *size* bytes, counting what is read."""

    def __init__(self, size):
        self.size, self.sent = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer), self.size - self.sent)
        buffer[:count] = b'x' * count
        self.sent += count
        return count


def anonymous_upload(app, size=5_000_000, **headers):
    stream = Stream(size)
    request = Request.blank(
        '/_widgets/upload/upload',
        method='POST',
        environ={
            'wsgi.input': stream,
            'CONTENT_LENGTH': str(size),
            'CONTENT_TYPE': 'multipart/form-data; boundary=zz',
            **headers,
        },
    )
    request.environ['wsgi.input'] = stream
    return request.get_response(app.app), stream.sent


def test_permission_refuses_an_anonymous_upload_before_reading_it():
    response, sent = anonymous_upload(make_app())
    assert response.status_int == 403
    assert sent == 0


class HandlerOnly(ServerSideCallbackMixin):
    """An upload guarded by an authorization handler alone."""

    @serverside_callback(request_method='POST', name='upload')
    def receive(self, request):
        return Response('stored')


def test_a_handler_alone_refuses_after_the_csrf_check_read_the_upload():
    # the trap permission= avoids: step 5 parses the form for its
    # csrf_token field before the handler (step 6) is asked
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.add_widget(
        HandlerOnly(id='upload', callback_authorization=logged_in)
    )
    app = TestApp(config.make_wsgi_app())
    response, sent = anonymous_upload(app)
    assert response.status_int == 400  # no token: BadCSRFToken
    assert sent == 5_000_000
    # a script's upload with the token in the header: nothing parsed
    response, sent = anonymous_upload(app, HTTP_X_CSRF_TOKEN='not-it')
    assert (response.status_int, sent) == (400, 0)


@pytest.mark.parametrize(
    'tags',
    [['urgent'], ['urgent', 'final']],  # one box: a string in params
)
def test_checked_boxes_are_a_list_however_many(tags):
    store = {}
    fields = [
        ('doc', Upload('a.pdf', b'x')),
        ('title', 't'),
        ('due', '2027-01-05'),
    ]
    res = post(make_app(store), fields + [('tags', t) for t in tags])
    assert res.status_int == 302
    assert store['a.pdf']['tags'] == tags


def test_a_made_up_box_is_refused_and_the_checked_ones_kept():
    fields = [('title', 't'), ('tags', 'final'), ('tags', 'secret')]
    page = post(make_app(), fields)
    assert 'Invalid value' in page.text
    assert 'value="final" checked="checked"' in page.text
    assert 'value="urgent"/>' in page.text
    page = post(make_app(), [('title', 't'), ('tags', 'draft')])
    assert 'value="draft" checked="checked"' in page.text  # one: a string
