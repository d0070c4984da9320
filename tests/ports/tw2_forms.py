"""Port of tw2.forms 2.2.6's file upload and calendar fields to Pyramid
with pyramid_hooks.

Original: ``tw2/forms/widgets.py`` (``FileValidator``: ``required``,
``extension``, ``corrupt``; ``FileField``: a file input that never
shows a value; ``Form``'s ``enctype``; ``CheckBoxList`` and
``MultipleSelectionField._validate``, a list whatever was checked),
``tw2/forms/calendars.py``
(``CalendarDatePicker``: ``calendar_lang`` picked by ``post_define``
among the language files, ``date_format``, ``required``, ``default``
called at each display, the ``Calendar.setup`` call;
``CalendarDateTimePicker``) and tw2.core's ``Validator`` (``required``,
``strip``, ``msgs``), ``DateTimeValidator`` and ``DateValidator``.  The
HTML is written here, no templates; the JavaScript calendar is not
ported, only its resource tags and its setup call.

ToscaWidgets 2 -> Pyramid:

- ``FormPage.request`` -> a GET callback ``form`` and a POST callback
  ``upload`` (Pyramid's CSRF token, a field of the multipart form),
  guarded by ``permission='upload'``: the security policy refuses before
  the CSRF check reads the body for its ``csrf_token`` field, where an
  authorization handler, after it, would refuse an upload already
  received whole;
- the form's validation -> ``validate='check'``, a method of the
  widget; ``error_handler='redisplay'`` shows the form again;
- ``isinstance(value, cgi.FieldStorage)`` -> an object with ``filename``
  and ``file`` (WebOb's own ``FieldStorage`` class, ``cgi`` being gone
  from Python 3.13); an empty file input, which WebOb gives as ``b''``
  (bytes, not text), is no file; the content is read up to ``max_bytes``
  (the original read whatever was sent);
- a ``CheckBoxList``'s value, a list in tw2 -> one checked box is a
  string in ``params`` (several a list: TurboGears' keyword arguments),
  made a list by the validator, each value checked against the options;
- ``calendar_langs[cls.calendar_lang]`` in ``post_define`` (a
  ``KeyError`` at import) -> checked by ``__init__`` (a ``ValueError``
  naming the languages); the resources served by tw2's middleware ->
  ``request.static_path`` of the application's static view;
- ``strftime_before1900`` -> ``datetime.strftime``, which Python 3 does
  for any year from 1000;
- ``CalendarDateTimePicker.messages`` (read by nothing in tw2: its
  validator's ``msgs`` said ``Must follow date/time format ...``) -> the
  validator's messages.
"""

import datetime
import html
import json
import re
import string

from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPFound
from pyramid.response import Response

from pyramid_hooks import Invalid, ServerSideCallbackMixin, serverside_callback

#: the languages tw2.forms ships a calendar file for (some of them)
CALENDAR_LANGS = frozenset(
    ('de', 'en', 'es', 'fr', 'it', 'ja', 'nl', 'pt_br', 'ru', 'zh_cn')
)


class ValidationError(Exception):
    def __init__(self, key, validator):
        template = string.Template(validator.msgs[key])
        self.message = template.safe_substitute(validator.fill())
        super().__init__(self.message)


class Validator:
    """tw2.core's: ``required``, ``msgs`` (``$name`` filled from the
    validator); a value that is not text (a repeated field, an upload) is
    ``corrupt``."""

    msgs = {
        'required': 'Enter a value',
        'corrupt': 'Form submission received corrupted; please try again',
    }
    required = False

    def __init__(self, **kw):
        self.msgs = {**self.msgs, **kw.pop('msgs', {})}
        for name, value in kw.items():
            setattr(self, name, value)

    def fill(self):
        return {k: getattr(self, k) for k in dir(self) if k[0] != '_'}

    @staticmethod
    def is_empty(value):
        # never bool() an upload: cgi's FieldStorage raises TypeError
        return value is None or (
            isinstance(value, (str, bytes, list)) and not value
        )

    def to_python(self, value):
        if self.is_empty(value):
            if self.required:
                raise ValidationError('required', self)
            return None
        return self.convert(value)

    def convert(self, value):
        if not isinstance(value, str):
            raise ValidationError('corrupt', self)
        return value.strip()


