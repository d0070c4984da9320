"""A module whose own import fails (tests/test_shared.py): the resolver
must say so rather than blame the dotted name."""

import pyramid_hooks_no_such_dependency  # noqa: F401


def listener(request, params, output):  # pragma: no cover - never imported
    pass
