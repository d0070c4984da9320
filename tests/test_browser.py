"""The demo application, served by waitress on a loopback port and driven
by a real headless Chromium (Debian's ``chromium`` and ``chromium-driver``
packages) through selenium.

The browser tests skip, with the reason, only when no Chromium or no
chromedriver is installed; ``.ci/run`` installs both and sets
``PYRAMID_HOOKS_REQUIRE_BROWSER=1``, which turns that skip into a
failure.  The WebTest checks at the top of this file need no browser and
always run.
"""

import configparser
import json
import os
import shlex
import shutil
import sys
import threading

import pytest
import waitress
from webtest import TestApp

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEMO = os.path.join(ROOT, 'demo')
DEMO_INI = os.path.join(DEMO, 'development.ini')
SCREENSHOT = 'demo.png'


def screenshot_path(name, tmp_path):
    """Where a screenshot is saved: ``docs/_static`` (the images the docs
    show) with ``PYRAMID_HOOKS_SCREENSHOTS=1``, else the test's temporary
    directory, so that a test run leaves the source tree as it was."""
    if os.environ.get('PYRAMID_HOOKS_SCREENSHOTS') == '1':
        return os.path.join(ROOT, 'docs', '_static', name)
    return str(tmp_path / name)


#: Debian's paths first, then whatever is on PATH.
CHROMIUM_CANDIDATES = ('/usr/bin/chromium', 'chromium', 'chromium-browser')
CHROMEDRIVER_CANDIDATES = ('/usr/bin/chromedriver', 'chromedriver')

#: Headless, and nothing fetched from the network at run time.
CHROMIUM_ARGUMENTS = (
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--window-size=1000,640',
)

WAIT = 15  # seconds


