"""Port of tw2.sqla 2.1.0's database form page and selection fields to
Pyramid with pyramid_hooks.

Original: ``tw2/sqla/widgets.py`` (``RelatedValidator``,
``RelatedItemValidator``, ``DbPage.post_define``, ``DbFormPage``:
``fetch_data`` and ``validated_request``, ``DbSelectionField``,
``DbSingleSelectionField`` and ``DbMultipleSelectionField``: ``prepare``
and ``post_define``) and ``tw2/sqla/utils.py`` (``update_or_create``,
the flat part of ``from_dict``).  SQLAlchemy is replaced by an entity
class with a ``primary_key`` name and a ``query`` offering ``all()``,
``get(pk)`` and ``add(obj)`` (the tests use a dict-backed one); the
nested relations of ``from_dict``, ``DbListForm``, ``DbListPage``, the
link fields and the Genshi/Mako templates are left out (the HTML is
written here).

ToscaWidgets 2 -> Pyramid:

- ``class DbFormPage(DbPage, twf.FormPage)`` with ``@classmethod
  request(cls, req)`` (tw2.forms) -> a ``ServerSideCallbackMixin`` widget
  whose ``@serverside_callback`` method ``request`` serves GET and POST,
  mounted by ``config.add_widget``; the page is public only with
  ``callback_authorization=always_allow`` (tw2 has no authorization);
- ``fetch_data(self, req)`` setting ``self.value`` on the request's own
  widget (``cls.req()``) -> ``fetch_data(request)`` returning the value:
  one instance serves every request;
- ``prepare()`` querying the options per display -> the options queried
  when the field is displayed (``options(request)``), never stored on the
  shared field;
- ``post_define`` (run for each subclass) -> ``__init_subclass__``;
  ``twc.Param(request_local=False)`` -> a class attribute;
- ``transaction.commit()`` -> the application's transaction manager
  (pyramid_tm), left out here;
- ``webob.Response(status=302, location=...)`` -> ``HTTPFound``;
- a POST for a primary key that has no record (tw2: ``Exception("cannot
  create with pk")``, a 500) -> 404; the form carries Pyramid's CSRF
  token.
"""

import html

from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.response import Response

from pyramid_hooks import ServerSideCallbackMixin, serverside_callback


class ValidationError(Exception):
    """A field's value is wrong: ``msg`` is for the user."""

    def __init__(self, msg):
        super().__init__(msg)
        self.msg = msg


def name2label(name):
    return ' '.join(word.capitalize() for word in name.split('_'))


class RelatedValidator:
    """A primary key (a form value) <-> the related record."""

    msgs = {
        'required': 'Enter a value',
        'norel': 'No related object found',
    }

    def __init__(self, entity, required=False):
        self.entity = entity
        self.required = required

    def to_python(self, value):
        if not value:
            if self.required:
                raise ValidationError(self.msgs['required'])
            return None
        if isinstance(value, self.entity):
            return value
        if self.entity.primary_key_type is int:
            try:
                value = int(value)
            except ValueError:
                raise ValidationError(self.msgs['norel']) from None
        record = self.entity.query.get(value)
        if record is None:
            raise ValidationError(self.msgs['norel'])
        return record

    def from_python(self, value):
        if not value:
            return ''
        return str(getattr(value, self.entity.primary_key))


class RelatedItemValidator:
    """A list of primary keys <-> records; the keys that name no record
    are dropped, as tw2's ``safe_validate`` drops them."""

    def __init__(self, entity, required=False):
        self.required = required
        self.item_validator = RelatedValidator(entity)

    def to_python(self, values):
        records = []
        for value in values:
            try:
                records.append(self.item_validator.to_python(value))
            except ValidationError:
                continue
        records = [r for r in records if r is not None]
        if not records and self.required:
            raise ValidationError('Enter a value')
        return records


class TextField:
    """A text input."""

    multiple = False

    def __init__(self, name, label=None, required=False):
        self.name = name
        self.label = label or name2label(name)
        self.required = required

    def to_python(self, value):
        value = value.strip()
        if not value and self.required:
            raise ValidationError('Enter a value')
        return value

    def from_python(self, value):
        return '' if value is None else str(value)

    def display(self, request, value):
        value = html.escape(self.from_python(value))
        return (
            f'<input type="text" id="{self.name}" name="{self.name}" '
            f'value="{value}"/>'
        )


class DbSelectionField(TextField):
    """A selection among an entity's records, listed when displayed."""

    entity = None
    input_type = None

    def __init__(self, name, entity=None, **kw):
        super().__init__(name, **kw)
        if entity is not None:
            self.entity = entity
        if self.entity is None:
            raise ValueError(f'{type(self).__name__} {name!r}: no entity')
        self.validator = self.make_validator()

    def options(self, request):
        """tw2's ``prepare``: the options, queried for this display."""
        key = self.entity.primary_key
        return [
            (str(getattr(record, key)), str(record))
            for record in self.entity.query.all()
        ]

    def to_python(self, value):
        return self.validator.to_python(value)

    def display(self, request, value):
        chosen = self.chosen(value)
        rows = [
            self.option(key, label, key in chosen)
            for key, label in self.options(request)
        ]
        return self.wrap(''.join(rows))


