"""Port of Odoo's ``website`` form controller to Pyramid with
pyramid_hooks.

Original: ``addons/website/controllers/form.py`` (``WebsiteForm``:
``website_form_empty``, ``website_form``, ``_handle_website_form``, the
input filters, ``extract_data``, ``insert_record``,
``insert_attachment``), Odoo master after 18.0 (commit 01e9403,
``readonly=True`` and ``captcha='website_form'`` on the routes).  The
properties fields and the translations are left out; the models, the
database savepoint, the company and the reCAPTCHA check are faked
(``tests/ports/test_odoo_website_form.py``).

Odoo -> Pyramid:

- ``captcha='website_form'`` -> ``validate=verify_captcha`` (the
  porting guide's advice): the token is checked, and taken out of the
  fields, before the handler runs; its refusal is the form's JSON
  ``{"error": ...}`` through ``error_handler=``;
- ``csrf=False`` and the handler's own check, for signed-in visitors
  only: ``token = request.params.pop('csrf_token', None)`` and
  ``request.validate_csrf(token)`` -> ``check_csrf_token(request,
  raises=False)`` (Pyramid's, reading the form's field itself: the
  handler's ``**kwargs`` never hold ``csrf_token``, even on a
  ``csrf=False`` route, so a ``kwargs.pop('csrf_token', None)`` is
  always ``None``); ``request.session.uid`` ->
  ``request.authenticated_userid``; ``kwargs = dict(request.params)``
  and ``kwargs.pop('model_name')`` (Odoo's params hold the path's
  values) go: the handler's ``**kwargs`` are the form's fields;
- the uploaded files: ``hasattr(value, 'filename')`` as in Odoo;
  Werkzeug's ``value.read()`` / ``value.stream`` -> WebOb's
  ``value.file.read()`` / ``value.file``;
- ``request.httprequest.headers.environ`` -> ``request.environ``;
- ``odoo.tools.misc.hmac(env, scope, message)`` -> :func:`form_hmac`,
  keyed with a setting; ``consteq`` -> ``hmac.compare_digest``;
- ``raise BadRequest(...)`` -> ``raise HTTPBadRequest(...)``;
- ``website=True``, ``multilang=False``, ``readonly=True`` are left out.
"""

import base64
import hashlib
import hmac
import json
import re

from markupsafe import Markup
from pyramid.csrf import check_csrf_token
from pyramid.httpexceptions import HTTPBadRequest

from pyramid_hooks import Controller, Invalid, route
from tests.ports.odoo_fakes import plaintext2html


class UserError(Exception):
    """``odoo.exceptions.UserError``."""


class ValidationError(UserError):
    """``odoo.exceptions.ValidationError``."""


class AccessDenied(UserError):
    """``odoo.exceptions.AccessDenied``."""


class IntegrityError(Exception):
    """``psycopg2.IntegrityError``: a constraint the database checks."""


def nl2br(text):
    return Markup.escape(text).replace('\n', Markup('<br/>'))


def form_hmac(request, scope, message):
    """``odoo.tools.misc.hmac``: keyed with the application's secret."""
    key = request.registry.settings['website_form.secret'].encode()
    text = repr((scope, message)).encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def verify_captcha(request, params):
    """``captcha='website_form'``: the reCAPTCHA token, out of the
    fields (Odoo pops it from ``request.params``)."""
    token = params.pop('recaptcha_token_response', None)
    if not request.env['ir.http']._verify_recaptcha_token(token):
        raise Invalid({'error': 'Suspicious activity detected by Google'})
    return params


