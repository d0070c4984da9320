"""Port of Odoo 17's survey controller to Pyramid with pyramid_hooks.

Original: ``addons/survey/controllers/main.py`` (``Survey``: the access
checks ``_fetch_from_access_token``, ``_check_validity``,
``_get_access_data``, ``_redirect_with_error``; ``survey_test``,
``survey_retry``, ``survey_start``, ``survey_display_page``, the
background images, ``survey_begin``, ``survey_submit``,
``_extract_comment_from_answers``, ``survey_print``,
``survey_get_certification``), Odoo 17.0 (commit 692c0ee).  The live
sessions, the question images, the statistics pages, the time limits and
the conditional questions are left out; surveys, answers, the PDF report
and QWeb are faked (``tests/ports/test_odoo_survey.py``).

Odoo -> Pyramid:

- the handlers are defined in another order: Odoo's
  ``survey_display_page`` (``/survey/<string:survey_token>/
  <string:answer_token>``) comes before ``/survey/<string:survey_token>/
  get_background_image``, ``/survey/print/<string:survey_token>`` and
  ``/survey/<int:survey_id>/get_certification``, which Werkzeug serves
  (it tries a static segment before a ``<string:>``) and which the routes
  here, tried handler after handler, would never reach: the application
  refuses to start, naming both handlers.  ``survey_display_page`` is
  defined last;
- ``request.env.user._is_public()`` -> ``request.authenticated_userid
  is None``; ``request.env.user`` -> the application's ``request.user``;
- ``request.httprequest.cookies`` -> ``request.cookies``;
  ``keep_query('*', answer_token=...)`` -> :func:`keep_query`;
- ``return werkzeug.exceptions.Forbidden()`` -> ``return
  HTTPForbidden()`` (returned, as in Odoo); ``raise UserError(...)`` on
  an http route -> the same, answered by the application's exception
  view (Odoo: a 400 page with the message);
- ``ir.binary``'s ``get_response()`` -> ``request.make_response``;
- ``content_disposition('Certification.pdf')`` -> the header's text;
- ``website=True``, ``sitemap=False`` are left out.
"""

from datetime import datetime
from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPForbidden

from pyramid_hooks import Controller, route


class UserError(Exception):
    """``odoo.exceptions.UserError``."""


def keep_query(request, *keep, **overrides):
    """``keep_query('*', answer_token=...)``: the query string, with
    *overrides* over it."""
    query = dict(request.GET) if '*' in keep else {}
    query.update(overrides)
    return urlencode(query)


def is_html_empty(text):
    return not (text or '').strip()


