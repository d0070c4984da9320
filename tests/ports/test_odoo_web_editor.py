"""Odoo 17's web_editor controller, ported in part
(tests/ports/odoo_web_editor.py): an icon as a PNG at ten patterns, an
HTML field's checklist and stars saved on a click, the removal of
attachments, an image's modified copy, a shape recoloured by its query."""

import pytest
from pyramid.config import Configurator
from webtest import TestApp

from tests.ports.odoo_fakes import Env, Model, QWeb, Record
from tests.ports.odoo_web_editor import WebEditor
from tests.ports.policies import UserHeaderPolicy

SHAPE = (
    '<svg viewBox="0 0 1 1"><path fill="#3AADAA"/><path fill="#383e45"/></svg>'
)


class Recordset(list):
    unlinked = False

    def unlink(self):  # pragma: no cover - Odoo 17 never calls it
        type(self).unlinked = True


class Attachment(Record):
    @property
    def image_src(self):
        return f'/web/image/{self.id}-{self.name}'

    def copy(self, values):
        return self.model.create({**vars(self), 'id': None, **values})

    def generate_access_token(self):
        self.access_token = f'tok{self.id}'


class Attachments(Model):
    record_class = Attachment

    def create(self, values):
        values = {k: v for k, v in values.items() if k not in ('id', '_model')}
        record = super().create(values)
        record.model = self
        return record

    files = {'web_editor/static/shapes/Wavy/01.svg': SHAPE}

    def browse(self, record_id):
        if isinstance(record_id, list):
            return Recordset(map(super().browse, record_id))
        return super().browse(record_id)

    def file_open(self, path):
        if path not in self.files:
            raise FileNotFoundError(path)
        return self.files[path]


class Views(Model):
    def search_arch(self, url):
        return [v for v in self.records.values() if url in v.arch]


class Icons(QWeb):
    def draw_icon(self, icon, width, height, color, bg):
        return f'PNG {icon} {width}x{height} {color} {bg}'.encode()


def make_app():
    env = Env()
    env['ir.qweb'] = Icons('ir.qweb')
    attachments = env['ir.attachment'] = Attachments('ir.attachment')
    attachments.create({
        'name': 'logo.png', 'mimetype': 'image/png', 'public': True,
        'local_url': '/web/image/1',
    })  # fmt: skip
    attachments.create({
        'name': 'unused.png', 'mimetype': 'image/png', 'public': False,
        'local_url': '/web/image/2',
    })  # fmt: skip
    attachments.create({
        'name': 'wave', 'type': 'binary', 'public': True,
        'url': '/web_editor/shape/illustration/wave-3',
        'raw': SHAPE.encode(),
    })  # fmt: skip
    views = env['ir.ui.view'] = Views('ir.ui.view')
    views.create({'name': 'Home', 'arch': '<img src="/web/image/1"/>'})
    env['note.note'].create({
        'memo': '<ul><li id="checkId-1">Milk</li>'
        '<li id="checkId-2" class="o_checked">Eggs</li></ul>'
        '<span id="checkId-7"><i class="fa fa-star-o"/>'
        '<i class="fa fa-star-o"/><i class="fa fa-star-o"/></span>',
    })  # fmt: skip
    config = Configurator(security_policy=UserHeaderPolicy())
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_fakes.include_model_converter')
    config.registry.odoo_env = env
    config.add_controller(WebEditor)
    return TestApp(config.make_wsgi_app()), env


