"""Port of Odoo's recruitment website controller to Pyramid with
pyramid_hooks.

Original: ``addons/website_hr_recruitment/controllers/main.py``
(``WebsiteHrRecruitment(WebsiteForm)``: ``jobs``, ``jobs_add``,
``jobs_detail``, ``job``, ``jobs_apply``, ``jobs_compatibility``,
``check_recent_application``), Odoo master after 18.0 (commit 0f3e02b).
The filters by office and contract type, the counts per filter and the
fuzzy search are reduced to a country, a department and a search of the
names; jobs and applicants are faked
(``tests/ports/test_odoo_website_hr_recruitment.py``).  It extends the
form controller (``tests/ports/odoo_website_form.py``), through which
the visitor applies (``/website/form/hr.applicant``).

Odoo -> Pyramid:

- ``request.httprequest.path`` / ``.args`` -> ``request.path_info`` /
  ``request.GET``; ``request.params.get('noFuzzy')`` the same;
- ``request.env(context=...)`` left out (no context here);
- ``url_encode`` (Werkzeug's, which leaves out ``None`` values) ->
  ``urlencode`` of the values that are not ``None``;
- ``warnings.warn(..., DeprecationWarning)`` the same;
- ``request.geoip.country_code`` -> the fakes' ``request.geoip``;
- ``website=True``, ``sitemap=`` left out, with ``sitemap_jobs``.
"""

import warnings
from datetime import datetime, timedelta
from urllib.parse import urlencode

from pyramid_hooks import route
from tests.ports.odoo_website_blog import pager, slug
from tests.ports.odoo_website_form import WebsiteForm


def email_normalize(text):
    return (text or '').strip().lower() or None


class WebsiteHrRecruitment(WebsiteForm):
    _jobs_per_page = 12

    @route(['/jobs', '/jobs/page/<int:page>'], type='http', auth='public')
    def jobs(
        self, country_id=None, department_id=None, page=1, search=None,
        **kwargs,
    ):  # fmt: skip
        request = self.request
        env = request.env
        country = (
            env['res.country'].browse(int(country_id)) if country_id else None
        )
        department = (
            env['hr.department'].browse(int(department_id))
            if department_id
            else None
        )
        # by default, the jobs of the visitor's country
        code = request.geoip.country_code
        if code and not (country or department or kwargs.get('all_countries')):
            found = env['res.country'].search([('code', '=', code)])
            country = found[0] if found else None
            if country and not env['hr.job'].search(
                [('country_id', '=', country.id)]
            ):
                country = None
        domain = [('is_published', '=', True)]
        if country:
            domain.append(('country_id', '=', country.id))
        if department:
            domain.append(('department_id', '=', department.id))
        jobs = [
            job
            for job in env['hr.job'].search(domain, order='sequence')
            if not search or search.lower() in job.name.lower()
        ]
        total = len(jobs)
        page_values = pager(
            url=request.path_info.partition('/page/')[0],
            url_args=request.GET,
            total=total,
            page=page,
            step=self._jobs_per_page,
        )
        offset = page_values['offset']
        jobs = jobs[offset : offset + self._jobs_per_page]
        return request.render('website_hr_recruitment.index', {
            'jobs': jobs, 'country_id': country, 'department_id': department,
            'pager': page_values, 'search': search, 'search_count': total,
        })  # fmt: skip

    @route('/jobs/add', type='json', auth='user')
    def jobs_add(self, **kwargs):
        job = self.request.env['hr.job'].create(
            {'name': 'Job Title', 'is_published': False, 'sequence': 99}
        )
        return f'/jobs/{slug(job)}'

    @route('/jobs/detail/<model("hr.job"):job>', type='http', auth='public')
    def jobs_detail(self, job, **kwargs):
        return self.request.redirect(f'/jobs/{slug(job)}', code=301)

    @route('/jobs/<model("hr.job"):job>', type='http', auth='public')
    def job(self, job, **kwargs):
        return self.request.render(
            'website_hr_recruitment.detail', {'job': job, 'main_object': job}
        )

    @route('/jobs/apply/<model("hr.job"):job>', type='http', auth='public')
    def jobs_apply(self, job, **kwargs):
        session = self.request.session
        error = {}
        default = {}
        if 'website_hr_recruitment_error' in session:
            error = session.pop('website_hr_recruitment_error')
            default = session.pop('website_hr_recruitment_default')
        return self.request.render('website_hr_recruitment.apply', {
            'job': job, 'error': error, 'default': default,
        })  # fmt: skip

    # Compatibility routes

    @route(
        [
            '/jobs/country/<model("res.country"):country>',
            '/jobs/department/<model("hr.department"):department>',
            '/jobs/country/<model("res.country"):country>/department/'
            '<model("hr.department"):department>',
            '/jobs/office/<int:office_id>',
            '/jobs/country/<model("res.country"):country>/office/'
            '<int:office_id>',
            '/jobs/department/<model("hr.department"):department>/office/'
            '<int:office_id>',
        ],
        type='http',
        auth='public',
    )
    def jobs_compatibility(
        self, country=None, department=None, office_id=None, **kwargs
    ):
        """Deprecated since Odoo 16.3: the jobs are at /jobs, filtered
        by the query."""
        warnings.warn(
            'This route is deprecated since Odoo 16.3: the jobs list is now '
            'available at /jobs or /jobs/page/XXX',
            DeprecationWarning,
            stacklevel=1,
        )
        url_params = {
            'country_id': country and country.id,
            'department_id': department and department.id,
            'office_id': office_id,
            **kwargs,
        }
        query = urlencode(
            {k: v for k, v in url_params.items() if v is not None}, doseq=True
        )
        return self.request.redirect(f'/jobs?{query}', code=301)

    @route(
        '/website_hr_recruitment/check_recent_application',
        type='json',
        auth='public',
    )
    def check_recent_application(self, field, value, job_id):
        """A message for who applies again: refused lately, or applying
        already."""
        applicants = self.request.env['hr.applicant']
        matches = {
            'name': lambda a: (a.partner_name or '').lower() == value.lower(),
            'email': lambda a: a.email_normalized == email_normalize(value),
            'phone': lambda a: value in (a.partner_phone, a.partner_mobile),
        }.get(field, lambda a: False)
        found = sorted(
            (a for a in applicants.search([]) if matches(a)),
            key=lambda a: a.create_date,
            reverse=True,
        )
        six_months_ago = datetime.now() - timedelta(days=183)
        if any(
            a.application_status == 'refused'
            and a.job_id == int(job_id)
            and a.create_date >= six_months_ago
            for a in found
        ):
            return {
                'message': 'You applied for this position less than 6 '
                "months ago, and have been rejected. Please don't reapply "
                'unless you have a good reason.'
            }
        ongoing = [a for a in found if a.application_status == 'ongoing']
        if not ongoing:
            return {'message': None}
        if ongoing[0].job_id == int(job_id):
            return {
                'message': f'An application already exists for {value}. '
                'Duplicates might be rejected. '
            }
        return {
            'message': 'You already applied to another position recently. '
            "You can continue if it's not a mistake."
        }