class WebsiteForm(Controller):
    @route('/website/form', type='http', auth='public', methods=['POST'])
    def website_form_empty(self, **kwargs):
        # The form's action without the model: nothing to do.
        return ''

    def captcha_refused(self):
        return json.dumps(self.request.validation_errors)

    @route(
        '/website/form/<string:model_name>',
        type='http',
        auth='public',
        methods=['POST'],
        csrf=False,
        validate=verify_captcha,
        error_handler=captcha_refused,
    )
    def website_form(self, model_name, **kwargs):
        request = self.request
        # Partial CSRF check, for signed-in visitors only: a form
        # embedded in another site loses the session cookie, and an
        # anonymous post risks nothing.
        if request.authenticated_userid is not None and not check_csrf_token(
            request, raises=False
        ):
            raise HTTPBadRequest('Session expired (invalid CSRF token)')
        try:
            # what the form wrote is undone on an error, nothing else
            with request.env.cr.savepoint():
                return self._handle_website_form(model_name, **kwargs)
        except (ValidationError, UserError) as e:
            return json.dumps({'error': e.args[0]})

    def _handle_website_form(self, model_name, **kwargs):
        request = self.request
        model_record = request.env['ir.model'].search(
            [('model', '=', model_name), ('website_form_access', '=', True)]
        )
        if not model_record:
            return json.dumps(
                {'error': "The form's specified model does not exist"}
            )
        model_record = model_record[0]
        try:
            data = self.extract_data(model_record, kwargs)
        except ValidationError as e:
            return json.dumps({'error_fields': e.args[0]})

        try:
            id_record = self.insert_record(
                request,
                model_record,
                data['record'],
                data['custom'],
                data.get('meta'),
            )
            if id_record:
                self.insert_attachment(
                    model_record, id_record, data['attachments']
                )
                if model_name == 'mail.mail':
                    self._check_signature_and_send(
                        model_record, id_record, kwargs
                    )
        except IntegrityError:
            return json.dumps(False)

        request.session['form_builder_model_model'] = model_record.model
        request.session['form_builder_model'] = model_record.name
        request.session['form_builder_id'] = id_record
        return json.dumps({'id': id_record})

    def _check_signature_and_send(self, model_record, id_record, kwargs):
        # a mail's recipients are signed by the page that rendered the form
        signature = kwargs.get('website_form_signature', '')
        has_cc = bool({'email_cc', 'email_bcc'} & kwargs.keys()) or (
            'email_cc' in signature
        )
        signature = signature.split(':')[0]
        if kwargs.get('email_to') or has_cc:
            value = kwargs.get('email_to', '') + (
                ':email_cc' if has_cc else ''
            )
            expected = form_hmac(self.request, 'website_form_signature', value)
            if not hmac.compare_digest(signature.encode(), expected.encode()):
                raise AccessDenied('invalid website_form_signature')
        self.request.env['mail.mail'].browse(id_record).send()

    _meta_label = 'Metadata'

    # the filters of the fields' values, by the field's type

    def identity(self, field_label, field_input):
        return field_input

    def integer(self, field_label, field_input):
        return int(field_input)

    def floating(self, field_label, field_input):
        return float(field_input)

    def html(self, field_label, field_input):
        return plaintext2html(field_input)

    def boolean(self, field_label, field_input):
        return bool(field_input)

    def binary(self, field_label, field_input):
        return base64.b64encode(field_input.file.read())

    def one2many(self, field_label, field_input):
        return [int(i) for i in field_input.split(',')]

    def many2many(self, field_label, field_input, *args):
        command = args[0] if args else (6, 0)
        return [(*command, self.one2many(field_label, field_input))]

    def tags(self, field_label, field_input):
        # ',' escaped as '\,' stays in its tag
        return [
            tag.replace('\\,', ',').replace('\\/', '\\')
            for tag in re.split(r'(?<!\\),', field_input)
        ]

    _input_filters = {
        'char': identity,
        'text': identity,
        'html': html,
        'date': identity,
        'datetime': identity,
        'many2one': integer,
        'one2many': one2many,
        'many2many': many2many,
        'selection': identity,
        'boolean': boolean,
        'integer': integer,
        'float': floating,
        'binary': binary,
        'monetary': floating,
        'tags': tags,
    }

    def extract_data(self, model_sudo, values):
        """The form's fields sorted: the record's values, its files,
        the fields the model does not have (``custom``), the metadata."""
        request = self.request
        dest_model = request.env[model_sudo.model]
        data = {'record': {}, 'attachments': [], 'custom': '', 'meta': ''}
        authorized_fields = model_sudo._get_form_writable_fields(values)
        error_fields = []
        custom_fields = []

        for field_name, field_value in values.items():
            # the client encodes '"' in a field's name
            field_name = re.sub('&quot;', '"', field_name)
            if hasattr(field_value, 'filename'):
                # 'file[0]', 'file[1]': the field's name without the index
                field_name = field_name.split('[', 1)[0]
                field = authorized_fields.get(field_name)
                if field and field['type'] == 'binary':
                    data['record'][field_name] = base64.b64encode(
                        field_value.file.read()
                    )
                    field_value.file.seek(0)  # read again as an attachment
                    if field_name + '_filename' in authorized_fields:
                        data['record'][field_name + '_filename'] = (
                            field_value.filename
                        )
                else:
                    field_value.field_name = field_name
                    data['attachments'].append(field_value)
            elif field_name in authorized_fields:
                field_type = authorized_fields[field_name]['type']
                try:
                    input_filter = self._input_filters[field_type]
                    data['record'][field_name] = input_filter(
                        self, field_name, field_value
                    )
                except ValueError:
                    error_fields.append(field_name)
                if (
                    dest_model.name == 'mail.mail'
                    and field_name == 'email_from'
                ):
                    # kept in the message too, should the mail server
                    # rewrite the sender
                    custom_fields.append(('email', field_value))
            elif field_name not in ('context', 'website_form_signature'):
                custom_fields.append((field_name, field_value))

        data['custom'] = '\n'.join(f'{k} : {v}' for k, v in custom_fields)

        parameters = request.env['ir.config_parameter']
        if parameters.get_param('website_form_enable_metadata'):
            environ = request.environ
            data['meta'] += ''.join(
                f'{label} : {environ.get(key)}\n'
                for label, key in [
                    ('IP', 'REMOTE_ADDR'),
                    ('USER_AGENT', 'HTTP_USER_AGENT'),
                    ('ACCEPT_LANGUAGE', 'HTTP_ACCEPT_LANGUAGE'),
                    ('REFERER', 'HTTP_REFERER'),
                ]
            )

        # a model may filter the values (hr.applicant names the record)
        if hasattr(dest_model, 'website_form_input_filter'):
            data['record'] = dest_model.website_form_input_filter(
                request, data['record']
            )

        missing_required_fields = [
            label
            for label, field in authorized_fields.items()
            if field['required'] and label not in data['record']
        ]
        if any(error_fields):
            raise ValidationError(error_fields + missing_required_fields)
        return data

    def insert_record(self, request, model_sudo, values, custom, meta=None):
        model_name = model_sudo.model
        if model_name == 'mail.mail':
            company = request.env.company
            values.update({
                'reply_to': values.get('email_from'),
                'email_from': f'"{company.name} form submission" '
                f'<{company.email}>',
            })  # fmt: skip
        record = request.env[model_name].create(values)

        if custom or meta:
            if model_name == 'mail.mail':
                label = 'This message has been posted on your website!'
            else:
                label = 'Other Information:'
            label += '\n___________\n\n'
            default_field = model_sudo.website_form_default_field_id
            default_field_data = values.get(default_field.name, '')
            custom_content = (
                (default_field_data + '\n\n' if default_field_data else '')
                + (label + custom + '\n\n' if custom else '')
                + (self._meta_label + '\n________\n\n' + meta if meta else '')
            )
            if default_field.name:
                if default_field.ttype == 'html' or model_name == 'mail.mail':
                    custom_content = nl2br(custom_content)
                record.write({default_field.name: custom_content})
            elif hasattr(record, '_message_log'):
                record._message_log(body=custom_content)
        return record.id

    def insert_attachment(self, model_sudo, id_record, files):
        """Each file on its field of the record, or logged on the record
        (on a mail, attached to it) when it has no field of the model."""
        request = self.request
        model_name = model_sudo.model
        orphan_attachment_ids = []
        record = request.env[model_name].browse(id_record)
        authorized_fields = model_sudo._get_form_writable_fields()
        for file in files:
            custom_field = file.field_name not in authorized_fields
            attachment = request.env['ir.attachment'].create({
                'name': file.filename,
                'datas': base64.encodebytes(file.file.read()),
                'res_model': model_name,
                'res_id': record.id,
            })  # fmt: skip
            if attachment and not custom_field:
                field = authorized_fields[file.field_name]
                if field['type'] == 'many2one':
                    setattr(record, file.field_name, attachment.id)
                else:
                    ids = getattr(record, file.field_name, None) or []
                    setattr(record, file.field_name, [*ids, attachment.id])
            else:
                orphan_attachment_ids.append(attachment.id)

        if model_name != 'mail.mail' and orphan_attachment_ids:
            if hasattr(record, '_message_log'):
                record._message_log(
                    body=Markup('<p>Attached files: </p>'),
                    attachment_ids=orphan_attachment_ids,
                )
        elif model_name == 'mail.mail' and orphan_attachment_ids:
            record.attachment_ids = [
                *getattr(record, 'attachment_ids', []),
                *orphan_attachment_ids,
            ]
