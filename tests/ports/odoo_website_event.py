"""Port of Odoo's ``website_event`` controller, with
``website_event_sale``'s extension of it, to Pyramid with pyramid_hooks.

Originals: ``addons/website_event/controllers/main.py``
(``WebsiteEventController``: ``events``, ``event_page``, ``event``,
``event_register``, ``registration_new``, ``registration_confirm``,
``event_registration_success`` and their helpers), Odoo 17 (commit
00ce372); ``addons/website_event_sale/controllers/main.py``
(``WebsiteEventSaleController``), Odoo master after 18.0 (commit 0250abe,
where ``request.cart`` is what Odoo 17 calls
``request.website.sale_get_order()``).  The fuzzy search, the tag and
country filters and the counts per date of the list are left out; the
models, QWeb, the visitor and the cart are faked
(``tests/ports/test_odoo_website_event.py``).

Odoo -> Pyramid:

- ``sitemap=sitemap_event`` (a function of the class body), ``sitemap=``
  and ``website=True`` have no counterpart and are left out; the
  function stays in the class, as in Odoo, and is no handler;
- ``request.render(...)``, ``request.redirect(...)`` -> the same, with
  the porting guide's request methods (``tests/ports/odoo_fakes.py``,
  ``tests/ports/odoo_auth_signup.py``);
- ``request.env['ir.ui.view']._render_template(name, values)`` (HTML in
  a JSON result) -> ``pyramid.renderers.render``;
- ``request.env.user._is_public()`` ->
  ``request.authenticated_userid is None``;
- ``raise NotFound()`` -> ``raise HTTPNotFound()``;
- the attendees' form (``1-name``, ``0-event_ticket_id``) and the
  tickets' JSON params (``nb_register-3``) arrive in ``**post`` as in
  Odoo, the CSRF token left out;
- ``werkzeug.urls.url_encode`` -> ``urllib.parse.urlencode``;
- ``lazy(...)`` values computed at once.
"""

import re
from collections import defaultdict
from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPNotFound
from pyramid.renderers import render

from pyramid_hooks import Controller, route
from tests.ports.odoo_website_blog import QueryURL, now, pager, slug


