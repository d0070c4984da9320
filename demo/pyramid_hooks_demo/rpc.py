"""``/rpc``: what the demo's JSON-RPC 2.0 endpoint takes, and a form to
try it.

The endpoint itself is :meth:`pyramid_hooks_demo.shop.Shop.price`
(``@route('/rpc/price', type='json')``): it answers ``POST`` only, with a
``Content-Type: application/json`` body, so a browser's address bar cannot
call it; this page shows the call as ``curl`` would send it and sends it
with ``fetch()``.
"""

import json
from html import escape

from pyramid_hooks_demo.shop import MAX_QUANTITY, PRODUCTS

#: The call shown on the page: in the form, and in the ``curl`` line.
EXAMPLE = {
    'jsonrpc': '2.0',
    'id': 1,
    'method': 'price',
    'params': {'product': 'mug', 'quantity': 2},
}

#: Sends the form's text as it is, with the content type the endpoint
#: requires, and shows the status and the reply.
SCRIPT = """
document.getElementById('rpc-form').addEventListener('submit', function (e) {
  e.preventDefault();
  var form = e.target, reply = document.getElementById('rpc-reply');
  reply.dataset.state = 'sending';
  fetch(form.action, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: form.elements['rpc-call'].value
  }).then(function (response) {
    return response.text().then(function (text) {
      reply.textContent = 'HTTP ' + response.status + '\\n' + text;
      reply.dataset.state = 'done';
    });
  }).catch(function (error) {
    reply.textContent = String(error);
    reply.dataset.state = 'failed';
  });
});
"""


def rpc_page(request):
    endpoint = request.application_url + '/rpc/price'
    call = json.dumps(EXAMPLE)
    products = ', '.join(f'<code>{escape(p)}</code>' for p in PRODUCTS)
    curl = f"curl -H 'Content-Type: application/json' -d '{call}' {endpoint}"
    return {
        'title': 'JSON-RPC',
        'body': (
            '<p><code>POST /rpc/price</code> answers JSON-RPC 2.0 '
            '(a method of the <code>Shop</code> controller, '
            "<code>@route('/rpc/price', type='json')</code>). It takes "
            'a <code>POST</code> with <code>Content-Type: '
            'application/json</code> only.</p>'
            '<ul><li>method <code>price</code>, params '
            f'<code>product</code> (one of {products}) and '
            '<code>quantity</code> (a whole number from 1 to '
            f"{MAX_QUANTITY}, default 1): the result is the product's "
            'name, the quantity and the total price;</li>'
            '<li>an unknown or missing parameter is error -32602 (invalid '
            'params); an unknown product or a wrong quantity is error '
            "-32000, the shop's <code>UserError</code> (listed in "
            '<code>hooks.controllers.expose_errors</code>), whose message '
            'is in <code>data.message</code>; any other exception is '
            'error -32603 and says nothing.</li></ul>'
            '<p>With curl:</p>'
            f'<pre id="rpc-curl">{escape(curl)}</pre>'
            '<p>Or here (edit the call and send it):</p>'
            f'<form id="rpc-form" method="post" action="{escape(endpoint)}">'
            '<p><textarea id="rpc-call" name="rpc-call" rows="4" '
            f'cols="70">{escape(call)}</textarea></p>'
            '<p><button id="rpc-send">Send</button></p></form>'
            '<pre id="rpc-reply" data-state="idle"></pre>'
            f'<script>{SCRIPT}</script>'
        ),
    }


def includeme(config):
    config.add_route('rpc', '/rpc')
    config.add_view(
        rpc_page, route_name='rpc', renderer='html', request_method='GET'
    )