def demo_settings():
    """The ``[app:main]`` settings of ``demo/development.ini`` (what
    ``pserve`` passes to the app factory)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(DEMO_INI)
    return {
        key: value for key, value in parser['app:main'].items() if key != 'use'
    }


def make_demo():
    if DEMO not in sys.path:
        sys.path.insert(0, DEMO)
    import pyramid_hooks_demo

    return pyramid_hooks_demo.main({}, **demo_settings())


def login(app, user='alice', password='wonderland'):
    form = app.get('/login').forms['login-form']
    form['login'] = user
    form['password'] = password
    return form.submit(status=303).follow()


# -- without a browser ----------------------------------------------------


@pytest.fixture(scope='module')
def demo_app():
    return make_demo()


@pytest.fixture
def app(demo_app):
    return TestApp(demo_app)


def test_demo_pages_carry_render_data_and_timing(app):
    response = app.get('/')
    assert response.content_type == 'text/html'
    assert '<title>Home - pyramid_hooks demo</title>' in response.text
    assert 'Not logged in.' in response.text
    assert response.headers['X-View-Time'].endswith('ms')
    request_id = response.headers['X-Request-Id']
    assert f'<footer>request {request_id}</footer>' in response.text
    assert response.headers['X-Content-Type-Options'] == 'nosniff'


def test_demo_request_id_reaches_error_pages(app):
    response = app.get(
        '/nowhere', headers={'X-Request-Id': 'abc-123'}, status=404
    )
    assert response.headers['X-Request-Id'] == 'abc-123'
    bad = app.get('/', headers={'X-Request-Id': '<script>'})
    assert bad.headers['X-Request-Id'] != '<script>'


def test_demo_login_and_logout(app):
    response = app.get('/login')
    form = response.forms['login-form']
    form['login'] = 'alice'
    form['password'] = 'nope'
    failed = form.submit()
    assert 'Unknown user or wrong password.' in failed.text
    page = login(app)
    assert 'Logged in as <b id="userid">alice</b>.' in page.text
    out = page.forms['logout-form'].submit(status=303).follow()
    assert 'Not logged in.' in out.text


def test_demo_login_refuses_foreign_redirects(app):
    form = app.get('/login?came_from=http://evil.example/').forms['login-form']
    form['login'] = 'bob'
    form['password'] = 'builder'
    response = form.submit(status=303)
    assert response.location == 'http://localhost/'


def test_demo_post_without_csrf_token_is_refused(app):
    app.post('/signup', {'name': 'Ann', 'age': '3'}, status=400)


def test_demo_validation_and_error_handler(app):
    form = app.get('/signup').forms['signup-form']
    form['name'] = ''
    form['age'] = '200'
    failed = form.submit(status=400)
    assert '<h1>Sign up (validation) - 2 error(s)</h1>' in failed.text
    assert 'Please give a name.' in failed.text
    assert 'The age must be between 1 and 150.' in failed.text
    form = failed.forms['signup-form']
    form['name'] = 'Ann'
    form['age'] = 'x'
    assert 'whole number' in form.submit(status=400).text
    form['age'] = '33'
    welcome = form.submit()
    assert '<p id="welcome">Welcome, Ann (33).</p>' in welcome.text


def test_demo_widget_callbacks_and_their_authorization(app):
    refused = app.get('/_widgets/search/results?q=tm', status=403)
    assert refused.json == {'error': 'log in to use this widget'}
    assert app.get('/_widgets/search/stats').json == {'items': 13}
    login(app)
    found = app.get('/_widgets/search/results?q=tm')
    assert found.json == {
        'query': 'tm',
        'results': [
            {
                'name': 'pyramid_tm',
                'description': 'ties a transaction to each request',
            }
        ],
        'user': 'alice',
    }
    assert 'X-Request-Id' in found.headers
    app.post('/_widgets/search/results', status=405)


def test_demo_controller_and_its_extension(app):
    shop = app.get('/shop')
    assert 'Today only: 10% off every mug.' in shop.text
    assert '<li>Pyramid mug: 4.50</li>' in shop.text
    assert shop.headers['X-View-Time'].endswith('ms')
    assert 'Today only: 10% off every mug.' in app.get('/offers').text
    app.post('/shop', status=405)
    to_login = app.get('/shop/cart', status=303)
    assert to_login.location.startswith('http://localhost/login?came_from=')
    login(app, 'bob', 'builder')
    assert 'bob, your cart is empty.' in app.get('/shop/cart').text


def test_demo_jsonrpc(app):
    call = {
        'jsonrpc': '2.0',
        'id': 7,
        'method': 'price',
        'params': {'product': 'mug', 'quantity': 2},
    }
    reply = app.post_json('/rpc/price', call)
    assert reply.json == {
        'jsonrpc': '2.0',
        'id': 7,
        'result': {'product': 'Pyramid mug', 'quantity': 2, 'total': 9.0},
    }
    call['params'] = {'product': 'mug', 'colour': 'red'}
    invalid = app.post_json('/rpc/price', call).json
    assert invalid['error']['code'] == -32602


def test_demo_home_links_the_shop_its_extension_and_jsonrpc(app):
    home = app.get('/')
    links = {a['href'] for a in home.html.find_all('a')}
    for path in ('/shop', '/offers', '/shop/cart', '/rpc'):
        assert f'http://localhost{path}' in links, path
    # every page linked from home opens (the cart asks visitors to log in)
    for link in sorted(links):
        status = 303 if link.endswith('/shop/cart') else 200
        app.get(link, status=status)
    # what the extension adds is said where it shows
    offers = app.get('/offers').html
    assert 'ShopWithOffers' in offers.find(id='extension').text
    assert offers.find(id='offer') is not None


def test_demo_jsonrpc_page_example_works_as_shown(app):
    """``GET /rpc`` documents the endpoint; the call it shows, sent as its
    ``curl`` line sends it, gets the result it describes."""
    page = app.get('/rpc').html
    call = page.find(id='rpc-call').text
    form = page.find(id='rpc-form')
    assert form['action'] == 'http://localhost/rpc/price'
    curl = shlex.split(page.find(id='rpc-curl').text)
    assert curl == [
        'curl',
        '-H',
        'Content-Type: application/json',
        '-d',
        call,
        form['action'],
    ]
    content_type = curl[2].split(': ', 1)[1]
    reply = app.post(curl[5], curl[4], content_type=content_type)
    assert reply.json == {
        'jsonrpc': '2.0',
        'id': 1,
        'result': {'product': 'Pyramid mug', 'quantity': 2, 'total': 9.0},
    }
    # the errors the page describes
    calls = json.loads(call)

    def error(**params):
        calls['params'] = params
        return app.post_json(curl[5], calls).json['error']

    assert error(quantity=2)['code'] == -32602
    assert error(product='mug', colour='red')['code'] == -32602
    assert error(product='teapot')['data']['message'] == (
        "no product 'teapot'"
    )
    for quantity in (0, 1001, 'x', True, 1.5):
        assert error(product='mug', quantity=quantity)['data'] == {
            'name': 'pyramid_hooks_demo.shop.UserError',
            'message': 'the quantity must be a whole number from 1 to 1000',
        }
    # the endpoint is not a page: GET is refused, and so is a body
    # without the JSON content type
    app.get('/rpc/price', status=405)
    refused = app.post(
        curl[5], curl[4], content_type='text/plain', status=415
    ).json
    assert refused['error']['code'] == -32600


# -- in a real browser ----------------------------------------------------


def find_executable(candidates):
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope='module')
def server():
    """The demo under waitress on a free loopback port."""
    srv = waitress.create_server(
        make_demo(), host='127.0.0.1', port=0, threads=4
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        yield f'http://127.0.0.1:{srv.effective_port}'
    finally:
        srv.close()
        thread.join(timeout=WAIT)


@pytest.fixture(scope='module')
def browser(tmp_path_factory):
    chromium = find_executable(CHROMIUM_CANDIDATES)
    chromedriver = find_executable(CHROMEDRIVER_CANDIDATES)
    if chromium is None or chromedriver is None:
        reason = (
            'no Chromium browser or chromedriver installed (Debian: '
            'apt-get install chromium chromium-driver)'
        )
        if os.environ.get('PYRAMID_HOOKS_REQUIRE_BROWSER'):
            # CI sets this: there, a missing browser is a failure
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    # both paths given: Selenium Manager never looks for (or downloads) a
    # browser or a driver
    options.binary_location = chromium
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    profile = tmp_path_factory.mktemp('chromium-profile')
    options.add_argument(f'--user-data-dir={profile}')
    driver = webdriver.Chrome(
        service=Service(executable_path=chromedriver), options=options
    )
    driver.set_page_load_timeout(WAIT * 2)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser, server):
    """The browser with no cookies, and a way to open demo pages."""
    browser.get(server + '/login')
    browser.delete_all_cookies()

    def open_page(path):
        browser.get(server + path)
        return browser

    return open_page


#: What Chromium says when a command reaches an element of a page that a
#: navigation is replacing at that moment.  It is an "unknown error", not
#: a stale element reference, so it has to be recognised by its message.
PAGE_BEING_REPLACED = 'does not belong to the document'


def wait_for(driver, condition, message):
    """Wait until *condition* holds, looking again while the page it looks
    at is being replaced (after a click that navigates, the old page can
    still answer the first command and be gone by the second)."""
    from selenium.common.exceptions import (
        NoSuchElementException,
        StaleElementReferenceException,
        WebDriverException,
    )
    from selenium.webdriver.support.ui import WebDriverWait

    def condition_on_a_settled_page(driver):
        try:
            return condition(driver)
        except (NoSuchElementException, StaleElementReferenceException):
            return False
        except WebDriverException as error:
            if PAGE_BEING_REPLACED in (error.msg or ''):
                return False
            raise

    return WebDriverWait(driver, WAIT).until(
        condition_on_a_settled_page, message
    )


def browser_login(page, user='alice', password='wonderland'):
    from selenium.webdriver.common.by import By

    driver = page('/login')
    driver.find_element(By.ID, 'login').send_keys(user)
    driver.find_element(By.ID, 'password').send_keys(password)
    driver.find_element(By.ID, 'submit-login').click()
    wait_for(
        driver,
        lambda d: d.find_elements(By.ID, 'userid'),
        'the page after the login shows who is logged in',
    )
    assert driver.find_element(By.ID, 'userid').text == user
    return driver


def test_browser_login(page):
    from selenium.webdriver.common.by import By

    driver = browser_login(page, 'bob', 'builder')
    assert driver.title == 'Home - pyramid_hooks demo'
    driver.find_element(By.ID, 'logout').click()
    wait_for(
        driver,
        lambda d: 'Not logged in.' in d.find_element(By.ID, 'user').text,
        'logged out',
    )


def test_browser_validation(page):
    from selenium.webdriver.common.by import By

    driver = page('/signup')
    driver.find_element(By.ID, 'age').send_keys('x')
    driver.find_element(By.ID, 'submit-signup').click()
    wait_for(
        driver,
        lambda d: d.find_elements(By.ID, 'error-age'),
        'the error handler shows the errors',
    )
    assert driver.find_element(By.ID, 'error-name').text == (
        'Please give a name.'
    )
    driver.find_element(By.ID, 'name').send_keys('Ann')
    age = driver.find_element(By.ID, 'age')
    age.clear()
    age.send_keys('33')
    driver.find_element(By.ID, 'submit-signup').click()
    wait_for(
        driver,
        lambda d: d.find_elements(By.ID, 'welcome'),
        'the valid form is accepted',
    )
    assert driver.find_element(By.ID, 'welcome').text == ('Welcome, Ann (33).')


def type_search(driver, text):
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, 'q')
    box.clear()
    box.send_keys(text)


def search_state(driver):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, 'status').get_attribute('data-state')


def test_browser_search_refused_when_logged_out(page):
    from selenium.webdriver.common.by import By

    driver = page('/search')
    assert 'Not logged in.' in driver.find_element(By.ID, 'user').text
    type_search(driver, 'tm')
    wait_for(
        driver,
        lambda d: search_state(d) == 'refused',
        'the callback refuses a visitor who is not logged in',
    )
    status = driver.find_element(By.ID, 'status').text
    assert 'HTTP 403' in status
    assert driver.find_elements(By.CSS_SELECTOR, '#results li') == []
    # the refusal is the authorization handler's own response, seen by the
    # page's own fetch()
    body = driver.execute_async_script(
        'var done = arguments[0];'
        "fetch(document.getElementById('q').dataset.callback + '?q=tm')"
        '.then(function (r) { return r.text().then(function (t) {'
        "done(r.status + ' ' + t); }); });"
    )
    assert body == '403 {"error":"log in to use this widget"}'


def test_browser_search_through_the_callback(page, tmp_path):
    from selenium.webdriver.common.by import By

    browser_login(page)
    driver = page('/search')
    type_search(driver, 'pyramid_')
    wait_for(
        driver,
        lambda d: (
            search_state(d) == 'done'
            and len(d.find_elements(By.CSS_SELECTOR, '#results li')) == 8
        ),
        'the results of the callback are shown',
    )
    names = [
        li.text.split(':')[0]
        for li in driver.find_elements(By.CSS_SELECTOR, '#results li')
    ]
    assert names == [
        'pyramid_debugtoolbar',
        'pyramid_exclog',
        'pyramid_hooks',
        'pyramid_jinja2',
        'pyramid_retry',
        'pyramid_rpc',
        'pyramid_services',
        'pyramid_tm',
    ]
    # the callback saw the logged-in user (its JSON says who asked)
    assert driver.find_element(By.ID, 'status').text == (
        '8 result(s) for "pyramid_", found by the callback for alice.'
    )
    screenshot = screenshot_path(SCREENSHOT, tmp_path)
    assert driver.save_screenshot(screenshot)
    with open(screenshot, 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    type_search(driver, 'transaction')
    wait_for(
        driver,
        lambda d: (
            search_state(d) == 'done'
            and [
                li.text
                for li in d.find_elements(By.CSS_SELECTOR, '#results li')
            ]
            == ['pyramid_tm: ties a transaction to each request']
        ),
        'a new query replaces the results',
    )


def test_browser_jsonrpc_try_it_form(page):
    from selenium.webdriver.common.by import By

    driver = page('/rpc')
    driver.find_element(By.ID, 'rpc-send').click()
    wait_for(
        driver,
        lambda d: (
            d.find_element(By.ID, 'rpc-reply').get_attribute('data-state')
            == 'done'
        ),
        'the form posts the call and shows the reply',
    )
    status, body = driver.find_element(By.ID, 'rpc-reply').text.split('\n', 1)
    assert status == 'HTTP 200'
    assert json.loads(body)['result'] == {
        'product': 'Pyramid mug',
        'quantity': 2,
        'total': 9.0,
    }


TRACE_SCREENSHOT = 'trace_panel.png'


def test_browser_debug_toolbar_hooks_panel(page, tmp_path):
    """The demo's debug toolbar (development.ini) has the "Hooks" panel:
    it lists what pyramid_hooks ran for the home page, in order, each step
    linked to the application's configuration entry."""
    from selenium.webdriver.common.by import By

    driver = page('/')
    handle = driver.find_element(By.ID, 'pShowToolBarButton')
    driver.get(handle.get_attribute('href'))  # the toolbar of that request
    wait_for(
        driver,
        lambda d: d.find_element(By.ID, 'pDebugPanel-pyramid_hooks'),
        'the toolbar shows the Hooks tab',
    )
    driver.set_window_size(1280, 800)
    try:
        check_hooks_panel(driver, screenshot_path(TRACE_SCREENSHOT, tmp_path))
    finally:
        driver.set_window_size(1000, 640)  # CHROMIUM_ARGUMENTS' size