class FileValidator(Validator):
    extension = None
    max_bytes = 1 << 20
    msgs = {
        **Validator.msgs,
        'required': 'Select a file',
        'badext': "File name must have '$extension' extension",
        'toobig': 'The file must be at most $max_bytes bytes',
    }

    def convert(self, value):
        if not (hasattr(value, 'filename') and hasattr(value, 'file')):
            raise ValidationError('corrupt', self)
        if not value.filename:
            if self.required:
                raise ValidationError('required', self)
            return None
        if self.extension is not None and not value.filename.endswith(
            self.extension
        ):
            raise ValidationError('badext', self)
        data = value.file.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise ValidationError('toobig', self)
        return value.filename, data


class DateTimeValidator(Validator):
    format = '%Y-%m-%d %H:%M'
    names = {'d': 'day', 'H': 'hour', 'm': 'month', 'M': 'minute'}
    msgs = {
        **Validator.msgs,
        'baddatetime': 'Must follow date/time format $format_str',
    }

    def fill(self):
        names = {**self.names, 'Y': 'year'}
        text = re.sub('%(.)', lambda m: names.get(m[1], ''), self.format)
        return {**super().fill(), 'format_str': text}

    def convert(self, value):
        value = super().convert(value)
        try:
            return datetime.datetime.strptime(value, self.format)
        except ValueError:
            raise ValidationError('baddatetime', self) from None


class DateValidator(DateTimeValidator):
    format = '%Y-%m-%d'
    msgs = {
        **DateTimeValidator.msgs,
        'baddatetime': 'Must follow date format $format_str',
    }

    def convert(self, value):
        return super().convert(value).date()


class ListValidator(Validator):
    """tw2.forms' ``MultipleSelectionField._validate``: one value or
    many, always a list; each must be one of ``values`` (the port's: tw2
    took any value a client made up)."""

    values = ()
    msgs = {**Validator.msgs, 'notinlist': 'Invalid value'}

    def to_python(self, value):
        values = [] if value is None else value
        if not isinstance(values, list):  # one box checked: not a list
            values = [values]
        values = [self.convert(v) for v in values]
        if self.required and not values:
            raise ValidationError('required', self)
        if any(v not in self.values for v in values):
            raise ValidationError('notinlist', self)
        return values


class FormField:
    type = 'text'
    validator = Validator

    def __init__(self, name, label=None, required=False, **kw):
        self.name = name
        self.label = label or name.replace('_', ' ').capitalize()
        self.required = required
        for key, value in kw.items():
            setattr(self, key, value)
        if isinstance(self.validator, type):
            self.validator = self.validator(required=required)

    def shown(self, value):
        return value if isinstance(value, str) else ''  # a list: corrupt

    def display(self, request, value):
        shown = html.escape(self.shown(value))
        return (
            f'<input type="{self.type}" name="{self.name}" id="{self.name}"'
            f' value="{shown}"/>'
        )


class FileField(FormField):
    """What the user sent is never shown again (the browser would not
    send it back)."""

    type = 'file'
    validator = FileValidator

    def __init__(self, name, extension=None, max_bytes=None, **kw):
        super().__init__(name, **kw)
        self.validator.extension = extension
        if max_bytes is not None:
            self.validator.max_bytes = max_bytes

    def display(self, request, value):
        return f'<input type="file" name="{self.name}" id="{self.name}"/>'


class CheckBoxList(FormField):
    """Check boxes of one name, one per option."""

    validator = ListValidator

    def __init__(self, name, options, **kw):
        super().__init__(name, **kw)
        self.options = list(options)
        self.validator.values = self.options

    def display(self, request, value):
        chosen = value if isinstance(value, list) else [value]
        return ''.join(
            f'<input type="checkbox" name="{self.name}" '
            f'id="{self.name}:{i}" value="{html.escape(option)}"'
            + (' checked="checked"' if option in chosen else '')
            + f'/><label for="{self.name}:{i}">{html.escape(option)}</label>'
            for i, option in enumerate(self.options)
        )


