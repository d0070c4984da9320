"""The hot paths the benchmarks made faster keep their behaviour.

- How a controller wrapper factory is called, ``wrapper(next_caller)`` or
  ``wrapper(next_caller, info)``, for every kind of callable: plain
  functions are read from their code object (startup, scenario 5),
  everything else goes through ``inspect.signature``; both must agree.
- ``before_render`` runs only for a result that is not (and does not adapt
  to) a response; a plain dict skips the interface lookup (scenarios 2
  and 3), but a response adapter registered for dicts still counts.

Each case drives a real application through WebTest.
"""

import functools

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp


def hello(request):
    return {'hello': 'world'}


def make_app(wrapper):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('hello', '/hello')
    config.add_view(hello, route_name='hello', renderer='json')
    config.add_controller_wrapper(wrapper)
    return TestApp(config.make_wsgi_app())


def tagging(next_caller, info=None):
    """Adds which form it was called in to the view's result."""

    def call(context, request):
        result = next_caller(context, request)
        result['info'] = None if info is None else info.route_name
        return result

    return call


def test_function_with_an_optional_info_gets_info():
    app = make_app(tagging)
    assert app.get('/hello').json == {'hello': 'world', 'info': 'hello'}


def test_function_of_one_argument_gets_next_caller_only():
    def one(next_caller):
        return tagging(next_caller)

    assert make_app(one).get('/hello').json['info'] is None


def test_function_with_varargs_gets_info():
    def star(*args):
        return tagging(*args)

    assert make_app(star).get('/hello').json['info'] == 'hello'


def test_function_with_optional_keyword_only_argument():
    def keyword(next_caller, *, label='x'):
        return tagging(next_caller)

    assert make_app(keyword).get('/hello').json['info'] is None


def test_positional_only_parameters_count():
    def positional(next_caller, info, /):
        return tagging(next_caller, info)

    assert make_app(positional).get('/hello').json['info'] == 'hello'


def test_required_keyword_only_argument_is_refused_at_startup():
    def needs_label(next_caller, *, label):
        return next_caller

    with pytest.raises(ConfigurationError) as e:
        make_app(needs_label)
    assert 'needs_label' in str(e.value)
    assert 'wrapper(next_caller, info)' in str(e.value)


def test_three_required_arguments_are_refused_at_startup():
    def three(next_caller, info, extra):
        return next_caller

    with pytest.raises(ConfigurationError, match='three'):
        make_app(three)


def test_decorated_function_follows_wrapped_signature():
    """``functools.wraps`` sets ``__wrapped__``: the signature of the
    wrapped function decides, as ``inspect.signature`` says."""

    def logged(func):
        @functools.wraps(func)
        def inner(*args, **kw):
            return func(*args, **kw)

        return inner

    @logged
    def one(next_caller):
        return tagging(next_caller)

    assert make_app(one).get('/hello').json['info'] is None


def test_partial_is_read_by_inspect():
    def labelled(next_caller, info, label):
        def call(context, request):
            result = next_caller(context, request)
            result['label'] = label
            result['info'] = info.route_name
            return result

        return call

    app = make_app(functools.partial(labelled, label='partial'))
    assert app.get('/hello').json == {
        'hello': 'world',
        'label': 'partial',
        'info': 'hello',
    }


def test_partial_needing_three_arguments_is_refused():
    def three(next_caller, info, extra, more):
        return next_caller

    with pytest.raises(ConfigurationError):
        make_app(functools.partial(three, more=1))


def test_callable_class_instance():
    class Tagger:
        def __call__(self, next_caller, info):
            return tagging(next_caller, info)

    assert make_app(Tagger()).get('/hello').json['info'] == 'hello'


def test_unreadable_signature_means_next_caller_only():
    """A callable whose signature cannot be read is called with
    ``next_caller`` alone."""

    def opaque(next_caller):
        return tagging(next_caller)

    opaque.__signature__ = 'not a signature'
    assert make_app(opaque).get('/hello').json['info'] is None


class Page(dict):
    """A dict subclass: it goes through the general interface lookup."""


def render_app(result, adapter=None):
    """An app whose JSON view returns *result*; ``before_render`` records
    that it ran in the output."""
    seen = []

    def view(request):
        return result

    def before_render(request, params, output):
        seen.append(type(output).__name__)

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('page', '/page')
    config.add_view(view, route_name='page', renderer='json')
    config.register_hook('before_render', before_render)
    if adapter is not None:
        config.add_response_adapter(adapter, dict)
    return TestApp(config.make_wsgi_app()), seen


def test_before_render_runs_for_a_plain_dict():
    app, seen = render_app({'a': 1})
    assert app.get('/page').json == {'a': 1}
    assert seen == ['dict']


def test_before_render_runs_for_a_dict_subclass():
    app, seen = render_app(Page(a=1))
    assert app.get('/page').json == {'a': 1}
    assert seen == ['Page']


def test_a_dict_adapted_to_a_response_is_a_response():
    """With a response adapter for dicts, a dict result is a response:
    ``before_render`` does not run and the adapter's response is sent."""
    from pyramid.response import Response

    def adapt(value):
        return Response(f'adapted {sorted(value)}')

    app, seen = render_app({'a': 1}, adapter=adapt)
    assert app.get('/page').text == "adapted ['a']"
    assert seen == []


def test_an_adapter_returning_none_is_no_response():
    app, seen = render_app({'a': 1}, adapter=lambda value: None)
    assert app.get('/page').json == {'a': 1}
    assert seen == ['dict']
