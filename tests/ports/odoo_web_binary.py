"""Port of Odoo 17's ``web`` binary controller and Odoo 18's dataset
controller to Pyramid with pyramid_hooks.

Originals: ``addons/web/controllers/binary.py`` (``Binary``:
``content_filestore``, ``content_common`` with its seven route patterns,
``content_image`` with nine of its seventeen, ``company_logo`` at three
URLs with ``cors='*'``) and ``addons/web/controllers/dataset.py``
(``DataSet``: ``call_kw``, ``call_button``, ``resequence``).  The asset
routes, uploads and fonts are left out; ``ir.binary``, its records and
``odoo.http.Stream`` are faked (``tests/ports/test_odoo_web_binary.py``
gives the models; ``Stream`` here keeps what the routes rely on).

Odoo -> Pyramid:

- several route strings on one method stay a list, **but reordered**:
  Werkzeug tries ``<int:id>`` before ``<string:xmlid>`` whatever the
  list's order (a converter's weight), Pyramid tries the routes in the
  list's order, so Odoo's order would give ``/web/content/42`` to the
  ``xmlid`` pattern (a 404 for a record that exists): pyramid_hooks
  refuses that order at startup, naming the pattern to list first;
- ``with replace_exceptions(UserError, by=request.not_found())`` ->
  ``try``/``except UserError``: ``raise HTTPNotFound()``;
- ``Stream.get_response`` -> ``request.make_response`` with
  ``Content-Type``, ``Content-Disposition`` (``content_disposition``,
  percent-encoded: a header carries ISO-8859-1 only) and ``Cache-Control``;
- ``readonly=_call_kw_readonly`` (Odoo 18: which database replica serves
  the call) has no counterpart and is left out;
- ``check_method_name`` raises ``AccessError``, which the application
  lists in ``hooks.controllers.expose_errors`` (``-32000`` with its
  message, as Odoo's clients show it);
- ``request.update_context(**context)`` -> the context passed to the
  model (``with_context``).
"""

from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound

from pyramid_hooks import Controller, route

STATIC_CACHE_LONG = 60 * 60 * 24 * 365


class UserError(Exception):
    """``odoo.exceptions.UserError``."""


class AccessError(Exception):
    """``odoo.exceptions.AccessError``: a message meant for the user."""


def content_disposition(filename, disposition='attachment'):
    """``odoo.http.content_disposition``: RFC 6266, the name
    percent-encoded (a header value is ISO-8859-1)."""
    return f"{disposition}; filename*=UTF-8''{quote(filename)}"


class Stream:
    """``odoo.http.Stream``, the part these routes use: data, its
    type and name, turned into a response."""

    def __init__(self, data, mimetype, download_name):
        self.data = data
        self.mimetype = mimetype
        self.download_name = download_name

    def get_response(
        self, request, as_attachment=False, immutable=False, max_age=0
    ):
        headers = [('Content-Type', self.mimetype)]
        if as_attachment:
            disposition = content_disposition(self.download_name)
            headers.append(('Content-Disposition', disposition))
        if max_age is None:
            headers.append(('Cache-Control', 'no-cache'))
        else:
            cache = f'max-age={max_age}'
            if immutable:
                cache = f'public, {cache}, immutable'
            headers.append(('Cache-Control', cache))
        return request.make_response(self.data, headers)


def send_file_options(download, unique, nocache):
    options = {'as_attachment': bool(download)}
    if unique:
        options['immutable'] = True
        options['max_age'] = STATIC_CACHE_LONG
    if nocache:
        options['max_age'] = None
    return options


def check_method_name(name):
    """``odoo.models.check_method_name``: no private method over RPC."""
    if name.startswith('_'):
        raise AccessError(
            f'Private methods (such as {name}) cannot be called remotely.'
        )


