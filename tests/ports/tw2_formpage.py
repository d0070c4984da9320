"""Port of tw2.forms 2.2.6's ``FormPage`` to Pyramid with pyramid_hooks.

Original: ``tw2/forms/widgets.py`` (``FormPage.request``,
``FormPage.validated_request``), over tw2.core's ``Page`` (a page widget
whose id is its class name) and ``ValidationError`` (which carries the
widget to redisplay, values and errors filled in).  The form and its
fields are reduced to what ``FormPage`` needs; the HTML is written here,
no template.

ToscaWidgets 2 -> Pyramid:

- ``@classmethod request(cls, req)``, registered by
  ``register_controller`` under the widget's id -> a
  ``@serverside_callback`` method ``request(self, request)`` of a
  ``ServerSideCallbackMixin`` widget, mounted by ``config.add_widget``;
  one instance serves every request, so per-request values go on a copy;
- the middleware's ``config.debug`` -> the ``tw2.debug`` setting
  (default false: the posted values are echoed only when asked);
- a POST carries Pyramid's CSRF token (a hidden field of the form).
"""

import copy
import html

from pyramid.csrf import get_csrf_token
from pyramid.response import Response
from pyramid.settings import asbool

from pyramid_hooks import ServerSideCallbackMixin, serverside_callback


class ValidationError(Exception):
    """Raised by ``validate``; ``widget`` is the one to redisplay."""

    def __init__(self, msg, widget):
        super().__init__(msg)
        self.widget = widget


class Field:
    """A text field: ``required``, and ``validator(value)`` returning an
    error message or ``None``."""

    def __init__(self, name, label=None, required=False, validator=None):
        self.name = name
        self.label = label or name.replace('_', ' ').capitalize()
        self.required = required
        self.validator = validator

    def validate(self, value):
        if not value:
            return 'Enter a value' if self.required else None
        return self.validator and self.validator(value)


class Form:
    """A form of :class:`Field` children."""

    children = ()
    submit_text = 'Save'

    def display(self, request, value, errors):
        rows = []
        for field in self.children:
            entered = html.escape(value.get(field.name, ''))
            error = errors.get(field.name)
            rows.append(
                f'<tr><th><label for="{field.name}">{field.label}</label>'
                f'</th><td><input type="text" id="{field.name}" '
                f'name="{field.name}" value="{entered}"/>'
                + (f'<span class="error">{error}</span>' if error else '')
                + '</td></tr>'
            )
        token = html.escape(get_csrf_token(request))
        return (
            '<form method="post">'
            f'<input type="hidden" name="csrf_token" value="{token}"/>'
            f'<table>{"".join(rows)}</table>'
            f'<input type="submit" value="{self.submit_text}"/></form>'
        )


class Page(ServerSideCallbackMixin):
    """A whole page around ``child``; its id is the class name, lowered,
    unless the class says ``_no_autoid``."""

    title = None
    child = None

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if '_no_autoid' not in cls.__dict__ and 'id' not in cls.__dict__:
            cls.id = cls.__name__.lower()

    value = {}
    error_msgs = {}

    def display(self, request):
        title = html.escape(self.title or '')
        body = self.child.display(request, self.value, self.error_msgs)
        return (
            f'<html><head><title>{title}</title></head>'
            f'<body><h1>{title}</h1>{body}</body></html>'
        )

    @serverside_callback(request_method='GET')
    def request(self, request):
        return Response(self.display(request), content_type='text/html')

    def validate(self, params):
        data = {f.name: params.get(f.name, '') for f in self.child.children}
        errors = {}
        for field in self.child.children:
            message = field.validate(data[field.name])
            if message:
                errors[field.name] = message
        if errors:
            widget = copy.copy(self)
            widget.value = data
            widget.error_msgs = errors
            raise ValidationError('Validation error', widget)
        return data


class FormPage(Page):
    """A page around a form: GET shows it; POST validates the fields and
    shows the form again with the errors, or hands the values to
    :meth:`validated_request`."""

    _no_autoid = True

    @serverside_callback(request_method=('GET', 'POST'))
    def request(self, request):
        if request.method == 'GET':
            return super().request(request)
        try:
            data = self.validate(request.POST)
        except ValidationError as e:
            resp = Response(request=request, content_type='text/html')
            resp.text = e.widget.display(request)
        else:
            resp = self.validated_request(request, data)
        return resp

    def validated_request(self, request, data):
        resp = Response(request=request, content_type='text/html')
        resp.text = 'Form posted successfully'
        if asbool(request.registry.settings.get('tw2.debug', False)):
            resp.text += ' ' + repr(data)
        return resp
