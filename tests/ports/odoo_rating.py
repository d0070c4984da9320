"""Port of Odoo's ``rating`` controller to Pyramid with pyramid_hooks.

Original: ``addons/rating/controllers/main.py`` as the ``odoo-dev/odoo``
copy has it (the ``/rate`` routes with the rates 1, 3 and 5, and the
deprecated ``/rating`` routes with 1, 5 and 10 mapped onto them).  The
ratings and the rated records are faked
(``tests/ports/test_odoo_rating.py``).

Odoo -> Pyramid:

- ``methods=['post']`` (lower case, as Werkzeug accepts it) -> the same;
- ``website=True`` is left out;
- ``assert rate in (1, 3, 5)`` (a 500 in Odoo, nothing under ``python
  -O``) -> ``raise HTTPBadRequest()``;
- ``return request.not_found()`` -> ``return HTTPNotFound()``;
- ``request.env['ir.ui.view'].with_context(lang=lang)._render_template(
  name, values)`` (a page's HTML) -> :func:`pyramid.renderers.render`,
  returned as the page; the language is Pyramid's ``request._LOCALE_``,
  set before anything reads ``request.locale_name`` (reified: set after,
  it changes nothing);
- ``get_lang(request.env).code`` -> ``request.locale_name``;
- ``get_param('web.base.url')`` -> ``request.application_url``;
- ``int(kwargs.get('rate'))`` -> the first value of a field given twice,
  as Odoo's (the porting guide's row).

Kept as Odoo has it: the deprecated ``submit_rating`` calls
``MAPPED_RATES.gate(rate)``, an ``AttributeError`` (a 500) for every
post, and a missing ``rate`` is ``int(None)``'s ``TypeError``.
"""

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound
from pyramid.renderers import render

from pyramid_hooks import Controller, route

MAPPED_RATES = {
    1: 1,
    5: 3,
    10: 5,
}


class Rating(Controller):
    @route('/rating/<string:token>/<int:rate>', type='http', auth='public')
    def open_rating(self, token, rate, **kwargs):
        if rate not in (1, 5, 10):  # Odoo: assert, "Incorrect rating"
            raise HTTPBadRequest()
        return self.action_open_rating(token, MAPPED_RATES.get(rate), **kwargs)

    @route(
        ['/rating/<string:token>/submit_feedback'],
        type='http',
        auth='public',
        methods=['post'],
    )
    def submit_rating(self, token, **kwargs):
        rate = int(kwargs.get('rate'))
        if rate not in (1, 5, 10):
            raise HTTPBadRequest()
        kwargs['rate'] = MAPPED_RATES.gate(rate)
        return self.action_submit_rating(token, **kwargs)

    @route('/rate/<string:token>/<int:rate>', type='http', auth='public')
    def action_open_rating(self, token, rate, **kwargs):
        if rate not in (1, 3, 5):
            raise HTTPBadRequest()
        request = self.request
        rating = (
            request.env['rating.rating']
            .sudo()
            .search([('access_token', '=', token)])
        )
        if not rating:
            return HTTPNotFound()
        rating = rating[0]
        rate_names = {
            5: 'satisfied',
            3: 'okay',
            1: 'dissatisfied',
        }
        rating.write({'rating': rate, 'consumed': True})
        if rating.partner_id.lang:  # before locale_name is read (reified)
            request._LOCALE_ = rating.partner_id.lang
        return render(
            'rating.rating_external_page_submit.qweb',
            {
                'rating': rating,
                'token': token,
                'rate_names': rate_names,
                'rate': rate,
            },
            request=request,
        )

    @route(
        ['/rate/<string:token>/submit_feedback'],
        type='http',
        auth='public',
        methods=['post'],
    )
    def action_submit_rating(self, token, **kwargs):
        rate = kwargs.get('rate')
        if isinstance(rate, list):  # a field given twice: Odoo's first
            rate = rate[0]
        rate = int(rate)
        if rate not in (1, 3, 5):
            raise HTTPBadRequest()
        request = self.request
        rating = (
            request.env['rating.rating']
            .sudo()
            .search([('access_token', '=', token)])
        )
        if not rating:
            return HTTPNotFound()
        rating = rating[0]
        record_sudo = (
            request.env[rating.res_model].sudo().browse(rating.res_id)
        )
        record_sudo.rating_apply(
            rate, token=token, feedback=kwargs.get('feedback')
        )
        if rating.partner_id.lang:  # before locale_name is read (reified)
            request._LOCALE_ = rating.partner_id.lang
        return render(
            'rating.rating_external_page_view.qweb',
            {
                'web_base_url': request.application_url,
                'rating': rating,
            },
            request=request,
        )
