"""Port of an event's community page, as four Odoo modules build it, to
Pyramid with pyramid_hooks.

Originals (Odoo master after 18.0, ``type='jsonrpc'`` and
``request.env['ir.http']._slug``):

- ``addons/website_event/controllers/community.py``
  (``EventCommunityController``: ``/event/<model("event.event"):event>/
  community``, a page that the next modules replace);
- ``addons/website_event_meet/controllers/community.py``
  (``WebsiteEventMeetController(EventCommunityController)``: the
  community page as the meeting rooms, a room's creation and page, the
  languages as JSON);
- ``addons/website_event_track_quiz/controllers/community.py``
  (``WebsiteEventTrackQuizCommunityController(EventCommunityController)``:
  the community page as the quiz leaderboard);
- ``addons/website_event_track_quiz_meet/controllers/community.py``
  (``WebsiteEventTrackQuizMeetController(EventCommunityController)``,
  the bridge installed with both: one page with both, from the helpers
  of its two siblings).

Meeting rooms' languages and capacities, the menu of the page's view and
the visitors' points are reduced to what the pages show; the models are
faked (``tests/ports/test_odoo_website_event_community.py``).

Odoo -> Pyramid:

- the three extensions are siblings of ``EventCommunityController``, and
  none of their ``community`` calls ``super()``: Odoo combines them in
  one class, **the module loaded last first** (``type(name,
  tuple(reversed(leaf_controllers)), {})``), so the bridge, which depends
  on both others, serves the page.  Here the first activated runs first:
  the bridge is activated before the modules it depends on
  (``test_odoo_website_event_community.py``); in Odoo's loading order
  the page would be the meeting rooms', the bridge's never run;
- ``raise Forbidden()`` / ``NotFound()`` -> ``raise HTTPForbidden()`` /
  ``HTTPNotFound()``;
- ``model('event.event', "[('community_menu', '=', True)]")`` (single
  quotes, a domain) -> the same, the converter taking the domain;
- ``request.httprequest.path`` -> ``request.path_info``;
- ``request.env.user.has_group(...)`` -> the application's
  ``request.user``;
- ``website=True``, ``sitemap=`` are left out.
"""

import math

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound

from pyramid_hooks import Controller, route
from tests.ports.odoo_website_blog import pager, slug


class EventCommunityController(Controller):
    @route(
        '/event/<model("event.event"):event>/community',
        type='http',
        auth='public',
    )
    def community(self, event, lang=None, **kwargs):
        """This skeleton route is overridden in website_event_track_quiz,
        website_event_meet and website_event_track_quiz_meet."""
        return self.request.render('website.page_404')


