from pyramid.view import view_config

from pyramid_hooks import after_render

NOT_A_LISTENER = 'not a dotted name'


@view_config(route_name='home', renderer='json')
@after_render(NOT_A_LISTENER)
def rendered_view(request):
    return {}
