"""Odoo 17's im_livechat and website_livechat controllers, ported
(tests/ports/odoo_livechat.py), over dict-backed livechat models."""

import json
import uuid

from pyramid.config import Configurator
from webtest import TestApp

from tests.controllers_pkg.support import HeaderSecurityPolicy
from tests.ports.odoo_fakes import Model, Record, include_model_converter
from tests.ports.odoo_livechat import LivechatController, WebsiteLivechat


class LivechatChannel(Record):
    def get_livechat_info(self, username='Visitor'):
        return {
            'available': bool(self.available_operator_ids),
            'server_url': 'http://localhost',
            'options': {'channel_name': self.name,
                        'default_username': username},
        }  # fmt: skip

    def _get_livechat_discuss_channel_vals(
        self, anonymous_name, previous_operator_id=None, **kw
    ):
        operators = self.available_operator_ids
        if not operators:
            return False
        operator = (
            previous_operator_id
            if previous_operator_id in operators
            else operators[0]
        )
        return {
            'name': f'{anonymous_name} {operator}',
            'anonymous_name': anonymous_name,
            'livechat_channel_id': self.id,
            'livechat_operator_id': operator,
            'user_id': kw['user_id'],
            'country_id': kw['country_id'],
        }


class DiscussChannel(Record):
    def __init__(self, **values):
        super().__init__(
            uuid=str(uuid.uuid4()),
            livechat_active=True,
            rating_ids=[],
            messages=[],
            **values,
        )
        self.env['im_livechat.channel'].browse(
            self.livechat_channel_id
        ).channel_ids.append(self.id)

    def _channel_info(self):
        return [
            {
                'id': self.id,
                'uuid': self.uuid,
                'name': self.name,
                'anonymous_name': self.anonymous_name,
                'operator': self.livechat_operator_id,
                'guest_name': self.guest_name,
            }
        ]

    def message_post(self, body, message_type):
        self.messages.append(body)

    def _close_livechat_session(self):
        self.livechat_active = False


class Rules(Model):
    def match_rule(self, channel_id, url, country_id=False):
        for rule in self.records.values():
            if (
                rule.channel_id == channel_id
                and rule.regex_url in (url or '')
                and (not rule.country_ids or country_id in rule.country_ids)
            ):
                return rule
        return None


def make_app(website=True):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(HeaderSecurityPolicy())
    config.include('tests.ports.odoo_fakes')
    env = config.registry.odoo_env
    channels = env['im_livechat.channel']
    channels.record_class = LivechatChannel
    channels.create(
        {
            'name': 'Support',
            'website_published': True,
            'available_operator_ids': [7, 8],
            'channel_ids': [],
        }
    )
    channels.create(
        {
            'name': 'Sales',
            'website_published': False,
            'available_operator_ids': [],
            'channel_ids': [],
        }
    )
    env['discuss.channel'].record_class = type(
        'Bound', (DiscussChannel,), {'env': env}
    )
    env['im_livechat.channel.rule'] = Rules('im_livechat.channel.rule')
    env['res.country'].create({'code': 'BE'})
    env['website.visitor'].create({'display_name': 'Ann from Brussels'})
    if website:
        include_model_converter(config)
        config.add_controller(WebsiteLivechat)
    else:
        config.add_controller(LivechatController)
    return TestApp(config.make_wsgi_app()), env  # fmt: skip


