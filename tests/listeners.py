"""Listeners and includes used by the hook tests (by dotted name)."""


def append_a(seen):
    seen.append('a')


def append_b(seen):
    seen.append('b')


def record_call(request, params):
    request.environ.setdefault('test.calls', []).append('record_call')


def include_append_a(config):
    config.register_hook('custom', append_a)


def include_append_b(config):
    config.register_hook('custom', append_b)


def wrapper(next_caller):
    return next_caller
