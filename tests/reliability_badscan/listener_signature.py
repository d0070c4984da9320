from pyramid_hooks import listener


@listener('before_call')
def one_argument_listener(request):
    """before_call listeners receive (request, params)."""
