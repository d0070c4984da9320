"""Port of Odoo's CRM extension of the website's form controller to
Pyramid with pyramid_hooks.

Original: ``addons/website_crm/controllers/website_form.py``
(``WebsiteForm(form.WebsiteForm)``: the phone numbers of a lead
formatted for the visitor's country before the parent handles the form,
the state guessed from GeoIP, the lead linked to the visitor and its
partner), Odoo 17 (commit 03259ea), extending the port of
``website/controllers/form.py`` (``tests/ports/odoo_website_form.py``).
Phone formatting, GeoIP and visitors are faked
(``tests/ports/test_odoo_website_crm.py``).

Odoo -> Pyramid:

- ``request.params.update({phone_field: formatted})`` and
  ``request.params['state_id'] = state.id``, for the parent to read
  (Odoo's ``_handle_website_form`` reads ``request.params``) ->
  ``kwargs[...] = ...`` before ``super()._handle_website_form(model_name,
  **kwargs)``: the parent's port reads its arguments, and WebOb's
  ``request.params`` is read-only (``self.request.POST[...] = ...``
  would be allowed, and silently not reach them);
- ``self.extract_data(model_record, request.params)`` ->
  ``self.extract_data(model_record, dict(kwargs))``: the arguments, the
  captcha's token taken out by the route's ``validate=``;
- ``except:`` (a bare one, for the parent to report the error) ->
  ``except ValidationError:``, what ``extract_data`` raises;
- ``request.context.get('lang')`` -> ``request.locale_name``;
- ``insert_record(self, request, ...)`` keeps its ``request`` parameter:
  Odoo passes it, and so does the parent's port;
- ``phone_validation.phone_format`` and ``tools.email_normalize`` -> the
  fakes' :func:`phone_format` and ``str.strip().lower()``.
"""

import re

from tests.ports.odoo_website_form import ValidationError, WebsiteForm


def phone_format(number, country_code, phone_code):
    """``phone_format(..., force_format='INTERNATIONAL',
    raise_exception=False)``, faked: a national number gets the
    country's code; what is not a number is kept as it is."""
    digits = re.sub(r'[^0-9+]', '', number)
    if not digits or not phone_code:
        return number
    if digits.startswith('+'):
        return digits
    return f'+{phone_code} {digits.lstrip("0")}'


class WebsiteCrmForm(WebsiteForm):
    def _get_country(self):
        request = self.request
        visitor = request.env['website.visitor']._get_visitor_from_request()
        partner = visitor.partner_id if visitor else None
        if partner:
            country = partner.country_id or request.env.company.country_id
            if country:
                return country
        code = request.geoip.country_code
        if code:
            found = request.env['res.country'].search([('code', '=', code)])
            return found[0] if found else None
        return None

    def _handle_website_form(self, model_name, **kwargs):
        request = self.request
        models = request.env['ir.model'].search(
            [('model', '=', model_name), ('website_form_access', '=', True)]
        )
        if models:
            try:
                data = self.extract_data(models[0], dict(kwargs))
            except ValidationError:
                pass  # the parent reports it
            else:
                record = data['record']
                country = request.env['res.country'].browse(
                    record.get('country_id')
                )
                country = country or self._get_country()
                for field in request.env[
                    model_name
                ]._phone_get_number_fields():
                    if record.get(field):
                        kwargs[field] = phone_format(
                            record[field],
                            country.code if country else None,
                            country.phone_code if country else None,
                        )

        if model_name == 'crm.lead' and not kwargs.get('state_id'):
            country_code = request.geoip.country_code
            subdivisions = request.geoip.subdivisions
            state_code = subdivisions[0].iso_code if subdivisions else None
            if country_code and state_code:
                states = request.env['res.country.state'].search([
                    ('code', '=', state_code),
                    ('country_code', '=', country_code),
                ])  # fmt: skip
                if states:
                    kwargs['state_id'] = states[0].id
        return super()._handle_website_form(model_name, **kwargs)

    def insert_record(self, request, model, values, custom, meta=None):
        is_lead = model.model == 'crm.lead'
        visitor = None
        if is_lead:
            email = (values.get('email_from') or '').strip().lower()
            visitor = request.env[
                'website.visitor'
            ]._get_visitor_from_request()
            partner = visitor.partner_id if visitor else None
            if email and partner and partner.email.lower() == email:
                # 'phone' is formatted by now (_handle_website_form)
                phone = values.get('phone')
                if not (phone and partner.phone) or (
                    phone_format(partner.phone, None, partner.phone_code)
                    == phone
                ):
                    values['partner_id'] = partner.id
            values.setdefault('company_id', request.env.company.id)
            values['lang_id'] = values.get('lang_id') or request.locale_name

        result = super().insert_record(
            request, model, values, custom, meta=meta
        )

        if is_lead and visitor and result:
            lead = request.env['crm.lead'].browse(result)
            if lead:
                if not visitor.lead_ids and not visitor.partner_id:
                    visitor.name = lead.contact_name
                visitor.lead_ids.append(result)
        return result
