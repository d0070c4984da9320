"""tw2.captcha 0.0.4's ``Captcha``, ported (tests/ports/tw2_captcha.py):
the page showing it, the image and audio its page asks for, the form's
check of the answer."""

import re

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)
from tests.ports.tw2_captcha import Captcha, random_equation


class Clock:
    now = 1_000_000.0

    def __call__(self):
        return self.now


def make_app(**params):
    clock = Clock()
    captcha = Captcha(
        id='captcha',
        key='s3cret',
        jpeg_generator=lambda text, w, h: f'JPEG {w}x{h} {text}'.encode(),
        wav_generator=lambda text: f'WAV {text}'.encode(),
        callback_authorization=always_allow,
        clock=clock,
        **params,
    )
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(captcha)
    config.add_route('signup', '/signup')
    config.add_view(
        lambda request: captcha.render(request),
        route_name='signup',
        request_method='GET',
        renderer='string',
    )
    config.add_view(
        lambda request: {'welcome': request.hook_params['name']},
        route_name='signup',
        request_method='POST',
        require_csrf=False,
        validate=captcha.check,
        renderer='json',
    )
    return TestApp(config.make_wsgi_app()), captcha, clock


def shown(app):
    page = app.get('/signup').text
    payload = re.search(r'name="captcha:payload" value="([^"]+)"', page)[1]
    image = re.search(r'<img id="captcha_img" src="([^"]+)"', page)[1]
    return page, payload, image.replace('&amp;', '&')


def test_page_links_image_and_audio_of_its_payload():
    app, captcha, _ = make_app()
    page, payload, image = shown(app)
    assert image == f'/_widgets/captcha/image?payload={payload}'
    assert f'href="/_widgets/captcha/audio?payload={payload}' in page
    text = captcha.model_from_payload(payload)[0]
    assert text not in page and len(text) == 5
    assert app.get(image).body == f'JPEG 300x100 {text}'.encode()
    assert app.get(image).content_type == 'image/jpeg'
    audio = app.get('/_widgets/captcha/audio', {'payload': payload})
    assert audio.body == f'WAV {text}'.encode()


def test_each_display_has_its_own_payload():
    app, _, _ = make_app()
    assert shown(app)[1] != shown(app)[1]


def test_equation_shows_label_and_wants_sum():
    app, captcha, _ = make_app(text_generator=random_equation)
    _, payload, image = shown(app)
    text, _, label = captcha.model_from_payload(payload)
    a, b = map(int, re.findall(r'\d+', label))
    assert text == str(a + b)
    assert app.get(image).body.endswith(label.encode())
    form = {'name': 'ann', 'captcha:payload': payload, 'captcha:value': text}
    assert app.post('/signup', form).json == {'welcome': 'ann'}


def test_right_answer_passes_wrong_one_is_400():
    app, captcha, _ = make_app()
    _, payload, _ = shown(app)
    text = captcha.model_from_payload(payload)[0]
    form = {'name': 'ann', 'captcha:payload': payload, 'captcha:value': text}
    assert app.post('/signup', form).json == {'welcome': 'ann'}
    form['captcha:value'] = text + 'x'
    assert 'Incorrect value.' in app.post('/signup', form, status=400).text


def test_forged_payload_is_refused():
    app, _, _ = make_app()
    _, payload, _ = shown(app)
    forged = payload[:-1] + ('0' if payload[-1] != '0' else '1')
    form = {'name': 'x', 'captcha:payload': forged, 'captcha:value': 'x'}
    assert 'Incorrect value.' in app.post('/signup', form, status=400).text
    app.get('/_widgets/captcha/image', {'payload': forged}, status=400)
    app.get('/_widgets/captcha/image', status=400)


def test_old_captcha_times_out_a_day_later_too():
    app, captcha, clock = make_app()
    _, payload, _ = shown(app)
    text = captcha.model_from_payload(payload)[0]
    form = {'name': 'ann', 'captcha:payload': payload, 'captcha:value': text}
    for late in (5 * 60 + 1, 24 * 3600 + 60):
        clock.now = 1_000_000.0 + late
        assert 'Too much time' in app.post('/signup', form, status=400).text


def test_audio_off_has_no_link_and_no_sound():
    app, _, _ = make_app(audio=False)
    page, payload, _ = shown(app)
    assert 'audio' not in page
    app.get('/_widgets/captcha/audio', {'payload': payload}, status=404)


def test_image_answers_get_only():
    app, _, _ = make_app()
    image = shown(app)[2]
    app.post(image, status=405)


def test_key_is_required():
    for key in ('', 'CHANGEME'):
        with pytest.raises(ValueError, match='secret key='):
            Captcha(id='c', key=key, jpeg_generator=None)


class ValidatorMethodCaptcha(ServerSideCallbackMixin):
    """tw2's ``validate_python(self, value, state=None)`` kept as a method
    and given from the class body as a callback's ``validate=``."""

    def validate_python(self, value, state=None):
        return value

    @serverside_callback(validate=validate_python, renderer='json')
    def answer(self, request):
        return {'self': type(self).__name__}


def test_validator_method_from_class_body_is_refused():
    # called as validate(request, params), it ran with the request as self
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(ValidatorMethodCaptcha(id='c'))
    with pytest.raises(
        ConfigurationError, match='its first parameter is self'
    ):
        config.commit()
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('form', '/form')
    config.add_view(
        lambda request: {},
        route_name='form',
        validate=ValidatorMethodCaptcha.validate_python,
        renderer='json',
    )
    with pytest.raises(ConfigurationError, match='drop self'):
        config.commit()
