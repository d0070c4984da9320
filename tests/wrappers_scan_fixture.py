"""Views decorated with ``@controller_wrapper``, for ``config.scan()`` in
``test_controller_wrappers.py``."""

from pyramid.view import view_config

from pyramid_hooks import controller_wrapper

LOG = []


def tag(label):
    """A controller wrapper that logs around the call."""

    def wrapper(next_caller):
        def call(context, request):
            LOG.append(f'>{label}')
            result = next_caller(context, request)
            LOG.append(f'<{label}')
            return result

        return call

    wrapper.__qualname__ = wrapper.__name__ = f'tag_{label}'
    return wrapper


OUTER = tag('outer')
INNER = tag('inner')
METHOD = tag('method')


@view_config(route_name='scanned', renderer='string')
@controller_wrapper(OUTER)
@controller_wrapper(INNER)
def scanned(request):
    LOG.append('view')
    return 'scanned'


class Views:
    def __init__(self, request):
        self.request = request

    @view_config(route_name='method', renderer='string')
    @controller_wrapper(METHOD)
    def method(self):
        LOG.append('method')
        return 'method'

    @view_config(route_name='other', renderer='string')
    def other(self):
        LOG.append('other')
        return 'other'
