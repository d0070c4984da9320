"""Odoo's web binary and dataset controllers, ported
(tests/ports/odoo_web_binary.py), over dict-backed attachments, partners
and companies."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.controllers_pkg.support import HeaderSecurityPolicy
from tests.ports.odoo_fakes import Env, Model, Record
from tests.ports.odoo_web_binary import (
    Binary,
    DataSet,
    Stream,
    UserError,
)


class IrBinary:
    """``ir.binary``: records by xmlid, by model and id; streams from
    their fields (an image stream says the size asked for)."""

    def __init__(self, env):
        self.env = env
        self.xmlids = {}
        self.placeholder = Record(id=0, name='placeholder.png', raw=b'PH')

    def _find_record(self, xmlid=None, res_model='ir.attachment',
                     res_id=None, access_token=None):  # fmt: skip
        if xmlid:
            record = self.xmlids.get(xmlid)
        elif res_id is not None and res_model in self.env:
            record = self.env[res_model].browse(res_id)
        else:
            record = None
        if record is None:
            raise UserError('MissingError')
        if getattr(record, 'access_token', None) not in (None, access_token):
            raise UserError('AccessError')
        return record

    def _get_stream_from(self, record, field_name='raw', filename=None,
                         filename_field='name', mimetype=None):  # fmt: skip
        data = getattr(record, field_name, None)
        if data is None:
            raise UserError('no such field')
        name = filename or getattr(record, filename_field)
        return Stream(data, mimetype or record.mimetype, name)

    def _get_image_stream_from(self, record, field_name='raw', filename=None,
                               filename_field='name', mimetype=None,
                               width=0, height=0, crop=False):  # fmt: skip
        data = getattr(record, field_name, None)
        if data is None:
            raise UserError('no such field')
        name = filename or getattr(record, filename_field)
        return Stream(data + b' %dx%d' % (width, height), 'image/png', name)


class Partners(Model):
    fields = ('name', 'sequence')

    def browse(self, ids):
        """A record, or the list of them (a recordset) for a list."""
        if isinstance(ids, list):
            return [self.records[i] for i in ids]
        return super().browse(ids)

    def read(self, ids, fields):
        return [
            {f: getattr(self.records[i], f) for f in ['id', *fields]}
            for i in ids
        ]

    def action_open(self, ids):
        return {'type': 'ir.actions.act_window', 'res_id': ids[0],
                'help': '<p>long help</p>'}  # fmt: skip

    def action_nothing(self, ids):
        return None

    def _secret(self):  # pragma: no cover - check_method_name refuses it
        return 'never'


def make_app():
    env = Env()
    binary = env['ir.binary'] = IrBinary(env)
    attachments = env['ir.attachment']
    attachments.create(
        {'name': 'résumé.pdf', 'raw': b'%PDF', 'mimetype': 'application/pdf'}
    )
    logo = attachments.create(
        {'name': 'logo.png', 'raw': b'LOGO', 'mimetype': 'image/png'}
    )
    binary.xmlids['website.logo'] = logo
    # an attachment whose id looks like nothing an xmlid would be
    attachments.create(
        {'name': 'x', 'raw': b'X', 'mimetype': 'text/plain',
         'access_token': 'tok'}
    )  # fmt: skip
    partners = env['res.partner'] = Partners('res.partner')
    partners.create({'name': 'Ada', 'sequence': 5, 'image_128': b'ADA'})
    partners.create({'name': 'Bob', 'sequence': 9, 'image_128': b'BOB'})
    env['res.company'].create({'logo_web': b'ACME'})

    config = Configurator(
        settings={
            'hooks.controllers.expose_errors': (
                'tests.ports.odoo_web_binary.AccessError'
            )
        }
    )
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.set_security_policy(HeaderSecurityPolicy())
    config.add_request_method(lambda r: env, 'env', reify=True)
    config.add_controller(Binary)
    config.add_controller(DataSet)
    return TestApp(config.make_wsgi_app()), env


def rpc(app, url, params, user='1', status=200):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 7}
    headers = {'X-User': user} if user else {}
    return app.post_json(url, body, headers=headers, status=status).json


# -- content_common: seven patterns on one method ---------------------------


def test_content_by_id_is_the_attachment_as_odoo_routes_it():
    """``/web/content/1``: the ``<int:id>`` pattern (Werkzeug's choice),
    the attachment served inline with its type."""
    app, _env = make_app()
    response = app.get('/web/content/1')
    assert response.body == b'%PDF'
    assert response.content_type == 'application/pdf'
    assert 'Content-Disposition' not in response.headers
    assert response.headers['Cache-Control'] == 'max-age=0'


def test_content_download_names_the_file_percent_encoded():
    app, _env = make_app()
    response = app.get('/web/content/1?download=true')
    assert response.headers['Content-Disposition'] == (
        "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"
    )
    named = app.get('/web/content/1/cv%20final.pdf?download=1')
    assert named.headers['Content-Disposition'] == (
        "attachment; filename*=UTF-8''cv%20final.pdf"
    )


def test_content_by_xmlid_model_and_field():
    app, _env = make_app()
    assert app.get('/web/content/website.logo').body == b'LOGO'
    assert app.get('/web/content/website.logo/logo.png').body == b'LOGO'
    response = app.get(
        '/web/content/res.partner/2/image_128?mimetype=image/png'
    )
    assert response.body == b'BOB'
    assert response.content_type == 'image/png'
    response = app.get(
        '/web/content/res.partner/1/image_128/ada.png?download=1&mimetype=x/y'
    )
    assert response.headers['Content-Disposition'].endswith("''ada.png")
    assert app.get('/web/content?id=2').body == b'LOGO'


def test_content_unique_and_nocache_set_the_cache():
    app, _env = make_app()
    unique = app.get('/web/content/2?unique=abc')
    assert unique.headers['Cache-Control'] == (
        f'public, max-age={365 * 24 * 3600}, immutable'
    )
    assert app.get('/web/content/2?nocache=1').headers['Cache-Control'] == (
        'no-cache'
    )


def test_content_not_found_is_a_404():
    """``replace_exceptions(UserError, by=request.not_found())``: a missing
    record, a missing field, a wrong access token, a non-integer id."""
    app, _env = make_app()
    app.get('/web/content/99', status=404)
    app.get('/web/content/nosuch.xmlid', status=404)
    app.get('/web/content/res.partner/1/nofield', status=404)
    app.get('/web/content/3', status=404)
    assert app.get('/web/content/3?access_token=tok').body == b'X'
    app.get('/web/content/res.partner/x/image_128', status=404)


def test_content_post_needs_the_csrf_token():
    """No ``methods=``: every method, and a POST is CSRF-checked, as in
    Odoo: a 400, the handler never runs."""
    app, _env = make_app()
    app.post('/web/content/1', status=400)


def test_filestore_is_always_a_404():
    app, _env = make_app()
    app.get('/web/filestore/ab/abcdef', status=404)
    app.get('/web/filestore/../etc/passwd', status=404)


# -- content_image ----------------------------------------------------------


def test_image_sizes_from_the_path():
    """``<int:width>x<int:height>`` in one segment, and ``<int:id>-
    <string:unique>``: the handler gets ints and the unique string."""
    app, _env = make_app()
    assert app.get('/web/image/2').body == b'LOGO 0x0'
    assert app.get('/web/image/2/64x32').body == b'LOGO 64x32'
    unique = app.get('/web/image/2-abc123/64x32')
    assert unique.body == b'LOGO 64x32'
    assert 'immutable' in unique.headers['Cache-Control']
    assert app.get('/web/image/2-abc123').body == b'LOGO 0x0'
    assert app.get('/web/image/website.logo').body == b'LOGO 0x0'
    assert (
        app.get('/web/image/res.partner/1/image_128/16x16').body
        == b'ADA 16x16'
    )
    assert app.get('/web/image/2/logo.png').body == b'LOGO 0x0'


def test_image_missing_is_the_placeholder_but_a_download_is_a_404():
    app, _env = make_app()
    assert app.get('/web/image/99/8x8').body == b'PH 8x8'
    assert app.get('/web/image/nosuch.xmlid').body == b'PH 0x0'
    app.get('/web/image/99?download=1', status=404)


# -- the trap: Odoo's route order ---------------------------------------------


class OdooOrder(Controller):
    """Two of ``content_common``'s patterns in Odoo's order."""

    @route(
        ['/odoo/content/<string:xmlid>', '/odoo/content/<int:id>'],
        auth='public',
    )
    def content(self, xmlid=None, id=None):  # pragma: no cover - refused
        return f'xmlid={xmlid!r} id={id!r}'


def test_odoo_order_is_refused_at_startup():
    """Werkzeug tries ``<int:id>`` first, whatever the list's order;
    here the first pattern that matches wins, so a route list copied from
    Odoo as it is sent ``/odoo/content/42`` to ``xmlid``, silently (the
    port answered 404 for an attachment that exists).  The application is
    not made: the message says which pattern to list first (the port
    lists the ``<int:>`` patterns first)."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(OdooOrder)
    with pytest.raises(ConfigurationError) as info:
        config.make_wsgi_app()
    assert "list '/odoo/content/<int:id>' first" in str(info.value)


# -- company_logo: three URLs, auth='none', cors='*' -------------------------


def test_company_logo_at_three_urls_with_cors():
    app, _env = make_app()
    for url in ('/web/binary/company_logo', '/logo', '/logo.png'):
        response = app.get(url)
        assert response.body == b'ACME'
        assert response.content_type == 'image/png'
        assert response.headers['Access-Control-Allow-Origin'] == '*'
    preflight = app.options('/logo.png', status=204)
    assert preflight.headers['Access-Control-Allow-Origin'] == '*'


def test_company_logo_falls_back_to_the_placeholder():
    app, _env = make_app()
    assert app.get('/logo?company=2').body == b'placeholder'
    assert app.get('/logo?company=x').body == b'placeholder'
    assert app.get('/logo?company=1').body == b'ACME'


# -- DataSet: JSON routes at two URLs ----------------------------------------


def test_call_kw_at_both_urls():
    """``/web/dataset/call_kw`` and ``.../<path:path>`` (the web client
    puts ``model/method`` there for the logs)."""
    app, _env = make_app()
    params = {'model': 'res.partner', 'method': 'read',
              'args': [[1]], 'kwargs': {'fields': ['name']}}  # fmt: skip
    expected = [{'id': 1, 'name': 'Ada'}]
    assert rpc(app, '/web/dataset/call_kw', params)['result'] == expected
    assert (
        rpc(app, '/web/dataset/call_kw/res.partner/read', params)['result']
        == expected
    )


def test_call_kw_refusals():
    app, _env = make_app()
    params = {'model': 'res.partner', 'method': 'read',
              'args': [[1]], 'kwargs': {'fields': ['name']}}  # fmt: skip
    # auth='user': Odoo's "Session Expired" is -32001 here
    assert (
        rpc(app, '/web/dataset/call_kw', params, user=None)['error']['code']
        == -32001
    )
    # check_method_name: AccessError, shown to the client
    error = rpc(app, '/web/dataset/call_kw', {**params, 'method': '_secret'})[
        'error'
    ]
    assert error['code'] == -32000
    assert error['data']['name'] == 'tests.ports.odoo_web_binary.AccessError'
    assert 'cannot be called remotely' in error['data']['message']
    # a missing member of params: -32602, not Odoo's TypeError
    error = rpc(app, '/web/dataset/call_kw', {'model': 'res.partner'})
    assert error['error']['code'] == -32602
    # JSON routes take POST only
    app.get('/web/dataset/call_kw', status=405)


def test_call_button_cleans_the_action():
    app, _env = make_app()
    params = {'model': 'res.partner', 'method': 'action_open',
              'args': [[2]], 'kwargs': {}}  # fmt: skip
    assert rpc(app, '/web/dataset/call_button', params)['result'] == {
        'type': 'ir.actions.act_window',
        'res_id': 2,
    }
    params['method'] = 'action_nothing'
    assert rpc(app, '/web/dataset/call_button/x', params)['result'] is False


def test_resequence():
    app, env = make_app()
    result = rpc(
        app,
        '/web/dataset/resequence',
        {'model': 'res.partner', 'ids': [2, 1], 'offset': 10,
         'context': {'lang': 'fr_FR'}},
    )  # fmt: skip
    assert result['result'] is True
    partners = env['res.partner'].records
    assert (partners[2].sequence, partners[1].sequence) == (10, 11)
    result = rpc(
        app,
        '/web/dataset/resequence',
        {'model': 'res.partner', 'ids': [1], 'field': 'color'},
    )
    assert result['result'] is False


def test_unknown_odoo_route_keys_fail_at_startup():
    """``readonly=``, ``website=``, ``sitemap=`` are no Pyramid view
    options: the application is not made (not a route silently
    served without them)."""

    class Readonly(Controller):
        @route('/ro', type='json', auth='user', readonly=True)
        def ro(self):  # pragma: no cover - never served
            return 1

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Readonly)
    with pytest.raises(ConfigurationError) as info:
        config.make_wsgi_app()
    assert 'readonly' in str(info.value)
