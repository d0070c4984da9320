"""Port of Odoo 17's ``im_livechat`` and ``website_livechat`` controllers
to Pyramid with pyramid_hooks.

Originals: ``addons/im_livechat/controllers/main.py``
(``LivechatController``: ``external_lib``, ``assets_embed``,
``support_page``, ``loader``, ``livechat_init``, ``get_session``,
``feedback``, ``visitor_leave_session``, ``_get_guest_name``,
``_post_feedback_message``) and ``addons/website_livechat/controllers/
main.py`` (``WebsiteLivechat(LivechatController)``: ``channel_list``,
``channel_rating``, the ``get_session`` and ``_get_guest_name``
overrides), Odoo 17.0.  The chatbot scripts, fonts, emoji bundle, template
loading, history and transcript routes are left out; the models, QWeb and
the asset bundles are faked (``tests/ports/odoo_fakes.py`` and the tests).

Odoo -> Pyramid:

- ``from odoo.http import request`` -> ``self.request``;
  ``request.httprequest.headers`` -> ``request.headers``;
  ``request.session.uid`` -> ``request.authenticated_userid``;
- Werkzeug converters in the paths (``<int:channel_id>``,
  ``<any(css, js):ext>``) stay as written; Odoo's ``model("...")``
  converter is the application's own (``config.add_route_converter``);
- ``raise request.not_found()`` -> ``raise HTTPNotFound()``; a channel id
  that names no channel is a 404 too (Odoo fails later, on access);
- ``http.Stream(...).get_response()`` -> ``request.make_response``.
"""

import html
from urllib.parse import urlsplit

from pyramid.httpexceptions import HTTPNotFound

from pyramid_hooks import Controller, route


class LivechatController(Controller):
    # cors='*' on the routes an embedded livechat calls from other sites

    @route(
        '/im_livechat/external_lib.<any(css,js):ext>',
        type='http',
        auth='public',
        cors='*',
    )
    def external_lib(self, ext, **kwargs):
        """Compatibility with legacy livechat imports: only the javascript
        is served (the livechat's shadow DOM fetches the css)."""
        if ext == 'css':
            raise HTTPNotFound()
        return self.assets_embed(ext, **kwargs)

    @route(
        '/im_livechat/assets_embed.<any(css, js):ext>',
        type='http',
        auth='public',
        cors='*',
    )
    def assets_embed(self, ext, **kwargs):
        # From another origin, the CORS assets redirect the livechat's
        # routes to the CORS controller.
        request = self.request
        origin_url = urlsplit(request.headers.get('referer', ''))
        bundle = 'im_livechat.assets_embed_external'
        if (
            origin_url.netloc != request.headers.get('host')
            or origin_url.scheme != request.scheme
        ):
            bundle = 'im_livechat.assets_embed_cors'
        asset = request.env['ir.qweb']._get_asset_bundle(bundle)
        if ext not in ('css', 'js'):
            raise HTTPNotFound()
        content_type = 'text/javascript' if ext == 'js' else 'text/css'
        return request.make_response(
            getattr(asset, ext)(), headers=[('Content-Type', content_type)]
        )

    def _channel(self, channel_id):
        channel = (
            self.request.env['im_livechat.channel'].sudo().browse(channel_id)
        )
        if not channel:
            raise HTTPNotFound()
        return channel

    @route('/im_livechat/support/<int:channel_id>', type='http', auth='public')
    def support_page(self, channel_id, **kwargs):
        channel = self._channel(channel_id)
        return self.request.render(
            'im_livechat.support_page', {'channel': channel}
        )

    @route('/im_livechat/loader/<int:channel_id>', type='http', auth='public')
    def loader(self, channel_id, **kwargs):
        username = kwargs.get('username', 'Visitor')
        channel = self._channel(channel_id)
        info = channel.get_livechat_info(username=username)
        return self.request.render(
            'im_livechat.loader',
            {'info': info},
            headers=[('Content-Type', 'application/javascript')],
        )

    @route('/im_livechat/init', type='json', auth='public', cors='*')
    def livechat_init(self, channel_id):
        request = self.request
        env = request.env
        channel = env['im_livechat.channel'].sudo().browse(channel_id)
        operator_available = (
            len(channel.available_operator_ids) if channel else 0
        )
        rule = {}
        # the visitor's country, by geolocation
        country_id = False
        if request.geoip.country_code:
            countries = (
                env['res.country']
                .sudo()
                .search([('code', '=', request.geoip.country_code)], limit=1)
            )
            country_id = countries[0].id if countries else False
        url = request.headers.get('Referer')
        # the channel's first rule for this page and country
        matching_rule = (
            env['im_livechat.channel.rule']
            .sudo()
            .match_rule(channel_id, url, country_id)
        )
        if matching_rule:
            rule = {
                'action': matching_rule.action,
                'auto_popup_timer': matching_rule.auto_popup_timer,
                'regex_url': matching_rule.regex_url,
            }
        return {
            'available_for_me': bool(
                operator_available
                and (not rule or rule['action'] != 'hide_button')
            ),
            'rule': rule,
        }

    def _get_guest_name(self):
        return 'Visitor'

    @route(
        '/im_livechat/get_session',
        methods=['POST'],
        type='json',
        auth='public',
    )
    def get_session(
        self,
        channel_id,
        anonymous_name,
        previous_operator_id=None,
        chatbot_script_id=None,
        persisted=True,
        **kwargs,
    ):
        request = self.request
        env = request.env
        user_id = None
        country_id = None
        # a logged-in user joins as themselves
        if request.authenticated_userid:
            user_id = request.authenticated_userid
        elif request.geoip.country_code:
            countries = (
                env['res.country']
                .sudo()
                .search([('code', '=', request.geoip.country_code)], limit=1)
            )
            if countries:
                country_id = countries[0].id

        if previous_operator_id:
            previous_operator_id = int(previous_operator_id)

        channel_vals = (
            env['im_livechat.channel']
            .with_context(lang=False)
            .sudo()
            .browse(channel_id)
            ._get_livechat_discuss_channel_vals(
                anonymous_name,
                previous_operator_id=previous_operator_id,
                user_id=user_id,
                country_id=country_id,
                lang=request.cookies.get('frontend_lang'),
            )
        )
        if not channel_vals:
            return False
        if not persisted:
            channel_info = {
                'id': -1,  # not stored
                'model': 'discuss.channel',
                'name': channel_vals['name'],
                'state': 'open',
                'operator': channel_vals['livechat_operator_id'],
                'channel_type': 'livechat',
            }
        else:
            channel = env['discuss.channel'].sudo().create(channel_vals)
            channel.guest_name = self._get_guest_name()
            channel_info = channel._channel_info()[0]
        channel_info.update(isLoaded=True)
        return {'Store': {}, 'Thread': channel_info}

    def _post_feedback_message(self, channel, rating, reason):
        reason = html.escape(reason) if reason else ''
        body = f'Rating: {rating.rating} {reason}'.strip()
        channel.message_post(body=body, message_type='notification')

    @route('/im_livechat/feedback', type='json', auth='public', cors='*')
    def feedback(self, uuid, rate, reason=None, **kwargs):
        env = self.request.env
        channels = (
            env['discuss.channel']
            .sudo()
            .search([('uuid', '=', uuid)], limit=1)
        )
        if channels:
            channel = channels[0]
            # a session is rated once: a new rate replaces the first
            values = {
                'rating': rate,
                'consumed': True,
                'feedback': reason,
                'is_internal': False,
            }
            if not channel.rating_ids:
                values.update(
                    {'res_id': channel.id, 'res_model': 'discuss.channel'}
                )
                values['rated_partner_id'] = channel.livechat_operator_id
                values['partner_id'] = self.request.authenticated_userid
                rating = env['rating.rating'].sudo().create(values)
                channel.rating_ids = [rating]
            else:
                rating = channel.rating_ids[0]
                rating.write(values)
            self._post_feedback_message(channel, rating, reason)
            return rating.id
        return False

    @route('/im_livechat/visitor_leave_session', type='json', auth='public')
    def visitor_leave_session(self, uuid):
        """Called when the livechat visitor leaves the conversation: ends
        the session and tells the operator."""
        channels = (
            self.request.env['discuss.channel']
            .sudo()
            .search([('uuid', '=', uuid)])
        )
        if not channels:
            return
        for channel in channels:
            channel._close_livechat_session()