class Binary(Controller):
    @route('/web/filestore/<path:_path>', type='http', auth='none')
    def content_filestore(self, _path):
        # Odoo logs that the proxy should have served it; nothing to serve.
        raise HTTPNotFound()

    @route(
        [
            '/web/content',
            # <int:id> before <string:xmlid>: Werkzeug's order, not the list's
            '/web/content/<int:id>',
            '/web/content/<int:id>/<string:filename>',
            '/web/content/<string:xmlid>',
            '/web/content/<string:xmlid>/<string:filename>',
            '/web/content/<string:model>/<int:id>/<string:field>',
            '/web/content/<string:model>/<int:id>/<string:field>/<string:filename>',
        ],
        type='http',
        auth='public',
    )
    def content_common(
        self, xmlid=None, model='ir.attachment', id=None, field='raw',
        filename=None, filename_field='name', mimetype=None, unique=False,
        download=False, access_token=None, nocache=False,
    ):  # fmt: skip
        binary = self.request.env['ir.binary']
        try:
            record = binary._find_record(
                xmlid, model, id and int(id), access_token
            )
            stream = binary._get_stream_from(
                record, field, filename, filename_field, mimetype
            )
        except UserError:
            raise HTTPNotFound() from None
        options = send_file_options(download, unique, nocache)
        return stream.get_response(self.request, **options)

    @route(
        [
            '/web/image',
            '/web/image/<int:id>',
            '/web/image/<int:id>/<int:width>x<int:height>',
            '/web/image/<int:id>/<string:filename>',
            '/web/image/<int:id>-<string:unique>',
            '/web/image/<int:id>-<string:unique>/<int:width>x<int:height>',
            '/web/image/<string:xmlid>',
            '/web/image/<string:model>/<int:id>/<string:field>',
            '/web/image/<string:model>/<int:id>/<string:field>/<int:width>x<int:height>',
        ],
        type='http',
        auth='public',
    )
    def content_image(
        self, xmlid=None, model='ir.attachment', id=None, field='raw',
        filename_field='name', filename=None, mimetype=None, unique=False,
        download=False, width=0, height=0, crop=False, access_token=None,
        nocache=False,
    ):  # fmt: skip
        binary = self.request.env['ir.binary']
        try:
            record = binary._find_record(
                xmlid, model, id and int(id), access_token
            )
            stream = binary._get_image_stream_from(
                record, field, filename=filename,
                filename_field=filename_field, mimetype=mimetype,
                width=int(width), height=int(height), crop=crop,
            )  # fmt: skip
        except UserError:
            if download:
                raise HTTPNotFound() from None
            record = binary.placeholder
            stream = binary._get_image_stream_from(
                record, 'raw', width=int(width), height=int(height), crop=crop
            )
        options = send_file_options(download, unique, nocache)
        return stream.get_response(self.request, **options)

    @route(
        ['/web/binary/company_logo', '/logo', '/logo.png'],
        type='http',
        auth='none',
        cors='*',
    )
    def company_logo(self, dbname=None, **kw):
        companies = self.request.env['res.company']
        try:
            company = int(kw['company']) if kw and kw.get('company') else 1
            logo = companies.browse(company).logo_web
        except Exception:
            logo = None
        if logo is None:
            logo = b'placeholder'
        stream = Stream(logo, 'image/png', 'logo.png')
        return stream.get_response(self.request)


class DataSet(Controller):
    @route(
        ['/web/dataset/call_kw', '/web/dataset/call_kw/<path:path>'],
        type='json',
        auth='user',
    )
    def call_kw(self, model, method, args, kwargs, path=None):
        check_method_name(method)
        return getattr(self.request.env[model], method)(*args, **kwargs)

    @route(
        ['/web/dataset/call_button', '/web/dataset/call_button/<path:path>'],
        type='json',
        auth='user',
    )
    def call_button(self, model, method, args, kwargs, path=None):
        check_method_name(method)
        action = getattr(self.request.env[model], method)(*args, **kwargs)
        if isinstance(action, dict) and action.get('type') != '':
            return {k: v for k, v in action.items() if k != 'help'}
        return False

    @route('/web/dataset/resequence', type='json', auth='user')
    def resequence(self, model, ids, field='sequence', offset=0, context=None):
        records = self.request.env[model].with_context(**(context or {}))
        if field not in records.fields:
            return False
        for i, record in enumerate(records.browse(ids)):
            record.write({field: i + offset})
        return True