class CalendarDatePicker(FormField):
    calendar_lang = 'en'
    date_format = '%Y-%m-%d'
    picker_shows_time = False
    setup_options = {}
    default = staticmethod(datetime.datetime.now)
    validator_class = DateValidator
    msgs = {}

    def __init__(self, name, **kw):
        super().__init__(name, validator=None, **kw)
        if self.calendar_lang not in CALENDAR_LANGS:
            raise ValueError(
                f'{type(self).__name__}: no calendar language '
                f'{self.calendar_lang!r}; one of {sorted(CALENDAR_LANGS)}'
            )
        self.validator = self.validator_class(
            format=self.date_format, required=self.required, msgs=self.msgs
        )

    def resources(self, request, static):
        return [
            request.static_path(f'{static}/calendar/{name}')
            for name in (
                'calendar-system.css',
                'calendar.js',
                'calendar-setup.js',
                f'lang/calendar-{self.calendar_lang}.js',
            )
        ]

    def display(self, request, value):
        if not value and self.required:
            value = self.default() if callable(self.default) else self.default
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.strftime(self.date_format)
        options = {
            'inputField': self.name,
            'showsTime': self.picker_shows_time,
            'ifFormat': self.date_format,
            'button': f'{self.name}_trigger',
            **self.setup_options,
        }
        setup = json.dumps(options).replace('<', '\\u003c')
        return (
            super().display(request, value)
            + f'<input type="button" id="{self.name}_trigger" value="Choose"/>'
            f'<script>Calendar.setup({setup});</script>'
        )


class CalendarDateTimePicker(CalendarDatePicker):
    date_format = '%Y-%m-%d %H:%M'
    picker_shows_time = True
    validator_class = DateTimeValidator
    msgs = {
        'baddatetime': 'Invalid datetime format.',
        'required': 'Please Enter a Date and Time.',
    }


class UploadForm(ServerSideCallbackMixin):
    """A multipart form of ``children``: GET shows it, POST validates and
    stores what was sent in ``store``."""

    title = 'Upload'
    children = ()  # not mounted: FormFields, no callbacks of their own

    def __init__(self, *, fields, store, static, **kw):
        super().__init__(**kw)
        self.fields = fields
        self.store = store
        self.static = static

    def display(self, request, value, errors):
        links = []
        rows = []
        for field in self.fields:
            if isinstance(field, CalendarDatePicker):
                links += field.resources(request, self.static)
            error = html.escape(errors.get(field.name) or '')
            rows.append(
                f'<tr><th><label for="{field.name}">{field.label}</label>'
                f'</th><td>{field.display(request, value.get(field.name))}'
                + (f'<span class="error">{error}</span>' if error else '')
                + '</td></tr>'
            )
        head = ''.join(
            f'<link rel="stylesheet" href="{url}"/>'
            if url.endswith('.css')
            else f'<script src="{url}"></script>'
            for url in dict.fromkeys(links)
        )
        token = html.escape(get_csrf_token(request))
        action = self.url_for_callback(request, 'upload')
        done = ''.join(
            f'<li>{html.escape(name)}</li>' for name in sorted(self.store)
        )
        return (
            f'<html><head><title>{self.title}</title>{head}</head><body>'
            f'<ul class="uploaded">{done}</ul>'
            f'<form method="post" action="{action}" '
            'enctype="multipart/form-data">'
            f'<input type="hidden" name="csrf_token" value="{token}"/>'
            f'<table>{"".join(rows)}</table>'
            '<input type="submit" value="Save"/></form></body></html>'
        )

    @serverside_callback(request_method='GET')
    def form(self, request):
        return Response(self.display(request, {}, {}))

    def redisplay(self, request):
        params = request.hook_params
        value = {  # what was typed; an upload is never shown again
            name: typed
            for name, typed in params.items()
            if isinstance(typed, str)
            or (
                isinstance(typed, list)
                and all(isinstance(t, str) for t in typed)
            )
        }
        return Response(
            self.display(request, value, request.validation_errors)
        )

    def check(self, request, params):
        data, errors = {}, {}
        for field in self.fields:
            try:
                data[field.name] = field.validator.to_python(
                    params.get(field.name)
                )
            except ValidationError as e:
                errors[field.name] = e.message
        if errors:
            raise Invalid(errors)
        return data

    @serverside_callback(
        request_method='POST',
        permission='upload',
        validate='check',
        error_handler='redisplay',
    )
    def upload(self, request):
        data = dict(request.hook_params)
        for field in self.fields:
            if isinstance(field, FileField) and data[field.name]:
                filename, content = data[field.name]
                self.store[filename] = {**data, field.name: content}
        return HTTPFound(self.url_for_callback(request, 'form'))
