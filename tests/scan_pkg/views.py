"""Views decorated with pyramid_hooks' venusian decorators."""

from pyramid.view import view_config

from pyramid_hooks import (
    after_render,
    before_call,
    before_render,
    before_validate,
    controller_wrapper,
    listener,
)


def note(label):
    def hook(request, *args):
        request.environ.setdefault('test.calls', []).append(label)

    return hook


def tagging_wrapper(next_caller):
    def call(context, request):
        result = next_caller(context, request)
        result['wrapped'] = True
        return result

    return call


@view_config(route_name='decorated', renderer='json')
@after_render(note('after_render'))
@before_render(lambda request, params, output: output.update(rendered=1))
@before_call(note('before_call'))
@before_validate(note('before_validate:1'))
@before_validate(note('before_validate:2'))
@controller_wrapper(tagging_wrapper)
def decorated(request):
    return {'calls': list(request.environ.get('test.calls', []))}


@view_config(route_name='plain', renderer='json')
def plain(request):
    return {'calls': list(request.environ.get('test.calls', []))}


class Things:
    def __init__(self, request):
        self.request = request

    @view_config(route_name='things', renderer='json')
    @before_call(note('method before_call'))
    def show(self):
        return {'calls': list(self.request.environ.get('test.calls', []))}


@listener('custom')
def custom_listener(seen):
    seen.append('scanned listener')


@listener('sent', namespace='mailer')
def mailer_listener(seen):
    seen.append('scanned mailer listener')
