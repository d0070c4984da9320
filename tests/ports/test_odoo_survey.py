"""Odoo 17's survey controller, ported (tests/ports/odoo_survey.py): a
survey taken with its token and an answer's, page after page through
JSON routes whose params are the questions' ids, the answer's token
kept in a cookie, access refused by reason, a certificate as a PDF."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Controller
from tests.ports.odoo_fakes import Env, Model, Record, page
from tests.ports.odoo_survey import Survey, UserError
from tests.ports.policies import UserHeaderPolicy as Policy


class Question(Record):
    def validate_question(self, value, comment):
        if self.constr_mandatory and not value:
            return {self.id: 'This question requires an answer.'}
        return {}


class SurveyRecord(Record):
    def pages(self, request):
        return [q for q in self.question_ids if q.is_page]

    def page_questions(self, request, page_id):
        return [q for q in self.question_ids if q.page_id == page_id]

    def next_page_id(self, request, page_id, go_back=False):
        ids = [p.id for p in self.pages(request)]
        if page_id not in ids:
            return None if go_back else ids[0]
        index = ids.index(page_id) + (-1 if go_back else 1)
        return ids[index] if 0 <= index < len(ids) else None

    def _has_attempts_left(self, request, partner, email):
        answers = request.env['survey.user_input'].search(
            [('survey_id', '=', self.id), ('test_entry', '=', False)]
        )
        return len(answers) < self.attempts_limit

    def _create_answer(self, request, test_entry=False, **values):
        if not test_entry and not self._has_attempts_left(request, None, None):
            raise UserError('No attempts left')
        answers = request.env['survey.user_input']
        token = f'answer{len(answers.records) + 1}'
        return answers.create({
            'survey_id': self.id, 'state': 'new', 'test_entry': test_entry,
            'access_token': token, 'name': token,
            'partner_id': request.user.partner_id, 'email': None,
            'deadline': None, 'last_displayed_page_id': None, 'lines': {},
            'scoring_success': False, **values,
        })  # fmt: skip


class Surveys(Model):
    record_class = SurveyRecord


class QWeb(Model):
    def _render(self, template, values):
        page = values.get('page')
        return f'<div t="{template}" page="{page.title if page else ""}"/>'


class User(Record):
    def has_group(self, group):
        return group in self.groups


def make_env():
    env = Env()
    env['survey.survey'] = Surveys('survey.survey')
    env['ir.qweb'] = QWeb('ir.qweb')
    questions = env['survey.question']
    questions.record_class = Question
    rows = [
        # title, is_page, page_id, mandatory, type
        ('You', True, None, False, None),
        ('Name', False, 1, True, 'char_box'),
        ('Pets', False, 1, False, 'multiple_choice'),
        ('Work', True, None, False, None),
        ('Job', False, 4, True, 'char_box'),
    ]
    for title, is_page, page_id, mandatory, kind in rows:
        questions.create({
            'title': title, 'is_page': is_page, 'page_id': page_id,
            'constr_mandatory': mandatory, 'question_type': kind,
        })  # fmt: skip
    surveys = env['survey.survey']
    common = {
        'active': True, 'users_login_required': False, 'certification': True,
        'questions_layout': 'page_per_section', 'attempts_limit': 2,
        'background_image_url': '/bg.png', 'background_image': b'PNG',
    }  # fmt: skip
    surveys.create({
        **common, 'name': 'Open', 'access_token': 'open',
        'access_mode': 'public',
        'question_ids': list(questions.records.values()),
    })  # fmt: skip
    surveys.create({
        **common, 'name': 'Invited', 'access_token': 'invited',
        'access_mode': 'token', 'question_ids': [questions.browse(1)],
    })  # fmt: skip
    surveys.create({
        **common, 'name': 'Staff', 'access_token': 'staff',
        'access_mode': 'public', 'users_login_required': True,
        'question_ids': [questions.browse(1)],
    })  # fmt: skip
    users = env['res.users']
    users.record_class = User
    for partner, groups in [(11, ()), (12, ('survey.user',))]:
        users.create({'partner_id': partner, 'groups': groups})
    return env


ANONYMOUS = User(id=None, partner_id=None, groups=())


def user(request):
    uid = request.authenticated_userid
    return request.env['res.users'].browse(int(uid)) if uid else ANONYMOUS


def user_error(exc, request):
    """Odoo answers a ``UserError`` of an http route with a 400 page."""
    return Response(exc.args[0], status=400)


def make_app(*controllers):
    env = make_env()
    config = Configurator()
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_fakes')
    config.include('tests.ports.odoo_auth_signup')  # request.redirect
    config.set_security_policy(Policy())
    config.registry.odoo_env = env
    config.add_request_method(user, 'user', reify=True)
    config.add_exception_view(user_error, context=UserError)
    for controller in controllers or (Survey,):
        config.add_controller(controller)
    return TestApp(config.make_wsgi_app()), env


def call(app, url, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post_json(url, body).json['result']


def start(app, token='open'):
    response = app.get(f'/survey/start/{token}', status=303)
    return response.location.rpartition('/')[2]


def test_a_visitor_starts_and_takes_a_survey_page_after_page():
    app, env = make_app()
    answer_token = start(app)
    assert answer_token == 'answer1'
    template, values = page(app.get('/survey/open/answer1'))
    assert template == 'survey.survey_page_fill'
    assert values['breadcrumb_pages'] == [
        {'id': 1, 'title': 'You'},
        {'id': 4, 'title': 'Work'},
    ]
    # the first page, as JSON: no correct answers, the page's HTML
    correct, html = call(app, '/survey/begin/open/answer1')
    assert correct == {}
    assert html['survey_content'] == (
        '<div t="survey.survey_fill_form_in_progress" page="You"/>'
    )
    assert html['background_image_url'] == '/bg.png'
    assert call(app, '/survey/begin/open/answer1') == [
        {},
        {'error': 'The survey has already started.'},
    ]
    # the answers under the questions' ids, a comment among them
    url = '/survey/submit/open/answer1'
    result = call(app, url, page_id=1, **{'3': ['cat', {'comment': ' me '}]})
    assert result == [
        {},
        {'error': 'validation', 'fields': {'2': 'This question requires '
                                           'an answer.'}},
    ]  # fmt: skip
    _c, html = call(app, url, page_id=1, **{'2': 'Ann', '3': 'cat'})
    assert 'page="Work"' in html['survey_content']
    answer = env['survey.user_input'].browse(1)
    assert answer.lines == {2: ('Ann', None), 3: ('cat', None)}
    # back to the first page, then the last one
    _c, html = call(app, url, page_id=4, previous_page_id=1, **{'5': 'x'})
    assert 'page="You"' in html['survey_content']
    _c, html = call(app, url, page_id=4, **{'5': 'Porter'})
    assert html['survey_content'] == (
        '<div t="survey.survey_fill_form_done" page=""/>'
    )
    assert answer.state == 'done'
    assert call(app, url, page_id=4) == [{}, {'error': 'unauthorized'}]
    _template, values = page(app.get('/survey/open/answer1'))
    assert values == {'survey': 'Open', 'answer': 'answer1'}


def test_a_comment_of_a_multiple_choice():
    survey = Survey(None)
    question = Record(question_type='multiple_choice')
    assert survey._extract_comment_from_answers(
        question, ['a', 'b', {'comment': ' yes '}]
    ) == (['a', 'b'], 'yes')
    matrix = Record(question_type='matrix')
    assert survey._extract_comment_from_answers(
        matrix, {'1': ['2'], 'comment': 'no '}
    ) == ({'1': ['2']}, 'no')


def test_the_answer_token_in_a_cookie_resumes_it():
    app, env = make_app()
    env['survey.survey'].browse(1).attempts_limit = 3
    start(app)
    app.set_cookie('survey_open', 'answer1')
    assert start(app) == 'answer1'
    # a cookie of a deleted answer: a new answer
    app.set_cookie('survey_open', 'gone')
    assert start(app) == 'answer2'
    # another user's answer in the cookie: a new answer for this one
    app.set_cookie('survey_open', 'answer1')
    response = app.get(
        '/survey/start/open', headers={'X-User': '1'}, status=303
    )
    assert response.location.endswith('/survey/open/answer3')
    # no attempts left: Odoo's 403 page, for who may see the survey
    app.set_cookie('survey_open', '')
    app.get('/survey/start/open', headers={'X-User': '1'}, status=303)
    template, _v = page(app.get('/survey/start/open', headers={'X-User': '2'}))
    assert template == 'survey.survey_403_page'


def test_access_refused_by_reason():
    app, _env = make_app()
    # a survey for invited people only: its answers' tokens
    assert app.get('/survey/start/invited', status=303).location == (
        'http://localhost/'
    )
    template, _v = page(app.get('/survey/start/invited?answer_token=bad'))
    assert template == 'survey.survey_access_error'
    app.get('/survey/start/nothing', status=303)  # survey_wrong
    # signed-in users only
    template, values = page(app.get('/survey/start/staff'))
    assert template == 'survey.survey_auth_required'
    assert values['redirect_url'] == (
        '/web/login?redirect=%2Fsurvey%2Fstart%2Fstaff'
    )
    # a page without an answer's token
    app.get('/survey/open/none', status=200)  # token_wrong: its page
    assert call(app, '/survey/begin/open/none') == [
        {},
        {'error': 'token_wrong'},
    ]


def test_the_background_images_at_urls_of_two_segments():
    """``/survey/<token>/get_background_image`` beside
    ``/survey/<token>/<answer_token>``."""
    app, env = make_app()
    response = app.get('/survey/open/get_background_image')
    assert (response.content_type, response.body) == ('image/png', b'PNG')
    env['survey.question'].browse(4).background_image = b'WORK'
    assert app.get('/survey/open/4/get_background_image').body == b'WORK'
    app.get('/survey/invited/4/get_background_image', status=403)


def test_the_printable_survey_and_the_certificate():
    app, env = make_app()
    start(app)
    template, values = page(app.get('/survey/print/open?answer_token=answer1'))
    assert (template, values['answer']) == (
        'survey.survey_page_print',
        'answer1',
    )
    app.get('/survey/1/get_certification', status=403)  # auth='user'
    user = {'X-User': '1'}
    response = app.get('/survey/1/get_certification', headers=user, status=400)
    assert response.text == 'The user has not succeeded the certification'
    app.get('/survey/start/open', headers=user)
    env['survey.user_input'].browse(2).scoring_success = True
    response = app.get('/survey/1/get_certification', headers=user)
    assert response.content_type == 'application/pdf'
    assert response.headers['Content-Disposition'] == (
        'attachment; filename=Certification.pdf'
    )
    env['survey.survey'].browse(1).certification = False
    app.get('/survey/1/get_certification', headers=user, status=303)


def test_a_test_answer_and_a_retry():
    app, env = make_app()
    response = app.get('/survey/test/open?lang=fr', headers={'X-User': '2'})
    assert response.location == (
        'http://localhost/survey/start/open?lang=fr&answer_token=answer1'
    )
    assert env['survey.user_input'].browse(1).test_entry is True
    start(app)
    response = app.get('/survey/retry/open/answer2', status=303)
    assert response.location == (
        'http://localhost/survey/start/open?answer_token=answer3'
    )
    # no attempt left (two made): home
    assert app.get('/survey/retry/open/answer2').location == (
        'http://localhost/'
    )


def test_in_odoos_order_the_application_refuses_to_start():
    """Odoo defines ``survey_display_page`` before the routes of
    ``/survey/<token>/get_background_image`` and
    ``/survey/print/<token>``, which Werkzeug serves first; here it would
    take their URLs, so the startup refuses, naming both handlers."""
    names = [
        'survey_display_page', 'survey_get_background',
        'survey_section_get_background', 'survey_begin', 'survey_submit',
        'survey_print', 'survey_get_certification',
    ]  # fmt: skip
    odoo_order = type(
        'OdooOrder', (Controller,), {n: getattr(Survey, n) for n in names}
    )
    with pytest.raises(ConfigurationError) as caught:
        make_app(odoo_order)
    message = str(caught.value)
    assert 'survey_display_page' in message
    assert 'survey_get_background' in message
    print(message)
