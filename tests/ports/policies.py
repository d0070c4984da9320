"""The security policies the ports' tests sign in with: the client names
its user (and groups) in request headers."""

from pyramid.security import Allowed


class UserHeaderPolicy:
    """Odoo's signed-in user: the ``X-User`` header; every permission
    granted (the ports check rights themselves, as Odoo does)."""

    def authenticated_userid(self, request):
        return request.headers.get('X-User')

    def identity(self, request):
        return self.authenticated_userid(request)

    def permits(self, request, context, permission):
        return True


class GroupsHeaderPolicy:
    """TurboGears' ``request.identity``: the ``X-User`` header names the
    user, ``X-Groups`` its groups."""

    def identity(self, request):
        user = request.headers.get('X-User')
        if user is None:
            return None
        groups = request.headers.get('X-Groups', '').split()
        return {'user': user, 'groups': groups}

    def authenticated_userid(self, request):
        identity = self.identity(request)
        return identity and identity['user']

    def permits(self, request, context, permission):
        return Allowed('ok')
