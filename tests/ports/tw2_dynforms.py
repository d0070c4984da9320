"""Port of tw2.dynforms 2.0.1's server side to Pyramid with pyramid_hooks.

Original: ``tw2/dynforms/widgets.py``: ``GrowingGridLayout`` (its
``post_define`` adding a ``del`` image button to the row, ``prepare``
adding the hidden template row, ``_validate`` dropping the rows whose
``del`` button was clicked and the blank ones), ``HidingCheckBox`` /
``HidingContainerMixin`` (``post_define`` checking the ``mapping``,
``prepare`` hiding the controls the value does not show, ``_validate``
skipping them), ``CalendarDatePicker`` (a ``DateValidator`` and the
current date as the value at each display), ``CustomisedForm`` (its
client-side attributes), and ``examples/myapp2.py``'s ``OrderForm``
(a ``FormPage`` editing the order named in the query).  The HTML is
written here, no Genshi templates; the JavaScript is not ported.

ToscaWidgets 2 -> Pyramid:

- ``FormPage.request`` (GET shows, POST validates) -> a GET callback
  ``form`` and a POST callback ``save`` with Pyramid's CSRF token;
- the form's ``_validate`` (tw2's ``validate`` on POST) -> the widget's
  method ``check(self, request, params)`` raising ``Invalid``, named by
  the callback's ``validate='check'`` (a name without a dot: a method of
  the widget, called on it);
- ``ValidationError`` redisplaying the form -> ``error_handler=
  'redisplay'``, with ``request.hook_params`` and
  ``request.validation_errors``;
- ``post_define`` checking the hiding ``mapping`` (a ``ParameterError``
  at import) -> ``__init__`` (a ``ValueError`` when the app is made);
- ``prepare`` setting ``self.value`` on the request's widget -> values
  computed per display and passed on;
- compound names ``items:<row>:<field>`` read from the params dict, the
  number of rows bounded (the original's ``max_reps`` was "TBD": any
  count was accepted); a posted value of the wrong shape (a ``NameError``
  on ``vd`` in the original: a 500) -> ``Invalid``, ``Corrupt value``;
- ``validated_request``'s ``transaction.commit()`` -> a store given to
  the widget, then a redirect to the form (Post/Redirect/Get).
"""

import datetime
import html
import re

from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPFound
from pyramid.response import Response

from pyramid_hooks import Invalid, ServerSideCallbackMixin, serverside_callback

ROW_FIELD = re.compile(r'items:(\d{1,4}):([A-Za-z_]\w*(?:\.[xy])?)$')


def _input(name, value='', type='text', attrs=''):
    value = html.escape(value if isinstance(value, str) else '')  # a list
    return (
        f'<input type="{type}" name="{name}" id="{name}" value="{value}"'
        f'{attrs}/>'
    )


def _error(message):
    if not message:
        return ''
    return f'<span class="error">{html.escape(message)}</span>'


