"""The ``validate=`` and ``error_handler=`` view options."""

import pytest
from pyramid.exceptions import ConfigurationError

from pyramid_hooks import Invalid

from .conftest import make_app


def validate_number(request, params):
    try:
        params['n'] = int(params.get('n', ''))
    except ValueError:
        raise Invalid({'n': 'not a number'}) from None
    return params


def show(request):
    return {'n': request.hook_params['n']}


def route(config, view, **kw):
    config.add_route('r', '/')
    config.add_view(view, route_name='r', renderer='json', **kw)


def test_valid_params_replace_the_original(config):
    route(config, show, validate=validate_number)
    assert make_app(config).get('/?n=41').json == {'n': 41}


def test_validator_returning_none_keeps_the_mutated_params(config):
    def fill(request, params):
        params['n'] = 'filled'

    route(config, show, validate=fill)
    assert make_app(config).get('/').json == {'n': 'filled'}


def test_invalid_without_handler_is_a_400_page(config):
    route(config, show, validate=validate_number)
    app = make_app(config)
    response = app.get('/?n=x', status=400)
    assert response.content_type == 'text/plain'
    assert 'n: not a number' in response.text
    assert 'Traceback' not in response.text
    response = app.get('/?n=x', headers={'Accept': 'text/html'}, status=400)
    assert response.content_type == 'text/html'
    assert 'n: not a number' in response.text


def test_invalid_without_handler_is_json_for_json_clients(config):
    route(config, show, validate=validate_number)
    response = make_app(config).get(
        '/?n=x', headers={'Accept': 'application/json'}, status=400
    )
    assert response.content_type == 'application/json'
    assert response.json == {'status': 400, 'errors': {'n': 'not a number'}}


@pytest.mark.parametrize(
    ('errors', 'text'),
    [(['first', 'second'], 'first; second'), ('plain words', 'plain words')],
)
def test_error_shapes_in_the_page(config, errors, text):
    def refuse(request, params):
        raise Invalid(errors)

    route(config, show, validate=refuse)
    assert text in make_app(config).get('/', status=400).text


def test_before_validate_fires_before_the_validator(config):
    seen = []

    def before_validate(request, params):
        seen.append(('before_validate', params.get('n')))
        params['n'] = '5'

    def before_call(request, params):
        seen.append(('before_call', params['n']))

    config.register_hook('before_validate', before_validate, view=show)
    config.register_hook('before_call', before_call, view=show)
    route(config, show, validate=validate_number)
    assert make_app(config).get('/?n=x').json == {'n': 5}
    assert seen == [('before_validate', 'x'), ('before_call', 5)]


def test_error_handler_runs_with_its_own_hooks_and_wrappers(config):
    """TurboGears' test_hook_after_validation_error and
    test_validate_hooked, ported."""

    def handler(request):
        return {
            'errors': request.validation_errors,
            'num': request.environ['test.num'],
        }

    def handler_before_call(request, params):
        request.environ['test.num'] = params.setdefault('num', 5)

    def handler_before_render(request, params, output):
        output['GOT_ERROR'] = 'HOOKED'

    def append_x(next_caller):
        def call(context, request):
            result = next_caller(context, request)
            result['num'] = f'{result["num"]}X'
            return result

        return call

    def view_only(request, params, output):
        output['view_hook'] = True

    after = []
    config.register_hook('before_call', handler_before_call, view=handler)
    config.register_hook('before_render', handler_before_render, view=handler)
    config.register_hook('before_render', view_only, view=show)
    config.register_hook(
        'after_render',
        lambda request, response: after.append('handler'),
        view=handler,
    )
    config.register_hook(
        'after_render',
        lambda request, response: after.append('view'),
        view=show,
    )
    config.add_controller_wrapper(append_x, view=handler)
    route(config, show, validate=validate_number, error_handler=handler)
    app = make_app(config)
    assert app.post('/', {'n': 'NaN'}).json == {
        'errors': {'n': 'not a number'},
        'num': '5X',
        'GOT_ERROR': 'HOOKED',
    }
    assert after == ['handler']
    assert app.post('/', {'n': '3'}).json == {'n': 3, 'view_hook': True}
    assert after == ['handler', 'view']


def test_error_handler_returning_a_response(config):
    from pyramid.response import Response

    def handler(request):
        return Response('custom', status=422)

    config.register_hook('before_render', lambda r, p, o: o.update(x=1))
    route(config, show, validate=validate_number, error_handler=handler)
    assert make_app(config).get('/?n=x', status=422).text == 'custom'


def test_dotted_validator_and_handler(config):
    route(
        config,
        show,
        validate='tests.test_validation.validate_number',
        error_handler='tests.test_validation.handler_for_dotted',
    )
    assert make_app(config).get('/?n=x').json == {'handled': True}


def handler_for_dotted(request):
    return {'handled': True}


def test_error_handler_without_validate_is_an_error(config):
    route(config, show, error_handler=handler_for_dotted)
    with pytest.raises(ConfigurationError, match='needs validate='):
        config.commit()


def test_non_callable_and_unknown_validators(config):
    route(config, show, validate=42)
    with pytest.raises(
        ConfigurationError,
        match='a callable or its dotted name, got 42',
    ):
        config.commit()


def test_unimportable_validator(config):
    route(config, show, validate='tests.nowhere.validate')
    with pytest.raises(ConfigurationError) as e:
        config.commit()
    assert 'validate= of view tests.test_validation.show' in str(e.value)
    assert "cannot import 'tests.nowhere.validate'" in str(e.value)