class WebsiteLivechat(LivechatController):
    @route('/livechat', type='http', auth='public')
    def channel_list(self, **kw):
        channels = self.request.env['im_livechat.channel'].search(
            [('website_published', '=', True)]
        )
        values = {'channels': channels}
        return self.request.render(
            'website_livechat.channel_list_page', values
        )

    @route(
        '/livechat/channel/<model("im_livechat.channel"):channel>',
        type='http',
        auth='public',
    )
    def channel_rating(self, channel, **kw):
        # grades of the channel's rated sessions (at most 100), in percent
        domain = [
            ('res_model', '=', 'discuss.channel'),
            ('res_id', 'in', channel.channel_ids),
            ('consumed', '=', True),
        ]
        ratings = (
            self.request.env['rating.rating'].sudo().search(domain, limit=100)
        )
        repartition = {'great': 0, 'okay': 0, 'bad': 0}
        for rating in ratings:
            grade = (
                'great'
                if rating.rating >= 4
                else 'okay'
                if rating.rating >= 3
                else 'bad'
            )
            repartition[grade] += 1
        total = sum(repartition.values())
        percentage = {
            grade: round(count * 100.0 / total, 1) if total else 0
            for grade, count in repartition.items()
        }
        values = {
            'channel': channel,
            'ratings': ratings,
            'percentage': percentage,
        }
        return self.request.render('website_livechat.channel_page', values)

    def _get_guest_name(self):
        visitor = self.request.env[
            'website.visitor'
        ]._get_visitor_from_request()
        if visitor:
            return f'Visitor #{visitor.id}'
        return super()._get_guest_name()

    @route()
    def get_session(
        self,
        channel_id,
        anonymous_name,
        previous_operator_id=None,
        chatbot_script_id=None,
        persisted=True,
        **kwargs,
    ):
        """A known website visitor chats under their own name."""
        visitor = self.request.env[
            'website.visitor'
        ]._get_visitor_from_request()
        if visitor:
            anonymous_name = visitor.display_name
        return super().get_session(
            channel_id,
            anonymous_name,
            previous_operator_id=previous_operator_id,
            chatbot_script_id=chatbot_script_id,
            persisted=persisted,
            **kwargs,
        )
