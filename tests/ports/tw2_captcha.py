"""Port of tw2.captcha 0.0.4's ``Captcha`` widget to Pyramid with
pyramid_hooks.

Original: ``tw2/captcha/widgets.py`` (``Captcha``: its params,
``post_define`` deriving the key, ``request`` splitting
``/<controller_prefix>/<image|audio>/<payload>`` between
``request_image`` and ``request_audio``, ``create_payload``,
``model_from_payload``, ``prepare`` registering the controller),
``tw2/captcha/model.py`` (what a payload carries: the answer, when it was
made, the equation's label), ``tw2/captcha/validators.py``
(``CaptchaValidator``: ``incorrect``, ``timeout``),
``templates/captcha.mak`` and the ``random_ascii`` and
``random_equation`` text generators.  The AES-encrypted pickle is
replaced by a signed nonce from which the key derives the answer (the
client never sees it, and no client bytes are unpickled); the JPEG and
WAV makers (PIL, ``espeak`` in a subprocess) are callables given to the
widget; entry points are left out.  Where the original read
``validator.timeout`` (always 5) and ``elapsed.seconds`` (a day-old
captcha passed), the port reads the widget's ``timeout`` and the whole
elapsed time; the audio of a text captcha said "None" (its label), the
port's says the text.

ToscaWidgets 2 -> Pyramid:

- ``@classmethod def request(cls, req)`` splitting ``req.path`` into a
  directive and the payload -> two ``@serverside_callback(
  request_method='GET', name=...)`` methods, ``request_image`` and
  ``request_audio`` at ``image`` and ``audio`` (``audio`` is also the
  param turning the audio link on), the payload
  in the query (a callback's URL ends at its name); a payload not signed
  by the key (a 500 in the original) -> HTTP 400;
- ``mw.controllers.register(type(self), self.controller_prefix)`` in
  ``prepare`` (at the first display, for the process) ->
  ``config.add_widget(Captcha(id=...))`` at configuration time;
- ``controller_prefix`` written in the page as a relative URL ->
  ``url_for_callback(request, 'image', payload=...)``;
- ``post_define`` deriving ``_key`` from the class's ``key`` (default
  ``CHANGEME``) -> ``__init__`` taking ``key=``, refusing a missing one;
  the other ``twc.Param``\\ s -> class attributes;
- ``payload = twc.Variable()`` set by ``prepare`` on the request's
  instance -> made by ``render(request)`` for that page only (set on the
  mounted widget it would be shared by every request);
- ``CaptchaValidator(captcha_widget=cls)`` with ``validate_python(self,
  value, state)`` -> the bound method ``captcha.check`` given as the form
  view's ``validate=`` (called as ``check(request, params)``; the function
  from the class body, ``def check(self, value, state=None)``, would run
  with the request as ``self``: it is refused at startup);
- ``twc.ValidationError('incorrect', self)`` ->
  ``Invalid({field: message})``;
- ``webob.Response(app_iter=<bytes>)`` -> ``Response(body=...)``.
"""

import hashlib
import hmac
import random
import secrets
import time
from html import escape

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound
from pyramid.response import Response

from pyramid_hooks import Invalid, ServerSideCallbackMixin, serverside_callback

MESSAGES = {
    'incorrect': 'Incorrect value.',
    'timeout': 'Too much time elapsed. Please try again.',
}


def random_ascii(widget, rng):
    return ''.join(
        rng.choice(widget.ascii_char) for _ in range(widget.num_char)
    )


def random_equation(widget, rng):
    return tuple(
        rng.randint(widget.start_range, widget.stop_range) for _ in range(2)
    )


class Captcha(ServerSideCallbackMixin):
    audio = True
    audio_icon = '/static/audio.png'
    timeout = 5  # minutes
    picture_width = 300
    picture_height = 100
    ascii_char = 'BCDEFGHJKLMNPQRTUVWXYacdefhijkmnprstuvwxyz378'
    num_char = 5
    start_range = 1
    stop_range = 100
    text_generator = staticmethod(random_ascii)
    clock = staticmethod(time.time)

    def __init__(self, *, key, jpeg_generator, wav_generator=None, **kw):
        if not key or key == 'CHANGEME':
            raise ValueError('Captcha must be given a secret key=')
        for name in ('text_generator', 'clock', 'audio', 'timeout'):
            if name in kw:
                setattr(self, name, kw.pop(name))
        super().__init__(**kw)
        self._key = hashlib.sha256(key.encode()).digest()
        self.jpeg_generator = jpeg_generator
        self.wav_generator = wav_generator

    def _sign(self, text):
        return hmac.new(self._key, text.encode(), 'sha256').hexdigest()[:32]

    def create_payload(self):
        body = f'{secrets.token_hex(8)}-{int(self.clock())}'
        return f'{body}-{self._sign(body)}'

    def model_from_payload(self, payload):
        """``(plaintext, created, label)``; ``ValueError`` for a payload
        the key did not sign."""
        body, _, sig = str(payload).rpartition('-')
        if not body or not hmac.compare_digest(sig, self._sign(body)):
            raise ValueError('not a payload of this captcha')
        seed = hmac.new(self._key, body.encode(), 'sha256').digest()
        text = self.text_generator(self, random.Random(seed))
        label = None
        if isinstance(text, tuple):
            label = f'{text[0]} + {text[1]} ='
            text = str(sum(text))
        return text, int(body.rpartition('-')[2]), label

    def _model(self, request):
        try:
            return self.model_from_payload(request.GET.get('payload', ''))
        except ValueError:
            raise HTTPBadRequest() from None

    @serverside_callback(request_method='GET', name='image')
    def request_image(self, request):
        text, _, label = self._model(request)
        body = self.jpeg_generator(
            label or text, self.picture_width, self.picture_height
        )
        return Response(body=body, content_type='image/jpeg')

    @serverside_callback(request_method='GET', name='audio')
    def request_audio(self, request):
        if not self.audio or self.wav_generator is None:
            raise HTTPNotFound()
        text, _, label = self._model(request)
        body = self.wav_generator(label or text)
        return Response(body=body, content_type='audio/basic')

    def check(self, request, params):
        """The form's validator: the answer typed for the payload shown."""
        field = self.id
        try:
            text, created, _ = self.model_from_payload(
                params.get(f'{field}:payload', '')
            )
        except ValueError:
            raise Invalid({field: MESSAGES['incorrect']}) from None
        if params.get(f'{field}:value') != text:
            raise Invalid({field: MESSAGES['incorrect']})
        if self.clock() - created > self.timeout * 60:
            raise Invalid({field: MESSAGES['timeout']})
        return params

    def render(self, request):
        field = escape(self.id)
        payload = self.create_payload()
        image = escape(
            self.url_for_callback(request, 'image', payload=payload)
        )
        parts = [
            f'<span id="{field}:wrapper">',
            f'<img id="{field}_img" src="{image}"/>',
        ]
        if self.audio:
            audio = self.url_for_callback(request, 'audio', payload=payload)
            parts.append(
                f'<a href="{escape(audio)}"><img '
                f'src="{escape(self.audio_icon)}" alt="Audio file" /></a>'
            )
        parts += [
            f'<input type="hidden" id="{field}:payload" '
            f'name="{field}:payload" value="{payload}"/>',
            f'<input type="text" id="{field}:value" name="{field}:value"/>',
            '</span>',
        ]
        return '\n'.join(parts)