class DbSingleSelectField(DbSelectionField):
    def make_validator(self):
        return RelatedValidator(self.entity, required=self.required)

    def chosen(self, value):
        if isinstance(value, str):  # redisplayed as posted
            return {value}
        return {self.validator.from_python(value)}

    def option(self, key, label, selected):
        mark = ' selected="selected"' if selected else ''
        return (
            f'<option value="{html.escape(key)}"{mark}>'
            f'{html.escape(label)}</option>'
        )

    def wrap(self, options):
        return (
            f'<select id="{self.name}" name="{self.name}">'
            f'<option value=""></option>{options}</select>'
        )


class DbCheckBoxList(DbSelectionField):
    multiple = True

    def make_validator(self):
        return RelatedItemValidator(self.entity, required=self.required)

    def chosen(self, value):
        item = self.validator.item_validator
        return {v if isinstance(v, str) else item.from_python(v)
                for v in value or ()}  # fmt: skip

    def option(self, key, label, selected):
        mark = ' checked="checked"' if selected else ''
        return (
            f'<li><label><input type="checkbox" name="{self.name}" '
            f'value="{html.escape(key)}"{mark}/> {html.escape(label)}'
            '</label></li>'
        )

    def wrap(self, options):
        return f'<ul id="{self.name}">{options}</ul>'


class DbFormPage(ServerSideCallbackMixin):
    """A page with a form bound to a record of ``entity``: GET (with the
    primary key in the query string to edit a record, without it for a
    new one) shows the form; POST validates it and creates or updates
    the record, then redirects to ``redirect`` or says so."""

    entity = None
    title = None
    children = ()
    redirect = None
    submit_text = 'Save'

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.entity is not None and 'title' not in cls.__dict__:
            cls.title = name2label(cls.entity.__name__)

    def fetch_data(self, request):
        key = self.entity.primary_key
        if key not in request.GET:
            return None
        return self.entity.query.get(self.primary_key(request.GET[key]))

    def primary_key(self, value):
        if self.entity.primary_key_type is int:
            try:
                return int(value)
            except ValueError:
                return None
        return value

    def value_of(self, value, field):
        if value is None:
            return [] if field.multiple else None
        if isinstance(value, dict):
            return value.get(field.name)
        return getattr(value, field.name, None)

    def display(self, request, value, errors=None):
        errors = errors or {}
        rows = []
        for field in self.children:
            error = errors.get(field.name)
            shown = field.display(request, self.value_of(value, field))
            rows.append(
                f'<tr><th><label for="{field.name}">{field.label}</label>'
                f'</th><td>{shown}'
                + (f'<span class="error">{html.escape(error)}</span>'
                   if error else '')
                + '</td></tr>'
            )  # fmt: skip
        token = html.escape(get_csrf_token(request))
        title = html.escape(self.title or '')
        return (
            f'<html><head><title>{title}</title></head><body>'
            f'<h1>{title}</h1><form method="post">'
            f'<input type="hidden" name="csrf_token" value="{token}"/>'
            f'<table>{"".join(rows)}</table>'
            f'<input type="submit" value="{self.submit_text}"/>'
            '</form></body></html>'
        )

    @serverside_callback(request_method=('GET', 'POST'))
    def request(self, request):
        if request.method == 'GET':
            body = self.display(request, self.fetch_data(request))
            return Response(body, content_type='text/html', charset='utf-8')
        posted = {
            f.name: request.POST.getall(f.name)
            if f.multiple
            else request.POST.get(f.name, '')
            for f in self.children
        }
        data, errors = {}, {}
        for field in self.children:
            try:
                data[field.name] = field.to_python(posted[field.name])
            except ValidationError as e:
                errors[field.name] = e.msg
        if errors:
            body = self.display(request, posted, errors)
            return Response(body, content_type='text/html', charset='utf-8')
        key = self.entity.primary_key
        if key not in data and key in request.GET:
            data[key] = request.GET[key]
        return self.validated_request(request, data)

    def validated_request(self, request, data):
        self.update_or_create(data)
        if self.redirect is not None:
            return HTTPFound(self.redirect)
        return Response('Form posted successfully', content_type='text/plain')

    def update_or_create(self, data):
        """tw2.sqla's ``update_or_create``: the record named by the primary
        key, else a new one; the primary key itself is never written."""
        key = self.entity.primary_key
        if data.get(key):
            record = self.entity.query.get(self.primary_key(data[key]))
            if record is None:
                raise HTTPNotFound()
        else:
            record = self.entity()
            self.entity.query.add(record)
        for name, value in data.items():
            if name != key:
                setattr(record, name, value)
        return record
