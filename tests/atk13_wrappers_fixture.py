"""A plugin's controller wrapper, for ``tests/atk13_shorthand_fixture.py``
to make a shorthand of."""


def timed(next_caller):
    def call(context, request):
        request.response.headers['X-Timed'] = 'timed'
        return next_caller(context, request)

    return call