class OrderForm(ServerSideCallbackMixin):
    """An order with a growing grid of items, a delivery check box
    showing the address, and a due date."""

    title = 'Order'
    item_fields = ('code', 'description')
    codes = ('Red', 'Blue', 'Green')
    # the hiding check box's mapping: value -> the controls it shows
    mapping = {True: ['address']}
    fields = ('name', 'delivery', 'address', 'due')
    date_format = '%d/%m/%Y'
    max_reps = 50  # rows a post may carry, deleted and blank ones included
    blank_deleted = disable_enter = prevent_multi_submit = True
    today = staticmethod(datetime.date.today)

    def __init__(self, *, store, **kw):
        for name in ('mapping', 'max_reps', 'today'):
            if name in kw:
                setattr(self, name, kw.pop(name))
        super().__init__(**kw)
        seen = set()
        for field in self.fields:
            seen.add(field)
            for shown in self.mapping.values() if field == 'delivery' else ():
                for control in shown:
                    if control not in self.fields:
                        raise ValueError(
                            f'Widget referenced in mapping does not exist: '
                            f'{control}'
                        )
                    if control in seen:
                        raise ValueError(
                            'Widget mapping references a preceding widget: '
                            f'{control}'
                        )
        self.hiding = {c for shown in self.mapping.values() for c in shown}
        self.store = store

    # -- display

    def display(self, request, value, errors):
        value = dict(value)
        due = value.get('due') or self.today()  # today, at each display
        if isinstance(due, datetime.date):
            value['due'] = due.strftime(self.date_format)
        shown = set(self.mapping.get(bool(value.get('delivery')), ()))
        rows = []
        for field in self.fields:
            style = ''
            if field in self.hiding and field not in shown:
                style = ' style="display:none;"'
            if field == 'delivery':
                checked = ' checked="checked"' if value.get(field) else ''
                control = _input(
                    field,
                    'on',
                    'checkbox',
                    f'{checked} onclick="twd_hiding_onchange(this)"',
                )
            else:
                control = _input(field, value.get(field))
            error = _error(errors.get(field))
            rows.append(
                f'<tr id="{field}:container"{style}><th>{field}</th><td>'
                f'{control}' + error + '</td></tr>'
            )
        token = html.escape(get_csrf_token(request))
        attrs = ' onsubmit="twd_blank_deleted()"' if self.blank_deleted else ''
        submit = ' onclick="return twd_no_multi_submit(this);"'
        script = (
            '<script>document.onkeypress = twd_suppress_enter;</script>'
            if self.disable_enter
            else ''
        )
        action = self.url_for_callback(request, 'save')
        return (
            f'<html><head><title>{self.title}</title>{script}</head><body>'
            f'<form method="post" action="{action}"{attrs}>'
            f'<input type="hidden" name="csrf_token" value="{token}"/>'
            f'{_input("id", value.get("id"), "hidden")}'
            f'<table>{"".join(rows)}</table>'
            f'{self.grid(value.get("items") or [], errors)}'
            '<input type="submit" value="Save"'
            f'{submit if self.prevent_multi_submit else ""}/>'
            '</form></body></html>'
        )

    def grid(self, items, errors):
        """The growing grid: row 0 the hidden template the client copies,
        then one row per item, then an empty one to grow from."""
        out = []
        for index, item in enumerate([{}, *items, {}]):
            last = index in (0, len(items) + 1)
            hidden = ' style="display:none;"' if index == 0 else ''
            cells = []
            for field in self.item_fields:
                name = f'items:{index}:{field}'
                grow = ' onchange="twd_grow_add(this);"' if last else ''
                cells.append(
                    f'<td>{_input(name, item.get(field), attrs=grow)}'
                    + _error(errors.get(name))
                    + '</td>'
                )
            delete = ' style="display:none;"' if last else ''
            cells.append(
                f'<td><input type="image" name="items:{index}:del" alt='
                f'"Delete row"{delete} onclick="twd_grow_del(this); '
                'return false;"/></td>'
            )
            out.append(f'<tr{hidden}>{"".join(cells)}</tr>')
        error = _error(errors.get('items'))
        return f'<table class="growing">{"".join(out)}</table>{error}'

    @serverside_callback(request_method='GET')
    def form(self, request):
        order = self.store.get(request.GET.get('id', ''), {})
        return Response(self.display(request, order, {}))

    def redisplay(self, request):
        value = dict(request.hook_params)
        try:
            value['items'] = [row for _, row in self.rows(value)]
        except Invalid:  # a corrupt grid: shown empty
            value['items'] = []
        page = self.display(request, value, request.validation_errors)
        return Response(page)

    # -- validation

    def rows(self, params):
        """The grid's posted ``(index, row)`` in order, deleted and blank
        ones out."""
        rows = {}
        for key, value in params.items():
            match = ROW_FIELD.match(key)
            if match is None:
                continue
            if not isinstance(value, str):
                raise Invalid({key: 'Corrupt value'})
            rows.setdefault(int(match[1]), {})[match[2]] = value
        if len(rows) > self.max_reps:
            raise Invalid({'items': f'At most {self.max_reps} rows'})
        kept = []
        for index in sorted(rows):
            row = rows[index]
            if 'del.x' in row and 'del.y' in row:
                continue
            row = {f: row.get(f, '').strip() for f in self.item_fields}
            if any(row.values()):  # StripBlanks
                kept.append((index, row))
        return kept

    def check(self, request, params):
        errors = {}
        data = {'id': params.get('id', '')}
        for field in self.fields:
            value = params.get(field)
            if value is not None and not isinstance(value, str):
                raise Invalid({field: 'Corrupt value'})
            if field in self.hiding and field not in data.get('shown', ()):
                data[field] = None  # hidden: not validated
                continue
            if field == 'delivery':
                data[field] = bool(value)
                data['shown'] = set(self.mapping.get(data[field], ()))
            elif field == 'due':
                try:
                    data[field] = datetime.datetime.strptime(
                        value or '', self.date_format
                    ).date()
                except ValueError:
                    errors[field] = 'Must be a date, dd/mm/yyyy'
            elif not value:
                errors[field] = 'Enter a value'
            else:
                data[field] = value
        data.pop('shown', None)
        items = []
        for index, (_, row) in enumerate(self.rows(params), start=1):
            if row['code'] not in self.codes:  # as redisplayed: row 0 hidden
                errors[f'items:{index}:code'] = 'Invalid code'
            items.append(row)
        if errors:
            raise Invalid(errors)
        data['items'] = items
        return data

    @serverside_callback(
        request_method='POST', validate='check', error_handler='redisplay'
    )
    def save(self, request):
        data = dict(request.hook_params)
        order_id = data['id'] or str(len(self.store) + 1)
        data['id'] = order_id
        self.store[order_id] = data
        return HTTPFound(self.url_for_callback(request, 'form', id=order_id))
