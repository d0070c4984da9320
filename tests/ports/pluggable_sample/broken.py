"""A pluggable whose controllers fail to mount."""


def plugme(config, options):
    return {'appid': 'broken'}


def controllers(config):
    raise LookupError('broken.dburl is not set')
