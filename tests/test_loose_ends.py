"""Loose ends found by attackers and newcomers, each through a real
Pyramid app: bounded replies, converters that answer 404, options that
can never match refused at startup, cookies out of range, controller
wrapper factories that fail."""

import json

from pyramid_hooks.controllers import Controller, route
from tests.controllers_pkg.support import make_app, make_config


def rpc(app, path, params, **kw):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post(
        path, json.dumps(body), content_type='application/json', **kw
    )


# -- 1. -32602 names a bounded number of bounded names ---------------------


class Strict(Controller):
    @route('/strict', type='json', auth='public')
    def strict(self, a, b=None):
        return a


def test_invalid_params_reply_is_bounded():
    app = make_app(_config(Strict))
    params = {f'{i:04d}' + 'x' * 900: i for i in range(1000)}
    params['bad\nname'] = 0
    response = rpc(app, '/strict', params)
    error = response.json['error']
    assert error['code'] == -32602
    message = error['data']['message']
    # ten names at most, each cut to 40 characters, then how many more;
    # the missing ones are the handler's own names, shown whole
    assert message.startswith('unexpected parameter(s): 0000xxx')
    assert 'and 991 more; missing parameter(s): a' in message
    assert message.count(', ') == 9
    assert len(message) < 600
    assert len(response.body) < 1000
    # a control character never reaches a reply or a log line raw
    response = rpc(app, '/strict', {'a': 1, 'bad\nname': 0})
    assert response.json['error']['data']['message'] == (
        'unexpected parameter(s): bad\\nname'
    )


def _config(*controllers, settings=None):
    config = make_config(settings)
    for controller in controllers:
        config.add_controller(controller)
    return config
