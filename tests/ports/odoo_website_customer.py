"""Port of Odoo's customer references controller to Pyramid with
pyramid_hooks.

Original: ``addons/website_customer/controllers/main.py``
(``WebsiteCustomer``), Odoo 14 to 16 (commit c344857, ``request.render``
and ``read_group`` returning dicts): the references of a partner, by
industry and country, paged, searched, filtered by a tag in the query;
a reference's page, at its canonical slug.  The partners, industries,
countries and tags are faked (``tests/ports/test_odoo_website_customer.py``).

Odoo -> Pyramid:

- ``request.website.pager`` -> ``pager`` (the blog port's); ``slug`` and
  ``unslug`` the same;
- ``werkzeug.urls.url_encode(post)`` -> ``urlencode(post, doseq=True)``
  (a field given twice arrives as a list);
- ``raise request.not_found()`` -> ``raise HTTPNotFound()``;
- ``_()`` left out (no translation here);
- ``website=True`` left out; ``sitemap=sitemap_industry`` too: the
  function stays, for the application's own sitemap.
"""

from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPNotFound

from pyramid_hooks import Controller, route
from tests.ports.odoo_website_blog import pager, slug, unslug

INDUSTRY = '/industry/<model("res.partner.industry"):industry>'
COUNTRY = '/country/<model("res.country"):country>'


class WebsiteCustomer(Controller):
    _references_per_page = 20

    def sitemap_industry(env, rule, qs):
        """Odoo's sitemap of the route: the industries and countries."""
        if not qs or qs.lower() in '/customers':
            yield {'loc': '/customers'}
        for industry in env['res.partner.industry'].search([]):
            loc = f'/customers/industry/{slug(industry)}'
            if not qs or qs.lower() in loc:
                yield {'loc': loc}

    @route(
        [
            '/customers',
            '/customers/page/<int:page>',
            '/customers' + COUNTRY,
            '/customers' + COUNTRY + '/page/<int:page>',
            '/customers' + INDUSTRY,
            '/customers' + INDUSTRY + '/page/<int:page>',
            '/customers' + INDUSTRY + COUNTRY,
            '/customers' + INDUSTRY + COUNTRY + '/page/<int:page>',
        ],
        type='http',
        auth='public',
    )
    def customers(self, country=None, industry=None, page=0, **post):
        request = self.request
        Tag = request.env['res.partner.tag']
        Partner = request.env['res.partner']
        search_value = post.get('search')

        domain = [
            ('website_published', '=', True),
            ('assigned_partner_id', '!=', False),
        ]
        if search_value:
            domain += [
                '|', '|',
                ('name', 'ilike', search_value),
                ('website_description', 'ilike', search_value),
                ('industry_name', 'ilike', search_value),
            ]  # fmt: skip

        tag_id = post.get('tag_id')
        if tag_id:
            tag_id = unslug(tag_id)[1] or 0
            domain += [('website_tag_ids', 'in', [tag_id])]

        # by industry, of the customers the search finds
        industries = Partner.read_group(domain, 'industry_id')
        partners_count = Partner.search_count(domain)
        if industry:
            domain.append(('industry_id', '=', industry.id))
            if industry.id not in (
                x['industry_id'][0] for x in industries if x['industry_id']
            ):
                industries.append(
                    {
                        'industry_id_count': 0,
                        'industry_id': (industry.id, industry.name),
                    }
                )
        industries.sort(key=lambda d: (d.get('industry_id') or (0, ''))[1])
        industries.insert(
            0,
            {
                'industry_id_count': partners_count,
                'industry_id': (0, 'All Industries'),
            },
        )

        # by country, of the customers the search finds
        countries = Partner.read_group(domain, 'country_id')
        country_count = Partner.search_count(domain)
        if country:
            domain += [('country_id', '=', country.id)]
            if country.id not in (
                x['country_id'][0] for x in countries if x['country_id']
            ):
                countries.append(
                    {
                        'country_id_count': 0,
                        'country_id': (country.id, country.name),
                    }
                )
                countries.sort(key=lambda d: (d['country_id'] or (0, ''))[1])
        countries.insert(
            0,
            {
                'country_id_count': country_count,
                'country_id': (0, 'All Countries'),
            },
        )

        partner_count = Partner.search_count(domain)
        url = '/customers'
        if industry:
            url += f'/industry/{industry.id}'
        if country:
            url += f'/country/{country.id}'
        page_values = pager(
            url=url, total=partner_count, page=page,
            step=self._references_per_page, url_args=post,
        )  # fmt: skip
        partners = Partner.search(
            domain,
            offset=page_values['offset'],
            limit=self._references_per_page,
        )
        partner_ids = [p.id for p in partners]
        tags = Tag.search(
            [
                ('website_published', '=', True),
                ('partner_ids', 'in', partner_ids),
            ],
            order='name',
        )
        tag = (tag_id and Tag.browse(tag_id)) or False
        return request.render('website_customer.index', {
            'countries': countries,
            'current_country_id': country.id if country else 0,
            'current_country': country or False,
            'industries': industries,
            'current_industry_id': industry.id if industry else 0,
            'current_industry': industry or False,
            'partners': partners,
            'google_map_partner_ids': ','.join(map(str, partner_ids)),
            'pager': page_values,
            'post': post,
            'search_path': '?' + urlencode(post, doseq=True),
            'tag': tag,
            'tags': tags,
            'google_maps_api_key': request.website.google_maps_api_key,
        })  # fmt: skip

    # not a model("...") converter: the partner is read as superuser
    @route(['/customers/<partner_id>'], type='http', auth='public')
    def partners_detail(self, partner_id, **post):
        current_slug = partner_id
        _, partner_id = unslug(partner_id)
        if partner_id:
            partner = self.request.env['res.partner'].browse(partner_id)
            if partner and partner.website_published:
                if slug(partner) != current_slug:
                    return self.request.redirect(f'/customers/{slug(partner)}')
                values = {'main_object': partner, 'partner': partner}
                return self.request.render('website_customer.details', values)
        raise HTTPNotFound()