class WebsiteEventController(Controller):
    def sitemap_event(env, rule, qs):
        if not qs or qs.lower() in '/events':
            yield {'loc': '/events'}

    # ------------------------------------------------------------
    # EVENT LIST
    # ------------------------------------------------------------

    @route(
        [
            '/event',
            '/event/page/<int:page>',
            '/events',
            '/events/page/<int:page>',
        ],
        type='http',
        auth='public',
    )
    def events(self, page=1, **searches):
        request = self.request
        Event = request.env['event.event']
        searches.setdefault('search', '')
        searches.setdefault('date', 'upcoming')
        step = 12  # Number of events per page

        domain = [('is_published', '=', True)]
        order = 'date_begin'
        if searches['date'] == 'old':
            order = 'date_begin desc'
        events = [
            event
            for event in Event.search(domain, order=order)
            if (searches['date'] == 'old') == (event.date_end < now())
            and searches['search'].lower() in event.name.lower()
        ]
        event_count = len(events)
        events = events[(page - 1) * step : page * step]

        keep = QueryURL(
            '/event',
            **{
                key: value
                for key, value in searches.items()
                if key == 'search'
                or (value != 'upcoming' if key == 'date' else value != 'all')
            },
        )
        values = {
            'event_ids': events,
            'pager': pager(
                '/event', event_count, page, step, url_args=searches
            ),
            'searches': searches,
            'keep': keep(),
            'search_count': event_count,
        }
        if searches['date'] == 'old':
            # the only way to display this content is to set date=old so
            # it must be canonical
            values['canonical_params'] = [('date', 'old')]
        return request.render('website_event.index', values)

    # ------------------------------------------------------------
    # EVENT PAGE
    # ------------------------------------------------------------

    @route(
        ['/event/<model("event.event"):event>/page/<path:page>'],
        type='http',
        auth='public',
    )
    def event_page(self, event, page, **post):
        request = self.request
        values = {'event': event}
        if '.' not in page:
            page = f'website_event.{page}'
        try:
            # Every event page view should have its own SEO.
            values['seo_object'] = request.website.get_template(page)
            values['main_object'] = event
        except ValueError:
            # page not found
            values['path'] = re.sub(r'^website_event\.', '', page)
            values['from_template'] = 'website_event.default_page'
            page = 'http_routing.404'
        return request.render(page, values)

    @route(['/event/<model("event.event"):event>'], type='http', auth='public')
    def event(self, event, **post):
        if event.menu_id and event.menu_id.child_id:
            target_url = event.menu_id.child_id[0].url
        else:
            target_url = f'/event/{event.id}/register'
        if post.get('enable_editor') == '1':
            target_url += '?enable_editor=1'
        return self.request.redirect(target_url)

    @route(
        ['/event/<model("event.event"):event>/register'],
        type='http',
        auth='public',
    )
    def event_register(self, event, **post):
        values = self._prepare_event_register_values(event, **post)
        return self.request.render(
            'website_event.event_description_full', values
        )

    def _prepare_event_register_values(self, event, **post):
        """Return the require values to render the template."""
        return {
            'event': event,
            'main_object': event,
            'ical_url': f'/event/{event.id}/ics',
        }

    def _process_tickets_form(self, event, form_details):
        """The order per ticket: ``[{'id', 'ticket', 'name',
        'quantity'}]``, from the ``nb_register-<ticket id>`` fields (0 for
        an event without tickets)."""
        ticket_order = {}
        for key, value in form_details.items():
            registration_items = key.split('nb_register-')
            if len(registration_items) != 2:
                continue
            ticket_order[int(registration_items[1])] = int(value)

        tickets = self.request.env['event.event.ticket'].sudo()
        ticket_dict = {
            ticket.id: ticket
            for ticket in tickets.search([
                ('id', 'in', [tid for tid in ticket_order if tid]),
                ('event_id', '=', event.id),
            ])
        }  # fmt: skip
        return [
            {
                'id': tid if ticket_dict.get(tid) else 0,
                'ticket': ticket_dict.get(tid),
                'name': (
                    ticket_dict[tid].name
                    if ticket_dict.get(tid)
                    else 'Registration'
                ),
                'quantity': count,
            }
            for tid, count in ticket_order.items()
            if count
        ]

    @route(
        ['/event/<model("event.event"):event>/registration/new'],
        type='json',
        auth='public',
        methods=['POST'],
    )
    def registration_new(self, event, **post):
        request = self.request
        tickets = self._process_tickets_form(event, post)
        availability_check = True
        if event.seats_limited:
            ordered_seats = sum(ticket['quantity'] for ticket in tickets)
            if event.seats_available < ordered_seats:
                availability_check = False
        if not tickets:
            return False
        default_first_attendee = {}
        if request.authenticated_userid is not None:
            user = request.user
            default_first_attendee = {
                'name': user.name,
                'email': user.email,
                'phone': user.phone,
            }
        else:
            visitors = request.env['website.visitor']
            visitor = visitors._get_visitor_from_request()
            if visitor and visitor.email:
                default_first_attendee = {
                    'name': visitor.name,
                    'email': visitor.email,
                    'phone': visitor.mobile,
                }
        return render(
            'website_event.registration_attendee_details.qweb',
            {
                'tickets': tickets,
                'event': event,
                'availability_check': availability_check,
                'default_first_attendee': default_first_attendee,
            },
            request=request,
        )

    def _process_attendees_form(self, event, form_details):
        """The registrations of the attendees' form: ``{'1-name': 'r',
        '1-email': 'r@r.com', '0-event_ticket_id': '1'}`` (``0-`` for
        every attendee) -> ``[{'name': 'r', 'email': 'r@r.com',
        'event_ticket_id': 1}]``."""
        registration_fields = self.request.env[
            'event.registration'
        ]._website_fields
        registrations = {}
        global_values = {}
        for key, value in form_details.items():
            counter, attr_name = key.split('-', 1)
            field_name = attr_name.split('-')[0]
            if field_name not in registration_fields:
                continue
            elif registration_fields[field_name] is int:
                # 0 is considered as a void many2one aka False
                value = int(value) or False
            if counter == '0':
                global_values[attr_name] = value
            else:
                registrations.setdefault(counter, {})[attr_name] = value
        for key, value in global_values.items():
            for registration in registrations.values():
                registration[key] = value
        return list(registrations.values())

    def _create_attendees_from_registration_post(
        self, event, registration_data
    ):
        """Also set the visitor (from the request) and a partner on each
        registration."""
        request = self.request
        visitor_sudo = request.env[
            'website.visitor'
        ]._get_visitor_from_request(force_create=True)
        registrations_to_create = []
        for registration_values in registration_data:
            registration_values['event_id'] = event.id
            if (
                not registration_values.get('partner_id')
                and visitor_sudo.partner_id
            ):
                registration_values['partner_id'] = visitor_sudo.partner_id
            elif not registration_values.get('partner_id'):
                registration_values['partner_id'] = (
                    False
                    if request.authenticated_userid is None
                    else request.user.partner_id
                )
            # update registration based on visitor
            registration_values['visitor_id'] = visitor_sudo.id
            registrations_to_create.append(registration_values)
        return (
            request.env['event.registration']
            .sudo()
            .create(registrations_to_create)
        )

    @route(
        ['/event/<model("event.event"):event>/registration/confirm'],
        type='http',
        auth='public',
        methods=['POST'],
    )
    def registration_confirm(self, event, **post):
        registrations = self._process_attendees_form(event, post)
        attendees_sudo = self._create_attendees_from_registration_post(
            event, registrations
        )
        ids = ','.join(str(a.id) for a in attendees_sudo)
        return self.request.redirect(
            f'/event/{event.id}/registration/success?'
            + urlencode({'registration_ids': ids})
        )

    @route(
        ['/event/<model("event.event"):event>/registration/success'],
        type='http',
        auth='public',
        methods=['GET'],
    )
    def event_registration_success(self, event, registration_ids):
        # fetch the related registrations, make sure they belong to the
        # correct visitor / event pair
        request = self.request
        visitor = request.env['website.visitor']._get_visitor_from_request()
        if not visitor:
            raise HTTPNotFound()
        attendees_sudo = (
            request.env['event.registration']
            .sudo()
            .search([
                ('id', 'in', [int(i) for i in registration_ids.split(',')]),
                ('event_id', '=', event.id),
                ('visitor_id', '=', visitor.id),
            ])
        )  # fmt: skip
        return request.render(
            'website_event.registration_complete',
            self._get_registration_confirm_values(event, attendees_sudo),
        )

    def _get_registration_confirm_values(self, event, attendees_sudo):
        return {
            'attendees': attendees_sudo,
            'event': event,
            'event_url': f'/event/{slug(event)}',
        }