def check_hooks_panel(driver, screenshot):
    from selenium.webdriver.common.by import By

    driver.find_element(
        By.CSS_SELECTOR, '#pDebugPanel-pyramid_hooks a'
    ).click()
    content = driver.find_element(By.ID, 'pDebugPanel-pyramid_hooks-content')
    wait_for(driver, lambda d: content.is_displayed(), 'the Hooks panel opens')
    steps = [
        [cell.text for cell in row.find_elements(By.TAG_NAME, 'td')]
        for row in content.find_elements(
            By.CSS_SELECTOR, 'tr.pyramid-hooks-step'
        )
    ]
    assert [(step[1], step[2], step[6]) for step in steps] == [
        (
            'application wrapper',
            'pyramid_hooks_demo.wrappers.SecurityHeaders',
            'ok 200',
        ),
        (
            'application wrapper',
            'pyramid_hooks_demo.wrappers.RequestId',
            'ok 200',
        ),
        ('controller wrapper', 'pyramid_hooks_demo.listeners.timing', 'ok'),
        (
            'listener',
            'pyramid_hooks_demo.listeners.fill_render_data',
            'ok',
        ),
    ]
    assert steps[1][4] == 'setting hooks.application_wrappers'
    # a step's link leads to its entry in the configuration table
    link = content.find_element(
        By.LINK_TEXT, 'pyramid_hooks_demo.listeners.timing'
    )
    entry = driver.find_element(By.ID, link.get_attribute('hash')[1:])
    assert 'pyramid_hooks_demo.listeners.timing' in entry.text
    assert driver.save_screenshot(screenshot)