class Survey(Controller):
    # ACCESS

    def _fetch_from_access_token(self, survey_token, answer_token):
        """The survey of *survey_token* and its answer of *answer_token*
        (``None`` for none)."""
        env = self.request.env
        surveys = env['survey.survey'].search(
            [('access_token', '=', survey_token)]
        )
        survey = surveys[0] if surveys else None
        answer = None
        if answer_token and survey:
            answers = env['survey.user_input'].search([
                ('survey_id', '=', survey.id),
                ('access_token', '=', answer_token),
            ], limit=1)  # fmt: skip
            answer = answers[0] if answers else None
        return survey, answer

    def _check_validity(
        self, survey_token, answer_token, ensure_token=True, check_partner=True
    ):
        """Whether the survey can be taken: ``True`` or the key of the
        reason (``survey_wrong``, ``token_wrong``, ``token_required``,
        ``survey_auth``, ``survey_closed``, ``survey_void``,
        ``answer_wrong_user``, ``answer_deadline``)."""
        request = self.request
        survey, answer = self._fetch_from_access_token(
            survey_token, answer_token
        )
        is_public = request.authenticated_userid is None
        if not survey:
            return 'survey_wrong'
        if answer_token and not answer:
            return 'token_wrong'
        if not answer and ensure_token:
            return 'token_required'
        if not answer and survey.access_mode == 'token':
            return 'token_required'
        if survey.users_login_required and is_public:
            return 'survey_auth'
        if not survey.active and (not answer or not answer.test_entry):
            return 'survey_closed'
        if not survey.question_ids:
            return 'survey_void'
        if answer and check_partner:
            if is_public and answer.partner_id and not answer_token:
                # a public visitor's answer has no partner: a stale cookie
                return 'answer_wrong_user'
            if not is_public and answer.partner_id != request.user.partner_id:
                return 'answer_wrong_user'
        if answer and answer.deadline and answer.deadline < datetime.now():
            return 'answer_deadline'
        return True

    def _get_access_data(
        self, survey_token, answer_token, ensure_token=True, check_partner=True
    ):
        survey, answer = None, None
        has_survey_access, can_answer = False, False
        validity_code = self._check_validity(
            survey_token,
            answer_token,
            ensure_token=ensure_token,
            check_partner=check_partner,
        )
        if validity_code != 'survey_wrong':
            survey, answer = self._fetch_from_access_token(
                survey_token, answer_token
            )
            has_survey_access = self.request.user.has_group('survey.user')
            can_answer = bool(answer) or survey.access_mode == 'public'
        return {
            'survey_sudo': survey,
            'answer_sudo': answer,
            'has_survey_access': has_survey_access,
            'can_answer': can_answer,
            'validity_code': validity_code,
        }

    def _redirect_with_error(self, access_data, error_key):
        request = self.request
        survey = access_data['survey_sudo']
        answer = access_data['answer_sudo']
        if error_key == 'survey_void' and access_data['can_answer']:
            return request.render(
                'survey.survey_void_content', {'survey': survey}
            )
        if error_key == 'survey_closed' and access_data['can_answer']:
            return request.render(
                'survey.survey_closed_expired', {'survey': survey}
            )
        if error_key == 'survey_auth':
            start = f'/survey/start/{survey.access_token}'
            if answer:
                start += f'?answer_token={answer.access_token}'
            return request.render('survey.survey_auth_required', {
                'survey': survey,
                'redirect_url': '/web/login?' + urlencode({'redirect': start}),
            })  # fmt: skip
        if error_key == 'answer_deadline' and answer.access_token:
            return request.render(
                'survey.survey_closed_expired', {'survey': survey}
            )
        if error_key in ('answer_wrong_user', 'token_wrong'):
            return request.render(
                'survey.survey_access_error', {'survey': survey}
            )
        return request.redirect('/')

    # TEST / RETRY SURVEY ROUTES

    @route('/survey/test/<string:survey_token>', type='http', auth='user')
    def survey_test(self, survey_token, **kwargs):
        """A test answer, for the survey's managers."""
        request = self.request
        survey, _answer = self._fetch_from_access_token(survey_token, False)
        try:
            answer = survey._create_answer(request, test_entry=True)
        except Exception:
            return request.redirect('/')
        query = keep_query(request, '*', answer_token=answer.access_token)
        return request.redirect(f'/survey/start/{survey.access_token}?{query}')

    @route(
        '/survey/retry/<string:survey_token>/<string:answer_token>',
        type='http',
        auth='public',
    )
    def survey_retry(self, survey_token, answer_token, **post):
        """Another attempt, for who failed and has attempts left."""
        request = self.request
        access_data = self._get_access_data(
            survey_token, answer_token, ensure_token=True
        )
        if access_data['validity_code'] is not True:
            return self._redirect_with_error(
                access_data, access_data['validity_code']
            )
        survey = access_data['survey_sudo']
        answer = access_data['answer_sudo']
        try:
            retry = survey._create_answer(
                request,
                partner=answer.partner_id,
                email=answer.email,
                test_entry=answer.test_entry,
                **self._prepare_retry_additional_values(answer),
            )
        except UserError:
            return request.redirect('/')
        query = keep_query(request, '*', answer_token=retry.access_token)
        return request.redirect(f'/survey/start/{survey.access_token}?{query}')

    def _prepare_retry_additional_values(self, answer):
        return {'deadline': answer.deadline}

    def _prepare_survey_finished_values(self, survey, answer, token=False):
        values = {'survey': survey, 'answer': answer}
        if token:
            values['token'] = token
        return values

    # TAKING SURVEY ROUTES

    @route('/survey/start/<string:survey_token>', type='http', auth='public')
    def survey_start(
        self, survey_token, answer_token=None, email=False, **post
    ):
        """Start with the survey's token, and an answer's or a new one."""
        request = self.request
        answer_from_cookie = False
        if not answer_token:
            answer_token = request.cookies.get(f'survey_{survey_token}')
            answer_from_cookie = bool(answer_token)
        access_data = self._get_access_data(
            survey_token, answer_token, ensure_token=False
        )
        if answer_from_cookie and access_data['validity_code'] in (
            'answer_wrong_user',
            'token_wrong',
        ):
            # the cookie was another user's, or its answer was deleted
            access_data = self._get_access_data(
                survey_token, None, ensure_token=False
            )
        if access_data['validity_code'] is not True:
            return self._redirect_with_error(
                access_data, access_data['validity_code']
            )
        survey = access_data['survey_sudo']
        answer = access_data['answer_sudo']
        if not answer:
            try:
                answer = survey._create_answer(request, email=email)
            except UserError:
                answer = None
        if not answer:
            if not access_data['has_survey_access']:
                return request.redirect('/')
            return request.render('survey.survey_403_page', {'survey': survey})
        return request.redirect(
            f'/survey/{survey.access_token}/{answer.access_token}'
        )

    def _prepare_survey_data(self, survey, answer, **post):
        """The page's values: the page to show (the previous one when
        ``previous_page_id`` is given), or the end."""
        data = {
            'is_html_empty': is_html_empty,
            'survey': survey,
            'answer': answer,
            'breadcrumb_pages': [
                {'id': page.id, 'title': page.title}
                for page in survey.pages(self.request)
            ],
        }
        if 'previous_page_id' in post:
            previous_id = int(post['previous_page_id'])
            page = self.request.env['survey.question'].browse(previous_id)
            data.update({
                'page': page,
                'previous_page_id': survey.next_page_id(
                    self.request, previous_id, go_back=True
                ),
            })  # fmt: skip
            return data
        if answer.state == 'in_progress':
            page_id = survey.next_page_id(
                self.request, answer.last_displayed_page_id or 0
            )
            page = self.request.env['survey.question'].browse(page_id)
            data.update({
                'page': page,
                'survey_last': survey.next_page_id(self.request, page_id)
                is None,
                'previous_page_id': survey.next_page_id(
                    self.request, page_id, go_back=True
                ),
            })  # fmt: skip
        elif answer.state == 'done':
            return self._prepare_survey_finished_values(survey, answer)
        return data

    def _prepare_question_html(self, survey, answer, **post):
        """The next page's HTML, which the survey's JavaScript puts in
        the page."""
        data = self._prepare_survey_data(survey, answer, **post)
        template = (
            'survey.survey_fill_form_done'
            if answer.state == 'done'
            else 'survey.survey_fill_form_in_progress'
        )
        qweb = self.request.env['ir.qweb']
        return {
            'survey_content': qweb._render(template, data),
            'survey_navigation': qweb._render(
                'survey.survey_navigation', data
            ),
            'background_image_url': survey.background_image_url,
        }

    # The images: before survey_display_page, whose two <string:> segments
    # would take their URLs (Werkzeug tries the static segment first).

    @route(
        '/survey/<string:survey_token>/get_background_image',
        type='http',
        auth='public',
    )
    def survey_get_background(self, survey_token):
        survey, _answer = self._fetch_from_access_token(survey_token, False)
        return self._image_response(survey)

    @route(
        '/survey/<string:survey_token>/<int:section_id>/get_background_image',
        type='http',
        auth='public',
    )
    def survey_section_get_background(self, survey_token, section_id):
        survey, _answer = self._fetch_from_access_token(survey_token, False)
        if section_id not in [p.id for p in survey.pages(self.request)]:
            # a section of another survey
            raise HTTPForbidden()
        section = self.request.env['survey.question'].browse(section_id)
        return self._image_response(section)

    def _image_response(self, record):
        return self.request.make_response(
            record.background_image,
            headers=[('Content-Type', 'image/png')],
        )

    # JSON ROUTES to begin / continue survey (ajax navigation)

    @route(
        '/survey/begin/<string:survey_token>/<string:answer_token>',
        type='json',
        auth='public',
    )
    def survey_begin(self, survey_token, answer_token, **post):
        """The first page: no correct answers yet, and the page's HTML."""
        access_data = self._get_access_data(
            survey_token, answer_token, ensure_token=True
        )
        if access_data['validity_code'] is not True:
            return {}, {'error': access_data['validity_code']}
        survey = access_data['survey_sudo']
        answer = access_data['answer_sudo']
        if answer.state != 'new':
            return {}, {'error': 'The survey has already started.'}
        answer.state = 'in_progress'
        return {}, self._prepare_question_html(survey, answer, **post)

    @route(
        '/survey/submit/<string:survey_token>/<string:answer_token>',
        type='json',
        auth='public',
    )
    def survey_submit(self, survey_token, answer_token, **post):
        """A page's answers, each under its question's id: checked,
        saved, and the next page (or the previous one, or the end)."""
        request = self.request
        access_data = self._get_access_data(
            survey_token, answer_token, ensure_token=True
        )
        if access_data['validity_code'] is not True:
            return {}, {'error': access_data['validity_code']}
        survey = access_data['survey_sudo']
        answer = access_data['answer_sudo']
        if answer.state == 'done':
            return {}, {'error': 'unauthorized'}
        page_id = post.get('page_id')
        questions = survey.page_questions(request, page_id)
        if not answer.test_entry and not survey._has_attempts_left(
            request, answer.partner_id, answer.email
        ):
            # more answers made than attempts allowed
            return {}, {'error': 'unauthorized'}

        errors = {}
        for question in questions:
            value, comment = self._extract_comment_from_answers(
                question, post.get(str(question.id))
            )
            errors.update(question.validate_question(value, comment))
            if not errors.get(question.id):
                answer.lines[question.id] = (value, comment)
        if errors:
            return {}, {'error': 'validation', 'fields': errors}

        if survey.questions_layout == 'one_page':
            answer.state = 'done'
        elif 'previous_page_id' in post:
            # back: the survey continues from the page left
            answer.last_displayed_page_id = post['previous_page_id']
            return {}, self._prepare_question_html(survey, answer, **post)
        else:
            if survey.next_page_id(request, page_id) is None:
                answer.state = 'done'
            answer.last_displayed_page_id = page_id
        return {}, self._prepare_question_html(survey, answer)

    def _extract_comment_from_answers(self, question, answers):
        """The answers without the comment (``{'comment': text}`` among
        them, or a matrix's ``comment`` key), and the comment."""
        comment = None
        answers_no_comment = []
        if answers:
            if question.question_type == 'matrix':
                if 'comment' in answers:
                    comment = answers.pop('comment').strip()
                answers_no_comment = answers
            else:
                if not isinstance(answers, list):
                    answers = [answers]
                for answer in answers:
                    if isinstance(answer, dict) and 'comment' in answer:
                        comment = answer['comment'].strip()
                    else:
                        answers_no_comment.append(answer)
                if len(answers_no_comment) == 1:
                    answers_no_comment = answers_no_comment[0]
        return answers_no_comment, comment

    # COMPLETED SURVEY ROUTES: before survey_display_page too

    @route('/survey/print/<string:survey_token>', type='http', auth='public')
    def survey_print(
        self, survey_token, review=False, answer_token=None, **post
    ):
        """The survey to print, with the answers of *answer_token*."""
        access_data = self._get_access_data(
            survey_token, answer_token, ensure_token=False, check_partner=False
        )
        if access_data['validity_code'] is not True and (
            access_data['has_survey_access']
            or access_data['validity_code']
            not in (
                'token_required',
                'survey_closed',
                'survey_void',
                'answer_deadline',
            )
        ):
            return self._redirect_with_error(
                access_data, access_data['validity_code']
            )
        survey = access_data['survey_sudo']
        answer = access_data['answer_sudo']
        return self.request.render('survey.survey_page_print', {
            'review': review,
            'survey': survey,
            'answer': answer,
            'questions_to_display': survey.question_ids,
        })  # fmt: skip

    @route(
        ['/survey/<int:survey_id>/get_certification'],
        type='http',
        auth='user',
        methods=['GET'],
    )
    def survey_get_certification(self, survey_id, **kwargs):
        """The certificate, for who succeeded."""
        request = self.request
        surveys = request.env['survey.survey'].search(
            [('id', '=', survey_id), ('certification', '=', True)]
        )
        if not surveys:
            return request.redirect('/')
        succeeded = request.env['survey.user_input'].search([
            ('partner_id', '=', request.user.partner_id),
            ('survey_id', '=', survey_id),
            ('scoring_success', '=', True),
        ], limit=1)  # fmt: skip
        if not succeeded:
            raise UserError('The user has not succeeded the certification')
        return self._generate_report(succeeded[0], download=True)

    def _generate_report(self, user_input, download=True):
        report = f'%PDF certificate {user_input.id}'.encode()
        disposition = 'attachment; filename=Certification.pdf'
        if not download:
            disposition = 'inline; filename=Certification.pdf'
        return self.request.make_response(report, headers=[
            ('Content-Type', 'application/pdf'),
            ('Content-Length', len(report)),
            ('Content-Disposition', disposition),
        ])  # fmt: skip

    # The page of an answer: last, after the routes of /survey/<x>/<y>
    # with a static segment.

    @route(
        '/survey/<string:survey_token>/<string:answer_token>',
        type='http',
        auth='public',
    )
    def survey_display_page(self, survey_token, answer_token, **post):
        access_data = self._get_access_data(
            survey_token, answer_token, ensure_token=True
        )
        if access_data['validity_code'] is not True:
            return self._redirect_with_error(
                access_data, access_data['validity_code']
            )
        return self.request.render(
            'survey.survey_page_fill',
            self._prepare_survey_data(
                access_data['survey_sudo'], access_data['answer_sudo'], **post
            ),
        )
