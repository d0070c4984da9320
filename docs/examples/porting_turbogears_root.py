"""porting_turbogears.rst, "A RootController": ``@expose('json')``,
``@validate`` with an error handler, ``_before`` and ``_after``."""

import time

from pyramid.config import Configurator

from pyramid_hooks import Controller, Invalid, route


def check_age(request, params):
    """``@validate({'age': validators.Int(not_empty=True)})``"""
    age = params.get('age', '')  # a string, a list when repeated
    # its length checked before int(), which refuses over 4,300 digits
    if not (
        isinstance(age, str)
        and age.isascii()
        and age.isdigit()
        and len(age) < 4
    ):
        raise Invalid({'age': 'Please enter an integer value'})
    params['age'] = int(age)
    return params


class RootController(Controller):
    @route('/', auth='public', renderer='json')
    def index(self):
        return {'page': 'index'}

    def age_form(self):  # not routed: the error handler only
        self.request.response.status = 422
        return {'errors': self.request.validation_errors}

    @route(
        '/save',
        auth='public',
        renderer='json',
        validate=check_age,
        error_handler=age_form,
    )
    def save(self, age):  # the validated int, as TurboGears passes it
        return {'saved': age}


def before(request, params):
    """``RootController._before``: before validation, as in TurboGears."""
    request.started = time.perf_counter()


def after(request, response):
    """``RootController._after``: once the response exists."""
    elapsed = time.perf_counter() - request.started
    response.headers['X-Elapsed'] = f'{elapsed:.4f}'


def includeme(config):
    config.include('pyramid_hooks')
    config.register_hook('before_validate', before, view=RootController)
    config.register_hook('after_render', after, view=RootController)
    config.add_controller(RootController)


def make_app(settings=None):
    config = Configurator(settings=settings)
    config.include(includeme)
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    serve(make_app(), listen='localhost:6543')