class WebsiteEventSaleController(WebsiteEventController):
    """website_event_sale: tickets with a price go through the cart."""

    def _process_tickets_form(self, event, form_details):
        """Add price information on ticket order"""
        res = super()._process_tickets_form(event, form_details)
        for item in res:
            item['price'] = item['ticket'].price if item['ticket'] else 0
        return res

    def _create_attendees_from_registration_post(
        self, event, registration_data
    ):
        request = self.request
        # we have at least one registration linked to a ticket -> sale
        # mode activate
        if not any(info.get('event_ticket_id') for info in registration_data):
            return super()._create_attendees_from_registration_post(
                event, registration_data
            )

        event_ticket_ids = [
            registration['event_ticket_id']
            for registration in registration_data
            if registration.get('event_ticket_id')
        ]
        tickets = request.env['event.event.ticket'].sudo()
        event_ticket_by_id = {
            ticket_id: tickets.browse(ticket_id)
            for ticket_id in event_ticket_ids
        }
        if (
            all(t.price == 0 for t in event_ticket_by_id.values())
            and not request.cart
        ):
            # all chosen tickets are free AND no existing SO -> skip SO and
            # payment process
            return super()._create_attendees_from_registration_post(
                event, registration_data
            )

        order_sudo = request.cart or request.website._create_cart()
        tickets_data = defaultdict(int)
        for data in registration_data:
            event_ticket_id = data.get('event_ticket_id')
            if event_ticket_id:
                tickets_data[event_ticket_id] += 1

        cart_data = {}
        for ticket_id, count in tickets_data.items():
            ticket_sudo = event_ticket_by_id.get(ticket_id)
            cart_values = order_sudo._cart_update(
                product_id=ticket_sudo.product_id,
                add_qty=count,
                event_ticket_id=ticket_id,
            )
            cart_data[ticket_id] = cart_values['line_id']

        for data in registration_data:
            event_ticket_id = data.get('event_ticket_id')
            if event_ticket_by_id.get(event_ticket_id):
                data['sale_order_id'] = order_sudo.id
                data['sale_order_line_id'] = cart_data[event_ticket_id]

        return super()._create_attendees_from_registration_post(
            event, registration_data
        )

    @route()
    def registration_confirm(self, event, **post):
        request = self.request
        res = super().registration_confirm(event, **post)

        registrations = self._process_attendees_form(event, post)
        order_sudo = request.cart
        if not any(line.event_ticket_id for line in order_sudo.order_line):
            # order does not contain any tickets, meaning we are confirming
            # a free event
            return res

        # we have at least one registration linked to a ticket -> sale
        # mode activate
        if any(info['event_ticket_id'] for info in registrations):
            if order_sudo.amount_total:
                request.session['sale_last_order_id'] = order_sudo.id
                return request.redirect('/shop/checkout')
            # Free order -> auto confirmation without checkout
            order_sudo.action_confirm()
            request.website.sale_reset()
        return res