def rpc(app, path, user='1', **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    headers = {'X-User': user} if user else {}
    return app.post_json(path, body, headers=headers).json


@pytest.mark.parametrize(
    ('path', 'drawn'),
    [
        ('61440', '\uf000 100x100 #000 None'),
        ('61440/red', '\uf000 100x100 red None'),
        ('61440/red/40', '\uf000 40x40 red None'),
        ('61440/red/30x20', '\uf000 30x20 red None'),
        ('61440/red/40/128', '\uf000 40x40 red None'),
        ('61440/red/30x20/128', '\uf000 30x20 red None'),
        ('61440/red/blue', '\uf000 100x100 red blue'),
        ('61440/red/blue/40', '\uf000 40x40 red blue'),
        ('61440/red/blue/30x20', '\uf000 30x20 red blue'),
        ('61440/red/blue/30x20/128', '\uf000 30x20 red blue'),
        ('x/red/rgba(1,2,3,0.5)/9000', 'x 512x512 red rgb(1,2,3)'),
    ],
)
def test_an_icon_at_each_of_its_ten_patterns(path, drawn):
    app, _env = make_app()
    response = app.get('/web_editor/font_to_img/' + path)
    assert response.content_type == 'image/png'
    assert response.body.decode() == 'PNG ' + drawn
    assert response.headers['Cache-Control'] == 'public, max-age=604800'
    assert response.headers['Access-Control-Allow-Origin'] == '*'
    assert 'Connection' not in response.headers


def test_an_icon_refuses_what_no_pattern_takes():
    app, _env = make_app()
    app.get('/web_editor/font_to_img/1/red/blue/40/5', status=404)
    # the font is the application's: the parameter changes nothing
    response = app.get('/web_editor/font_to_img/65?font=/etc/passwd')
    assert response.body == b'PNG A 100x100 #000 None'


def test_a_checklist_item_checked_and_unchecked():
    app, env = make_app()
    note = env['note.note'].browse(1)
    params = {'res_model': 'note.note', 'res_id': 1, 'filename': 'memo'}
    value = rpc(app, '/web_editor/checklist', checklistId=1, checked=True,
                **params)['result']  # fmt: skip
    assert '<li id="checkId-1" class=" o_checked">Milk</li>' in value
    assert note.memo == value
    value = rpc(app, '/web_editor/checklist', checklistId=2, checked=False,
                **params)['result']  # fmt: skip
    assert '<li id="checkId-2" class="">Eggs</li>' in value
    # unchanged, or no such item: the value as it is
    assert rpc(app, '/web_editor/checklist', checklistId=1, checked=1,
               **params)['result'] == value  # fmt: skip
    assert rpc(app, '/web_editor/checklist', checklistId=9, checked=1,
               **params)['result'] == value  # fmt: skip
    # a parameter missing: -32602; signed-in users only: -32001
    error = rpc(app, '/web_editor/checklist', checklistId=1, **params)
    assert error['error']['code'] == -32602
    error = rpc(app, '/web_editor/checklist', user=None, checklistId=1,
                checked=True, **params)  # fmt: skip
    assert error['error']['code'] == -32001


def test_stars_without_kwargs():
    app, env = make_app()
    params = {'res_model': 'note.note', 'res_id': 1, 'filename': 'memo'}
    value = rpc(app, '/web_editor/stars', starsId=7, rating=2, **params)
    stars = value['result'].split('<span id="checkId-7">')[1]
    assert stars.count('fa-star-o') == 1
    assert (
        rpc(app, '/web_editor/stars', starsId=8, rating=2, **params)['result']
        == env['note.note'].browse(1).memo
    )
    # Odoo drops a parameter the handler does not take; here -32602
    error = rpc(app, '/web_editor/stars', starsId=7, rating=1, x=1, **params)
    assert error['error']['code'] == -32602


def test_remove_answers_the_blocking_views_and_removes_nothing():
    app, _env = make_app()
    result = rpc(app, '/web_editor/attachment/remove', ids=[1, 2])['result']
    assert result == {'1': [{'id': 1, 'name': 'Home'}]}
    assert Recordset.unlinked is False  # Odoo 17: .unlink, not called


def test_modify_image_by_the_attachment_in_its_path():
    app, env = make_app()
    result = rpc(app, '/web_editor/modify_image/1', data='AAAA')['result']
    assert result == '/web/image/4-logo.png'
    copy = env['ir.attachment'].browse(4)
    assert (copy.original_id, copy.res_id, copy.name) == (1, 0, 'logo.png')
    result = rpc(
        app, '/web_editor/modify_image/logo-1', mimetype='image/webp',
        res_model='res.partner', res_id=5,
    )['result']  # fmt: skip
    assert result == '/web/image/5-logo.webp'
    copy = env['ir.attachment'].browse(5)
    assert (copy.name, copy.res_id) == ('logo.webp', 5)
    assert rpc(app, '/web_editor/modify_image/2')['result'] == (
        '/web/image/6-unused.png?access_token=tok6'
    )


def test_modify_image_of_no_attachment_is_a_404():
    """The converter finds no record: its ``HTTPNotFound``, a 404 before
    the JSON-RPC call (Odoo's converter browses without looking: the
    handler's ``MissingError`` there)."""
    app, _env = make_app()
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': {}, 'id': 1}
    app.post_json(
        '/web_editor/modify_image/99', body, headers={'X-User': '1'},
        status=404,
    )  # fmt: skip


def test_a_shape_recoloured_and_flipped():
    app, _env = make_app()
    response = app.get(
        '/web_editor/shape/web_editor/Wavy/01.svg',
        {'c1': '#FF0000', 'c5': 'rgb(0, 0, 255)', 'flip': 'y'},
    )
    assert response.content_type == 'image/svg+xml'
    assert response.text == (
        '<svg style="transform: scaleY(-1)" viewBox="0 0 1 1">'
        '<path fill="#FF0000"/><path fill="rgb(0, 0, 255)"/></svg>'
    )
    assert response.headers['Cache-control'] == 'max-age=31536000'
    # a colour that is not one: 400 (no text of the client in the SVG)
    app.get(
        '/web_editor/shape/web_editor/Wavy/01.svg?c1=red"/><script>',
        status=400,
    )
    app.get('/web_editor/shape/web_editor/Nope/01.svg', status=404)


def test_an_illustration_by_its_slug_or_its_url():
    app, env = make_app()
    response = app.get('/web_editor/shape/illustration/wave-3?flip=xy')
    assert response.text.startswith('<svg style="transform: scale(-1)" ')
    # under a script name, the URL compared is the path after it
    response = app.get(
        '/web_editor/shape/illustration/wave-3',
        extra_environ={'SCRIPT_NAME': '/erp'},
    )
    assert response.text == SHAPE
    # not public, and no other at its URL: 404
    env['ir.attachment'].browse(3).public = False
    app.get('/web_editor/shape/illustration/wave-3', status=404)