def rpc(app, url, headers=None, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    reply = app.post_json(url, body, headers=headers or {}).json
    assert 'error' not in reply, reply
    return reply['result']


def open_thread(app, headers=None, channel_id=1, anonymous_name='Bob'):
    """A livechat session's thread, opened by ``get_session``."""
    return rpc(
        app,
        '/im_livechat/get_session',
        headers=headers,
        channel_id=channel_id,
        anonymous_name=anonymous_name,
    )['Thread']


# -- im_livechat -------------------------------------------------------------


def test_init_tells_whether_someone_answers():
    app, env = make_app(website=False)
    assert rpc(app, '/im_livechat/init', channel_id=1) == {
        'available_for_me': True,
        'rule': {},
    }
    assert not rpc(app, '/im_livechat/init', channel_id=2)['available_for_me']
    env['im_livechat.channel.rule'].create(
        {'channel_id': 1, 'regex_url': '/pricing', 'action': 'hide_button',
         'auto_popup_timer': 0, 'country_ids': [1]}
    )  # fmt: skip
    hidden = rpc(
        app,
        '/im_livechat/init',
        headers={'Referer': 'http://shop/pricing', 'X-Country': 'BE'},
        channel_id=1,
    )
    assert hidden['available_for_me'] is False
    assert hidden['rule']['action'] == 'hide_button'


def test_init_answers_a_cors_preflight():
    app, _ = make_app(website=False)
    reply = app.options(
        '/im_livechat/init',
        headers={
            'Origin': 'https://example.org',
            'Access-Control-Request-Method': 'POST',
        },
        status=204,
    )
    assert reply.headers['Access-Control-Allow-Origin'] == '*'


def test_get_session_opens_a_channel():
    app, env = make_app(website=False)
    result = rpc(
        app,
        '/im_livechat/get_session',
        channel_id=1,
        anonymous_name='Bob',
        previous_operator_id='8',
    )
    thread = result['Thread']
    assert thread['anonymous_name'] == 'Bob'
    assert thread['operator'] == 8
    assert thread['guest_name'] == 'Visitor'
    assert thread['isLoaded'] is True
    assert env['discuss.channel'].browse(thread['id']).livechat_active


def test_get_session_not_persisted_or_nobody_there():
    app, env = make_app(website=False)
    temporary = rpc(
        app,
        '/im_livechat/get_session',
        channel_id=1,
        anonymous_name='Bob',
        persisted=False,
    )['Thread']
    assert (temporary['id'], temporary['operator']) == (-1, 7)
    assert env['discuss.channel'].records == {}
    nobody = rpc(
        app, '/im_livechat/get_session', channel_id=2, anonymous_name='Bob'
    )
    assert nobody is False


def test_feedback_rates_the_session_once():
    app, env = make_app(website=False)
    thread = open_thread(app)
    first = rpc(app, '/im_livechat/feedback', uuid=thread['uuid'], rate=5)
    second = rpc(
        app,
        '/im_livechat/feedback',
        uuid=thread['uuid'],
        rate=3,
        reason='<b>slow</b>',
    )
    assert first == second
    rating = env['rating.rating'].browse(first)
    assert (rating.rating, rating.rated_partner_id) == (3, 7)
    channel = env['discuss.channel'].browse(thread['id'])
    assert channel.messages == [
        'Rating: 5',
        'Rating: 3 &lt;b&gt;slow&lt;/b&gt;',
    ]
    assert rpc(app, '/im_livechat/feedback', uuid='nope', rate=1) is False


def test_visitor_leaves_the_session():
    app, env = make_app(website=False)
    thread = open_thread(app)
    rpc(app, '/im_livechat/visitor_leave_session', uuid=thread['uuid'])
    assert not env['discuss.channel'].browse(thread['id']).livechat_active
    assert rpc(app, '/im_livechat/visitor_leave_session', uuid='x') is None


def test_external_lib_serves_javascript_only():
    """``<any(css,js):ext>`` (issue 21, item 4)."""
    app, _ = make_app(website=False)
    js = app.get(
        '/im_livechat/external_lib.js',
        headers={'Origin': 'https://example.org'},
    )
    assert js.content_type == 'text/javascript'
    assert js.text == '/* im_livechat.assets_embed_cors.js */'
    assert js.headers['Access-Control-Allow-Origin'] == '*'
    app.get('/im_livechat/external_lib.css', status=404)
    app.get('/im_livechat/external_lib.txt', status=404)


def test_assets_embed_bundle_depends_on_the_origin():
    """``<any(css, js):ext>`` (issue 21, item 4)."""
    app, _ = make_app(website=False)
    same = app.get(
        '/im_livechat/assets_embed.css',
        headers={'Host': 'shop.test', 'Referer': 'http://shop.test/cart'},
    )
    assert same.text == '/* im_livechat.assets_embed_external.css */'
    other = app.get(
        '/im_livechat/assets_embed.js',
        headers={'Referer': 'https://example.org/'},
    )
    assert other.text == '/* im_livechat.assets_embed_cors.js */'


def test_support_page_and_loader_take_an_int_channel_id():
    """``<int:channel_id>`` (issue 21, item 4)."""
    app, _ = make_app(website=False)
    page = app.get('/im_livechat/support/1').json
    assert page == {
        'template': 'im_livechat.support_page',
        'values': {'channel': 'Support'},
    }
    loader = app.get('/im_livechat/loader/1', {'username': 'Guest'})
    assert loader.headers['Content-Type'] == 'application/javascript'
    info = json.loads(loader.text)['values']['info']
    assert info['options']['default_username'] == 'Guest'
    app.get('/im_livechat/support/support', status=404)
    app.get('/im_livechat/support/9', status=404)


# -- website_livechat ---------------------------------------------------------


def test_channel_list_shows_published_channels():
    app, _ = make_app()
    page = app.get('/livechat').json
    assert page['template'] == 'website_livechat.channel_list_page'
    assert page['values']['channels'] == ['Support']


def test_visitor_name_in_sessions():
    app, _ = make_app()
    thread = rpc(
        app,
        '/im_livechat/get_session',
        headers={'X-Visitor': '1'},
        channel_id=1,
        anonymous_name='Bob',
    )['Thread']
    assert thread['anonymous_name'] == 'Ann from Brussels'
    assert thread['guest_name'] == 'Visitor #1'
    anonymous = open_thread(app)
    assert (anonymous['anonymous_name'], anonymous['guest_name']) == (
        'Bob',
        'Visitor',
    )


def test_channel_rating_page_through_the_model_converter():
    """``<model("im_livechat.channel"):channel>``, the application's own
    converter (issue 21, item 4)."""
    app, _ = make_app()
    for rate in (5, 5, 3, 1):
        thread = open_thread(app)
        rpc(app, '/im_livechat/feedback', uuid=thread['uuid'], rate=rate)
    page = app.get('/livechat/channel/support-1').json
    assert page['template'] == 'website_livechat.channel_page'
    assert page['values']['channel'] == 'Support'
    assert page['values']['percentage'] == {
        'great': 50.0,
        'okay': 25.0,
        'bad': 25.0,
    }
    assert app.get('/livechat/channel/2').json['values']['percentage'] == {
        'great': 0,
        'okay': 0,
        'bad': 0,
    }
    app.get('/livechat/channel/99', status=404)
    app.get('/livechat/channel/support', status=404)
