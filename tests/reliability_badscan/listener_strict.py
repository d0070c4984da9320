from pyramid_hooks import listener


@listener('undeclared_hook', namespace='strictns')
def listener_of_undeclared_hook(request):
    """strictns only declares 'declared_hook'."""