class WebsiteEventMeetController(EventCommunityController):
    def _get_event_rooms_base_domain(self, event):
        search_domain_base = [('event_id', '=', event.id)]
        if not self.request.user.has_group('event.group_event_desk'):
            search_domain_base.append(('is_published', '=', True))
        return search_domain_base

    @route()
    def community(self, event, page=1, lang=None, **kwargs):
        """The meeting rooms of the event."""
        seo_object = self.request.website.get_template(
            'website_event.template_community'
        )
        return self.request.render(
            'website_event.template_community',
            self._event_meeting_rooms_get_values(event, seo_object, lang=lang),
        )

    def _event_meeting_rooms_get_values(self, event, seo_object, lang=None):
        request = self.request
        search_domain = self._get_event_rooms_base_domain(event)
        if lang:
            search_domain.append(('room_lang_id', '=', int(lang)))
        meeting_rooms = (
            request.env['event.meeting.room']
            .sudo()
            .search(search_domain, order='id desc')
        )
        is_event_user = request.user.has_group('event.group_event_desk')
        if not is_event_user:
            meeting_rooms = [m for m in meeting_rooms if not m.room_is_full]
        return {
            'event': event,
            'main_object': event,
            'seo_object': seo_object,
            'meeting_rooms': meeting_rooms,
            'is_event_user': is_event_user,
        }

    @route(
        "/event/<model('event.event'):event>/meeting_room_create",
        type='http',
        auth='public',
        methods=['POST'],
    )
    def create_meeting_room(self, event, **post):
        request = self.request
        if (
            not event
            or (not event.is_published and not request.user.is_internal)
            or not event.meeting_room_allow_creation
        ):
            raise HTTPForbidden()
        lang = request.env['res.lang'].search(
            [('code', '=', post.get('lang_code'))], limit=1
        )
        max_capacity = post.get('capacity')
        if not lang or max_capacity == 'no_limit':
            raise HTTPForbidden()
        meeting_room = request.env['event.meeting.room'].sudo().create({
            'name': post.get('name'),
            'summary': post.get('summary'),
            'event_id': event.id,
            'room_lang_id': lang[0].id,
            'room_max_capacity': max_capacity,
            'room_is_full': False,
            'is_published': True,
        })  # fmt: skip
        return request.redirect(
            f'/event/{slug(event)}/meeting_room/{slug(meeting_room)}'
        )

    @route(['/event/active_langs'], type='jsonrpc', auth='public')
    def active_langs(self):
        langs = self.request.env['res.lang'].sudo().search([])
        return [[lang.code, lang.name] for lang in langs]

    @route(
        "/event/<model('event.event', \"[('community_menu', '=', True)]\")"
        ':event>/meeting_room/<model("event.meeting.room",'
        "\"[('event_id','=',event.id)]\"):meeting_room>",
        type='http',
        auth='public',
    )
    def event_meeting_room_page(self, event, meeting_room, **post):
        """The meeting room's page."""
        if meeting_room.event_id != event.id:
            raise HTTPNotFound()
        if not meeting_room.is_published:
            raise HTTPForbidden()
        return self.request.render(
            'website_event_meet.event_meet_main',
            {
                'event': event,
                'main_object': meeting_room,
                'meeting_room': meeting_room,
            },
        )


class WebsiteEventTrackQuizCommunityController(EventCommunityController):
    _visitors_per_page = 30

    @route(
        [
            '/event/<model("event.event"):event>/community/leaderboard'
            '/results',
            '/event/<model("event.event"):event>/community/leaderboard'
            '/results/page/<int:page>',
        ],
        type='http',
        auth='public',
    )
    def leaderboard(self, event, page=1, lang=None, **kwargs):
        values = self._get_community_leaderboard_render_values(
            event, kwargs.get('search'), page
        )
        return self.request.render(
            'website_event_track_quiz.event_leaderboard', values
        )

    @route()
    def community(self, event, **kwargs):
        values = self._get_community_leaderboard_render_values(
            event, None, None
        )
        return self.request.render(
            'website_event_track_quiz.event_leaderboard', values
        )

    def _get_community_leaderboard_render_values(
        self, event, search_term, page
    ):
        visitors = [
            v
            for v in self.request.env['website.visitor'].search(
                [('event_id', '=', event.id)], order='quiz_points desc'
            )
            if not search_term or search_term.lower() in v.name.lower()
        ]
        values = {'event': event, 'search': search_term, 'visitors': visitors}
        if visitors:
            page = page or 1
            url = f'/event/{slug(event)}/community/leaderboard/results'
            values['pager'] = pager(
                url,
                len(visitors),
                page,
                self._visitors_per_page,
                url_args={'search': search_term} if search_term else None,
            )
            step = self._visitors_per_page
            values['visitors'] = visitors[(page - 1) * step : page * step]
            values['page_count'] = math.ceil(len(visitors) / step)
        else:
            values['pager'] = {'page_count': 0}
        return values


class WebsiteEventTrackQuizMeetController(EventCommunityController):
    @route()
    def community(self, event, page=1, lang=None, **kwargs):
        # website_event_track_quiz
        values = self._get_community_leaderboard_render_values(
            event, kwargs.get('search'), page
        )
        seo_object = self.request.website.get_template(
            'website_event.template_community'
        )
        # website_event_meet
        values.update(
            self._event_meeting_rooms_get_values(event, seo_object, lang=lang)
        )
        return self.request.render('website_event.template_community', values)
