"""The demo's pages: home, login/logout, and a form whose validation uses
``validate=`` with an ``error_handler=``."""

from html import escape

from pyramid.csrf import get_csrf_token
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.security import forget, remember

from pyramid_hooks import Invalid, before_render
from pyramid_hooks_demo.security import USERS, check_password


def csrf_field(request):
    return (
        '<input type="hidden" name="csrf_token" '
        f'value="{escape(get_csrf_token(request))}">'
    )


def home(request):
    users = ', '.join(
        f'<code>{u}</code> / <code>{p}</code>'
        for u, p in sorted(USERS.items())
    )
    # the controller's routes have generated names: link by path
    shop = request.application_url
    return {
        'title': 'Home',
        'body': (
            '<p>This small Pyramid application uses every feature of '
            '<code>pyramid_hooks</code>. Run <code>phooks '
            'demo/development.ini</code> to see its whole configuration.</p>'
            '<ul>'
            '<li>every response has an <code>X-Request-Id</code> header '
            '(an application wrapper) and an <code>X-View-Time</code> '
            'header (an app-wide controller wrapper);</li>'
            '<li>the header of every page is filled by a '
            '<code>before_render</code> listener;</li>'
            f'<li><a href="{request.route_url("search")}">the search '
            'widget</a> calls its server-side callback (logged-in users '
            'only);</li>'
            f'<li><a href="{request.route_url("signup")}">the form</a> is '
            'checked by a validator with an error handler;</li>'
            '<li>the shop is a controller, <code>Shop</code> '
            f'(<code>shop.py</code>): <a href="{shop}/shop">the shop</a>, '
            f'<a href="{shop}/shop/cart">the cart</a> (logged-in users '
            "only: <code>auth='user'</code>) and a JSON-RPC 2.0 endpoint, "
            '<code>POST /rpc/price</code> (<a href="'
            f'{request.route_url("rpc")}">what it takes, and a form to try '
            'it</a>);</li>'
            '<li>its extension, <code>ShopWithOffers</code> '
            '(<code>shop_offers.py</code>, as another package would write '
            'it), overrides the shop page: it adds the offer of the day and '
            f'serves the page at <a href="{shop}/offers">/offers</a> too.'
            '</li>'
            '</ul>'
            f'<p>Demo users: {users}.</p>'
        ),
    }


def login_form(request, error=''):
    came_from = request.params.get('came_from', request.route_url('home'))
    message = f'<p class="error">{escape(error)}</p>' if error else ''
    return {
        'title': 'Log in',
        'body': (
            f'{message}<form id="login-form" method="post" '
            f'action="{request.route_url("login")}">'
            f'{csrf_field(request)}'
            '<input type="hidden" name="came_from" '
            f'value="{escape(came_from)}">'
            '<p><label>User <input id="login" name="login"></label></p>'
            '<p><label>Password <input id="password" name="password" '
            'type="password"></label></p>'
            '<p><button id="submit-login">Log in</button></p></form>'
        ),
    }


def login(request):
    if request.method != 'POST':
        return login_form(request)
    userid = request.params.get('login', '')
    if not check_password(userid, request.params.get('password', '')):
        return login_form(request, 'Unknown user or wrong password.')
    came_from = request.params.get('came_from') or request.route_url('home')
    if not came_from.startswith(request.application_url + '/'):
        came_from = request.route_url('home')
    return HTTPSeeOther(came_from, headers=remember(request, userid))


def logout(request):
    return HTTPSeeOther(request.route_url('home'), headers=forget(request))


def forbidden(request):
    """Pages that need a login send the browser to the login form."""
    return HTTPSeeOther(
        request.route_url('login', _query={'came_from': request.url})
    )


# -- validation -----------------------------------------------------------


def check_signup(request, params):
    """The ``validate=`` of the signup view: a name and an age 1..150."""
    errors = {}
    name = (params.get('name') or '').strip()
    if not name:
        errors['name'] = 'Please give a name.'
    try:
        age = int(params.get('age', ''))
    except ValueError:
        errors['age'] = 'The age must be a whole number.'
    else:
        if not 0 < age <= 150:
            errors['age'] = 'The age must be between 1 and 150.'
    if errors:
        raise Invalid(errors)
    return {'name': name, 'age': age}


def signup_form(request, values=None, errors=None):
    values = values or {}
    errors = errors or {}

    def field(name, label):
        error = errors.get(name)
        error_html = (
            f' <span class="error" id="error-{name}">{escape(error)}</span>'
            if error
            else ''
        )
        value = escape(str(values.get(name, '')))
        return (
            f'<p><label>{label} <input id="{name}" name="{name}" '
            f'value="{value}"></label>{error_html}</p>'
        )

    return {
        'title': 'Sign up (validation)',
        'body': (
            '<form id="signup-form" method="post" '
            f'action="{request.route_url("signup")}">'
            f'{csrf_field(request)}{field("name", "Name")}'
            f'{field("age", "Age")}<p><button id="submit-signup">Sign up'
            '</button></p></form>'
        ),
    }


def mark_errors(request, params, output):
    """``before_render`` scoped to the error handler: count the errors."""
    output['title'] += f' - {len(request.validation_errors)} error(s)'


@before_render(mark_errors)
def signup_failed(request):
    """The ``error_handler=`` of the signup view: show the form again with
    the errors; it goes through the view's renderer and its own hooks."""
    request.response.status_int = 400
    return signup_form(request, request.params, request.validation_errors)


def signup_page(request):
    return signup_form(request)


def signup(request):
    params = request.hook_params
    return {
        'title': 'Welcome',
        'body': (
            f'<p id="welcome">Welcome, {escape(params["name"])} '
            f'({params["age"]}).</p>'
        ),
    }


def includeme(config):
    config.include('pyramid_hooks_demo.search')
    config.include('pyramid_hooks_demo.rpc')
    config.add_route('home', '/')
    config.add_route('login', '/login')
    config.add_route('logout', '/logout')
    config.add_route('signup', '/signup')
    config.add_view(home, route_name='home', renderer='html')
    config.add_view(login, route_name='login', renderer='html')
    config.add_view(logout, route_name='logout', request_method='POST')
    config.add_view(
        signup_page,
        route_name='signup',
        renderer='html',
        request_method='GET',
    )
    config.add_view(
        signup,
        route_name='signup',
        renderer='html',
        request_method='POST',
        validate=check_signup,
        error_handler=signup_failed,
    )
    config.add_forbidden_view(forbidden)
    config.scan('pyramid_hooks_demo.views')
