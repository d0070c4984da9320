"""A pluggable whose ``plugme`` gives no appid."""


def plugme(config, options):
    return {}
