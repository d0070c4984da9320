from pyramid_hooks import listener


@listener('send', namespace='nosuchnamespace')
def listener_in_unknown_namespace(message):
    """The namespace is never declared."""
