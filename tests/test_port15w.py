"""Porting pass 15 (ToscaWidgets): ``validate=`` naming a method of the
widget, as ``error_handler=`` does (tw2 forms validate by their own
method: tests/ports/tw2_dynforms.py, tests/ports/tw2_forms.py)."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import (
    Invalid,
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)


class Form(ServerSideCallbackMixin):
    minimum = 1

    def check(self, request, params):
        if int(params.get('n', 0)) < self.minimum:
            raise Invalid({'n': f'at least {self.minimum}'})
        return {'n': int(params['n'])}

    @serverside_callback(validate='check', renderer='json')
    def save(self, request):
        return {'saved': request.hook_params['n'], 'by': type(self).__name__}


class Stricter(Form):
    minimum = 5

    def check(self, request, params):  # the override is called
        params = super().check(request, params)
        return {'n': params['n'] * 10}


def make_app(*widgets):
    config = Configurator()
    config.include('pyramid_hooks')
    for widget in widgets:
        config.add_widget(widget)
    return TestApp(config.make_wsgi_app())


def test_validate_by_name_is_called_on_the_widget():
    app = make_app(
        Form(id='form', callback_authorization=always_allow),
        Stricter(id='strict', callback_authorization=always_allow),
    )
    assert app.get('/_widgets/form/save?n=2').json == {
        'saved': 2,
        'by': 'Form',
    }
    res = app.get('/_widgets/form/save?n=0', status=400)
    assert 'n: at least 1' in res.text
    app.get('/_widgets/strict/save?n=2', status=400)
    assert app.get('/_widgets/strict/save?n=5').json['saved'] == 50


@pytest.mark.parametrize('name', ['chek', 'title'])
def test_a_name_the_widget_has_no_method_for_is_refused(name):
    class Misnamed(ServerSideCallbackMixin):
        title = 'not a method'

        def check(self, request, params):
            return params

        @serverside_callback(validate=name)
        def save(self, request):
            return Response()

    with pytest.raises(ConfigurationError) as e:
        make_app(Misnamed(id='m', callback_authorization=always_allow))
    assert f"add_widget: validate='{name}' of the callback 'save'" in str(
        e.value
    )
    assert f"has no method '{name}'" in str(e.value)
    if name == 'chek':
        assert "'check'" in str(e.value)  # did you mean


def test_a_module_function_and_a_dotted_name_are_unchanged():
    def positive(request, params):
        if params.get('n', '1').startswith('-'):
            raise Invalid({'n': 'negative'})

    class Plain(ServerSideCallbackMixin):
        @serverside_callback(validate=positive)
        def save(self, request):
            return Response('ok')

        @serverside_callback(validate='tests.test_port15w.dotted')
        def other(self, request):
            return Response(request.hook_params['seen'])

    app = make_app(Plain(id='p', callback_authorization=always_allow))
    app.get('/_widgets/p/save?n=-1', status=400)
    assert app.get('/_widgets/p/other').text == 'dotted'


def dotted(request, params):
    return {'seen': 'dotted'}
