"""A pluggable the sample plugs itself (as tgapp-userprofile plugs
resetpassword), with a controller and no helpers."""

from pyramid.response import Response


def plugme(config, options):
    return {'appid': 'dep'}


def hello(request):
    return Response('dependency')


def includeme(config):
    config.add_route('dep.index', '/')
    config.add_view(hello, route_name='dep.index')
