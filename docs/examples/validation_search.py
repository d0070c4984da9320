"""validation.rst: a validator, then an error handler."""

from pyramid.config import Configurator
from pyramid.view import view_config

from pyramid_hooks import Invalid


def validate_search(request, params):
    page = params.get('page', '1')  # a string, a list when repeated
    # its length checked before int(), which refuses over 4,300 digits
    if not (
        isinstance(page, str)
        and page.isascii()
        and page.isdigit()
        and len(page) < 5
    ):
        raise Invalid({'page': 'must be a number'})
    params['page'] = int(page)
    return params


@view_config(route_name='search', renderer='json', validate=validate_search)
def search(request):
    page = request.hook_params['page']  # what the validator returned: an int
    return {'page': page, 'results': []}


def search_form_again(request):
    request.response.status = 422
    return {'errors': request.validation_errors, 'results': []}


@view_config(
    route_name='search_form',
    renderer='json',
    validate=validate_search,
    error_handler=search_form_again,
)
def search_form(request):
    return {'errors': {}, 'results': ['...']}


def make_app(settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_route('search', '/search')
    config.add_route('search_form', '/search/form')
    config.scan(__name__)
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    serve(make_app(), listen='localhost:6543')
