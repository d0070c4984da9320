"""The eight scenarios of issue 7.

Each scenario is a function ``scenario(settings) -> [row, ...]``.  A row is
a dict (see :func:`row`) holding the candidate's and the baseline's
repetitions, their medians, the ratio of the medians and the target.  A
scenario whose feature has not landed raises
:class:`~benchmarks.harness.NotAvailable`; the runner reports it as "not
available yet".

Every scenario first checks that candidate and baseline give the same
answer and that every listener and wrapper really ran, so a fast result
cannot come from a broken application.
"""

import json
import statistics
import subprocess
import sys
import types

from pyramid.config import Configurator

from benchmarks import apps
from benchmarks.harness import (
    NotAvailable,
    batch_timer,
    compare,
    stmt_timer,
    summary,
    wsgi_call,
)

SCENARIOS = {}


def scenario(key, title):
    def register(func):
        func.key = key
        func.title = title
        SCENARIOS[key] = func
        return func

    return register


def row(
    key,
    title,
    candidate,
    baseline,
    cand_runs,
    base_runs,
    unit,
    target=None,
    direction='<=',
    note='',
    number=None,
):
    """One line of the result table; timings in seconds per operation, or
    requests per second for throughput (*unit* ``'req/s'``).

    The ratio is the median of the per-round ratios: round *i* measured
    the candidate and the baseline back to back, so each pair saw the same
    state of a shared machine.  The ratio of the medians and the ratio of
    the best runs (minimum time, maximum throughput) are kept too.
    """
    cand = summary(cand_runs)
    base = summary(base_runs)
    if len(cand_runs) == len(base_runs):
        ratio = statistics.median(
            c / b for c, b in zip(cand_runs, base_runs, strict=True)
        )
    else:
        ratio = cand['median'] / base['median']
    best = max if unit == 'req/s' else min
    met = None
    if target is not None:
        met = ratio <= target if direction == '<=' else ratio >= target
    return {
        'id': key,
        'title': title,
        'status': 'ok',
        'candidate': candidate,
        'baseline': baseline,
        'unit': unit,
        'candidate_stats': cand,
        'baseline_stats': base,
        'ratio': ratio,
        'ratio_of_medians': cand['median'] / base['median'],
        'ratio_of_best': best(cand_runs) / best(base_runs),
        'target': target,
        'direction': direction,
        'met': met,
        'number': number,
        'note': note,
    }


def not_available(key, title, reason):
    return {
        'id': key,
        'title': title,
        'status': 'not available yet',
        'reason': str(reason),
    }


def check_same(label, calls, expect_calls=None):
    """Probe every app of *calls* (name -> wsgi call): same status and
    body, and every counter of *expect_calls* bumped exactly once."""
    answers = {}
    for name, call in calls.items():
        apps.CALLS.clear()
        status, _headers, body = call.probe()
        if not status.startswith('200'):
            raise AssertionError(
                f'{label}: {name} answered {status}: {body[:300]!r}'
            )
        for counter in (expect_calls or {}).get(name, ()):
            if apps.CALLS[counter] != 1:
                raise AssertionError(
                    f'{label}: {name} ran {counter} '
                    f'{apps.CALLS[counter]} times, expected once'
                )
        answers[name] = json.loads(body)
    first, *others = answers.values()
    for name, answer in zip(list(answers)[1:], others, strict=True):
        if answer != first:
            raise AssertionError(
                f'{label}: {name} answered {answer!r}, not {first!r}'
            )
    return first


# -- 1 ------------------------------------------------------------------


@scenario('1', 'include, nothing registered, vs bare Pyramid (JSON view)')
def include_overhead(settings):
    calls = {
        'bare': wsgi_call(apps.bare_app(), '/data'),
        'include': wsgi_call(apps.include_app(), '/data'),
        'include, no request methods': wsgi_call(
            apps.include_without_request_methods_app(), '/data'
        ),
        'bare + 2 request methods': wsgi_call(
            apps.request_methods_only_app(), '/data'
        ),
    }
    check_same('scenario 1', calls)
    number, runs = compare(
        {name: batch_timer(call) for name, call in calls.items()}, settings
    )
    base = runs['bare']
    extension = _request_extension_cost(settings)
    return [
        row(
            '1',
            include_overhead.title,
            'include',
            'bare',
            runs['include'],
            base,
            's/req',
            1.02,
            number=number,
            note='request.hooks and request.make_response are request '
            'methods (config.add_request_method)',
        ),
        row(
            '1b',
            'include with its two request methods taken out vs bare',
            'include, no request methods',
            'bare',
            runs['include, no request methods'],
            base,
            's/req',
            number=number,
            note='what the include costs apart from request.hooks and '
            'request.make_response',
        ),
        row(
            '1c',
            'bare + the two request methods (hooks, make_response) vs bare',
            'bare + 2 request methods',
            'bare',
            runs['bare + 2 request methods'],
            base,
            's/req',
            number=number,
            note='the two config.add_request_method calls alone: the '
            'router then calls apply_request_extensions per request',
        ),
        row(
            '1d',
            'apply_request_extensions for the two request methods, timed '
            'alone, vs a bare request',
            'bare + apply_request_extensions',
            'bare',
            [b + c for b, c in zip(base, extension, strict=True)],
            base,
            's/req',
            number=number,
            note='candidate = the bare request plus the measured cost of '
            'the apply_request_extensions call the router makes for '
            'request.hooks and request.make_response; ratio - 1 is its share',
        ),
    ]


def _request_extension_cost(settings):
    """Seconds per request that Pyramid's router spends in
    ``apply_request_extensions`` for the request methods the include adds
    (``hooks`` and ``make_response``): the call timed alone on a prepared
    request, minus an empty statement."""
    from pyramid.interfaces import IRequestExtensions
    from pyramid.request import Request, apply_request_extensions

    config = Configurator()
    config.include('pyramid_hooks')
    config.commit()
    request = Request.blank('/data')
    request.registry = config.registry
    namespace = {
        'apply': apply_request_extensions,
        'request': request,
        'extensions': config.registry.getUtility(IRequestExtensions),
    }
    _, runs = compare(
        {
            'nothing': stmt_timer('pass', namespace),
            'apply': stmt_timer(
                'apply(request, extensions=extensions)', namespace
            ),
        },
        settings,
    )
    return [
        max(0.0, a - b)
        for a, b in zip(runs['apply'], runs['nothing'], strict=True)
    ]


# -- 2 and 3 ------------------------------------------------------------

FULL_CALLS = (
    'before_call',
    'before_render',
    'after_render',
    'controller_wrapper',
)


def _stack_rows(settings, key, title, application_wrapper):
    full = wsgi_call(apps.full_stack_app(application_wrapper), '/data')
    hand = wsgi_call(apps.hand_written_app(application_wrapper), '/data')
    expected = FULL_CALLS + (
        ('application_wrapper',) if application_wrapper else ()
    )
    document = check_same(
        f'scenario {key}',
        {'hand-written': hand, 'pyramid_hooks': full},
        {'hand-written': expected, 'pyramid_hooks': expected},
    )
    assert document.get('hooked') is True, document
    number, runs = compare(
        {
            'hand-written': batch_timer(hand),
            'pyramid_hooks': batch_timer(full),
        },
        settings,
    )
    return row(
        key,
        title,
        'pyramid_hooks full stack',
        'hand-written tween + deriver',
        runs['pyramid_hooks'],
        runs['hand-written'],
        's/req',
        1.10,
        number=number,
    )


@scenario('2', 'full stack vs hand-written tween + view deriver')
def full_stack_vs_hand_written(settings):
    rows = [
        _stack_rows(
            settings,
            '2a',
            'full stack without application wrapper vs hand-written deriver '
            '+ tween',
            False,
        )
    ]
    try:
        rows.append(
            _stack_rows(settings, '2', full_stack_vs_hand_written.title, True)
        )
    except NotAvailable as e:
        rows.append(not_available('2', full_stack_vs_hand_written.title, e))
    return rows


@scenario('2t', 'full stack with hooks.trace on vs tracing off')
def tracing_cost(settings):
    """What recording the trace costs per request: scenario 2's full
    stack (five steps per request) with and without ``hooks.trace``."""
    expected = (*FULL_CALLS, 'application_wrapper')
    off = wsgi_call(apps.full_stack_app(), '/data')
    on = wsgi_call(apps.full_stack_app(trace=True), '/data')
    check_same(
        'scenario 2t',
        {'tracing off': off, 'tracing on': on},
        {'tracing off': expected, 'tracing on': expected},
    )
    number, runs = compare(
        {'tracing off': batch_timer(off), 'tracing on': batch_timer(on)},
        settings,
    )
    return [
        row(
            '2t',
            tracing_cost.title,
            'full stack, hooks.trace = true',
            'full stack, tracing off',
            runs['tracing on'],
            runs['tracing off'],
            's/req',
            number=number,
            note='a development aid: no target',
        )
    ]


class TurboGearsWorker:
    """The TurboGears application in its own process (its state is
    global); ``measure(number)`` asks it for one timed batch."""

    def __init__(self, application_wrapper=True):
        argv = [sys.executable, '-m', 'benchmarks.tg_worker']
        if not application_wrapper:
            argv.append('--no-application-wrapper')
        self.process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        line = self.process.stdout.readline()
        if not line:
            self.close()
            raise NotAvailable('the TurboGears worker did not start')
        self.hello = json.loads(line)
        if 'error' in self.hello:
            self.close()
            raise NotAvailable(self.hello['error'])

    def measure(self, number):
        self.process.stdin.write(json.dumps({'number': number}) + '\n')
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())['seconds']

    def close(self):
        self.process.stdin.close()
        self.process.wait(30)


def _turbogears_row(settings, key, title, application_wrapper):
    full = wsgi_call(apps.full_stack_app(application_wrapper), '/data')
    expected = FULL_CALLS + (
        ('application_wrapper',) if application_wrapper else ()
    )
    document = check_same(
        f'scenario {key}', {'pyramid_hooks': full}, {'pyramid_hooks': expected}
    )
    worker = TurboGearsWorker(application_wrapper)
    try:
        probe = worker.hello['probe']
        tg_expected = dict.fromkeys(expected, 1)
        if probe['body'] != document or probe['calls'] != tg_expected:
            raise AssertionError(
                f'scenario {key}: TurboGears answered {probe!r}, '
                f'expected {document!r} and calls {tg_expected!r}'
            )
        number, runs = compare(
            {'turbogears': worker.measure, 'pyramid_hooks': batch_timer(full)},
            settings,
        )
    finally:
        worker.close()
    return row(
        key,
        title,
        'pyramid_hooks full stack',
        f'TurboGears {worker.hello["version"]}',
        runs['pyramid_hooks'],
        runs['turbogears'],
        's/req',
        0.5,
        number=number,
    )


@scenario('3', 'full stack vs TurboGears 2.5 (same wrappers and hooks)')
def full_stack_vs_turbogears(settings):
    rows = [
        _turbogears_row(
            settings,
            '3a',
            'full stack without application wrapper vs TurboGears 2.5',
            False,
        )
    ]
    try:
        rows.append(
            _turbogears_row(
                settings, '3', full_stack_vs_turbogears.title, True
            )
        )
    except NotAvailable as e:
        rows.append(not_available('3', full_stack_vs_turbogears.title, e))
    return rows


@scenario('3b', 'breakdown: each piece of the full stack alone vs include')
def breakdown(settings):
    """Where the full stack's time goes: each piece alone, measured
    against the include with nothing registered (no target)."""
    pieces = ('controller_wrapper', *FULL_CALLS[:3], 'application_wrapper')
    calls = {'include': wsgi_call(apps.include_app(), '/data')}
    for piece in pieces:
        calls[piece] = wsgi_call(apps.partial_stack_app((piece,)), '/data')
    calls['before_call, params_factory={}'] = wsgi_call(
        apps.partial_stack_app(('before_call',), lambda request: {}), '/data'
    )
    calls['full stack'] = wsgi_call(apps.full_stack_app(True), '/data')
    number, runs = compare(
        {name: batch_timer(call) for name, call in calls.items()}, settings
    )
    rows = []
    for name in list(calls)[1:]:
        note = ''
        if name.startswith('before_call, '):
            note = (
                'before_call with the params dict replaced by an empty '
                'one: the rest of before_call is the cost of '
                'pyramid_hooks.params.request_params'
            )
        rows.append(
            row(
                f'3b-{len(rows) + 1}',
                f'breakdown: {name} vs include',
                name,
                'include',
                runs[name],
                runs['include'],
                's/req',
                number=number,
                note=note,
            )
        )
    return rows


# -- 4 ------------------------------------------------------------------


def _listener_calls(run, listeners):
    """How many times *run()* called one of *listeners*, counted with a
    profile hook, so the timed listeners stay no-ops."""
    codes = {listener.__code__ for listener in listeners}
    calls = []

    def profile(frame, event, arg):
        if event == 'call' and frame.f_code in codes:
            calls.append(frame.f_code)

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return len(calls)


def _turbogears_notify(listeners):
    """``tg.hooks.notify`` with *listeners* registered app-wide for hook
    ``'three'`` (TurboGears' hooks are process-global: this process
    measures nothing else of TurboGears)."""
    try:
        from tg import hooks
        from tg.configuration.milestones import config_ready
    except ImportError:
        raise NotAvailable('TurboGears2 is not installed') from None
    for listener in listeners:
        hooks.register('three', listener)
    # what TurboGears' make_wsgi_app does: app-wide hooks are entered at
    # this milestone
    config_ready.reach()
    return (
        {'tg_notify': hooks.notify},
        "tg_notify('three', args=(request, params))",
    )


def _pluggy_hook(listeners):
    """A pluggy hook with one implementation per listener."""
    try:
        import pluggy
    except ImportError:
        raise NotAvailable('pluggy is not installed') from None
    hookspec = pluggy.HookspecMarker('bench')
    hookimpl = pluggy.HookimplMarker('bench')

    class Spec:
        @hookspec
        def three(self, request, params):
            pass

    manager = pluggy.PluginManager('bench')
    manager.add_hookspecs(Spec)
    for i, listener in enumerate(listeners):
        manager.register(
            types.SimpleNamespace(three=hookimpl(listener)), name=f'p{i}'
        )
    return (
        {'pluggy_three': manager.hook.three},
        'pluggy_three(request=request, params=params)',
    )


def _blinker_signal(listeners):
    """A blinker signal with one receiver per listener (the request is
    the sender)."""
    try:
        import blinker
    except ImportError:
        raise NotAvailable('blinker is not installed') from None
    signal = blinker.Signal()
    for listener in listeners:
        signal.connect(listener)
    return (
        {'blinker_send': signal.send},
        'blinker_send(request, params=params)',
    )


#: scenario 4's competitors: label -> row id, builder
NOTIFY_COMPETITORS = {
    'TurboGears 2.5 tg.hooks.notify': ('4d', _turbogears_notify),
    'pluggy hook': ('4e', _pluggy_hook),
    'blinker Signal.send': ('4f', _blinker_signal),
}


@scenario('4', 'notify vs TurboGears, pluggy, blinker and a plain loop')
def notify_cost(settings):
    """The same three no-op listeners ``(request, params)`` called through
    ``hooks.notify``, TurboGears' ``tg.hooks.notify``, a pluggy hook, a
    blinker signal and a plain loop, side by side."""

    def l1(request, params):
        pass

    def l2(request, params):
        pass

    def l3(request, params):
        pass

    listeners = (l1, l2, l3)
    config = Configurator()
    config.include('pyramid_hooks')
    for listener in listeners:
        config.register_hook('three', listener)
    config.commit()
    from pyramid_hooks import get_hooks

    hooks = get_hooks(config.registry)
    namespace = {
        'notify': hooks.notify,
        'ns_notify': hooks.default.notify,
        'listeners': listeners,
        'request': object(),
        'params': {},
    }
    statements = {
        'plain loop': 'for listener in listeners: listener(request, params)',
        'notify, 3 listeners': "notify('three', request, params)",
        'notify, no listener': "notify('none', request, params)",
        'namespace.notify, 3 listeners': "ns_notify('three', request, params)",
    }
    missing = {}
    for label, (_key, build) in NOTIFY_COMPETITORS.items():
        try:
            names, statement = build(listeners)
        except NotAvailable as e:
            missing[label] = e
            continue
        namespace.update(names)
        statements[label] = statement
    variants = {
        name: stmt_timer(statement, namespace)
        for name, statement in statements.items()
    }
    for name, measure in variants.items():
        expected = 0 if name == 'notify, no listener' else 3
        calls = _listener_calls(lambda m=measure: m(1), listeners)
        if calls != expected:
            raise AssertionError(
                f'scenario 4: {name} called {calls} listeners, '
                f'expected {expected}'
            )
    number, runs = compare(variants, settings)
    base = runs['plain loop']
    rows = [
        row(
            '4a',
            'hooks.notify, no listener, vs plain loop over 3',
            'notify, no listener',
            'plain loop',
            runs['notify, no listener'],
            base,
            's/op',
            number=number,
            note='reported, no target',
        ),
        row(
            '4b',
            'hooks.notify, 3 listeners, vs plain loop over 3',
            'notify, 3 listeners',
            'plain loop',
            runs['notify, 3 listeners'],
            base,
            's/op',
            number=number,
            note='reference, no target',
        ),
        row(
            '4c',
            'hooks.default.notify (namespace), 3 listeners, vs plain loop',
            'namespace.notify, 3 listeners',
            'plain loop',
            runs['namespace.notify, 3 listeners'],
            base,
            's/op',
            number=number,
            note='reported, no target',
        ),
    ]
    for label, (key, _build) in NOTIFY_COMPETITORS.items():
        title = f'hooks.notify, 3 listeners, vs {label}'
        if label in missing:
            rows.append(not_available(key, title, missing[label]))
            continue
        rows.append(
            row(
                key,
                title,
                'notify, 3 listeners',
                label,
                runs['notify, 3 listeners'],
                runs[label],
                's/op',
                1.0,
                number=number,
            )
        )
    return rows


# -- 5 ------------------------------------------------------------------

STARTUP_SIZES = (250, 500, 1000, 2000)
WRAPPERS = 10
SCOPED_LISTENERS = 100


def _make_views(count):
    def make(i):
        def view(request):
            return {'view': i}

        view.__name__ = view.__qualname__ = f'view_{i}'
        return view

    return [make(i) for i in range(count)]


def _make_wrappers(count):
    def make(i):
        def wrapper(next_caller):
            def call(context, request):
                return next_caller(context, request)

            return call

        wrapper.__name__ = wrapper.__qualname__ = f'wrapper_{i}'
        return wrapper

    return [make(i) for i in range(count)]


def _make_listeners(count):
    def make(i):
        def listener(request, params):
            pass

        listener.__name__ = listener.__qualname__ = f'listener_{i}'
        return listener

    return [make(i) for i in range(count)]


def add_startup_views(config, views, **options):
    """One route ``/r<i>`` and one JSON view for each of *views*: what
    every variant of the startup scenario builds."""
    for i, view in enumerate(views):
        config.add_route(f'r{i}', f'/r{i}')
        config.add_view(view, route_name=f'r{i}', renderer='json', **options)


def build_startup_app(views, wrappers=(), listeners=(), hooks=False):
    config = Configurator()
    if hooks:
        config.include('pyramid_hooks')
        for wrapper in wrappers:
            config.add_controller_wrapper(wrapper)
    add_startup_views(config, views)
    if hooks:
        step = max(1, len(views) // len(listeners)) if listeners else 1
        for i, listener in enumerate(listeners):
            config.register_hook(
                'before_call', listener, view=views[(i * step) % len(views)]
            )
    return config.make_wsgi_app()


@scenario(
    '5',
    'startup: N views + 10 wrappers + 100 scoped listeners vs bare Pyramid',
)
def startup(settings, sizes=STARTUP_SIZES):
    import gc
    import time

    views = _make_views(max(sizes))
    wrappers = _make_wrappers(WRAPPERS)
    listeners = _make_listeners(SCOPED_LISTENERS)
    # one check that the scoped listeners and wrappers are in place
    app = build_startup_app(views[:10], wrappers, listeners[:10], True)
    status, _, body = wsgi_call(app, '/r0').probe()
    assert status.startswith('200') and json.loads(body) == {'view': 0}

    def build_timer(build, collector=True):
        def measure(number):
            # the garbage of the previous build is collected before the
            # clock starts, so no variant pays for another's; the
            # collector stays on during the build, as at a real startup
            # (unless *collector* is false)
            elapsed = 0.0
            for _ in range(number):
                gc.collect()
                if not collector:
                    gc.disable()
                try:
                    start = time.perf_counter()
                    build()
                    elapsed += time.perf_counter() - start
                finally:
                    gc.enable()
            return elapsed / number

        return measure

    def timer(size, hooks, collector=True):
        chosen = views[:size]
        return build_timer(
            lambda: build_startup_app(chosen, wrappers, listeners, hooks),
            collector,
        )

    def derivers_timer(size):
        chosen = views[:size]
        return build_timer(lambda: build_derivers_app(chosen))

    def decorated_timer(size, collector=True):
        chosen = views[:size]
        return build_timer(
            lambda: build_decorated_app(chosen, wrappers), collector
        )

    class Startup:
        repeat = settings.startup_repeat
        warmup = 0.0

    rows = []
    medians = {}
    extra = {}
    extra_no_gc = {}
    for size in sizes:
        variants = {'bare': timer(size, False), 'hooks': timer(size, True)}
        if size in (min(sizes), max(sizes), 1000):
            variants['bare, no gc'] = timer(size, False, False)
            variants['hooks, no gc'] = timer(size, True, False)
        if size == 1000:
            variants['derivers'] = derivers_timer(size)
            variants['decorated'] = decorated_timer(size)
            variants['decorated, no gc'] = decorated_timer(size, False)
        _, runs = compare(variants, Startup, number=1)
        medians[size] = (
            summary(runs['hooks'])['median'],
            summary(runs['bare'])['median'],
        )
        extra[size] = _own(runs, 'hooks', 'bare')
        if 'hooks, no gc' in runs:
            extra_no_gc[size] = _own(runs, 'hooks, no gc', 'bare, no gc')
        title = (
            f'startup, {size} views + {WRAPPERS} wrappers + '
            f'{SCOPED_LISTENERS} scoped listeners vs bare'
        )
        rows.append(
            row(
                '5' if size == 1000 else f'5-{size}',
                title,
                'pyramid_hooks',
                'bare Pyramid',
                runs['hooks'],
                runs['bare'],
                's/startup',
                1.3 if size == 1000 else None,
                number=1,
            )
        )
        if size == 1000:
            rows.append(
                row(
                    '5g',
                    f'startup, {size} views + {WRAPPERS} wrappers + '
                    f'{SCOPED_LISTENERS} scoped listeners vs bare, garbage '
                    'collector off during the builds',
                    'pyramid_hooks, no gc',
                    'bare Pyramid, no gc',
                    runs['hooks, no gc'],
                    runs['bare, no gc'],
                    's/startup',
                    number=1,
                    note='the CPU work alone: the difference from row 5 is '
                    'the collections triggered by the per-view wrapper '
                    'closures',
                )
            )
        if 'decorated' in runs:
            rows.append(
                row(
                    '5h',
                    f'startup, {size} views each decorated by the same '
                    f'{WRAPPERS} wrappers (Pyramid decorator=) vs bare',
                    'bare + decorator=',
                    'bare Pyramid',
                    runs['decorated'],
                    runs['bare'],
                    's/startup',
                    number=1,
                    note='the hand-written equivalent of the wrappers: the '
                    'same factories called once per view by Pyramid itself',
                )
            )
            rows.append(
                row(
                    '5hg',
                    f'startup, {size} views: pyramid_hooks vs the '
                    'hand-written decorator= equivalent, collector off',
                    'pyramid_hooks, no gc',
                    'bare + decorator=, no gc',
                    runs['hooks, no gc'],
                    runs['decorated, no gc'],
                    's/startup',
                    number=1,
                    note='what pyramid_hooks adds over calling the same '
                    'wrapper factories by hand, CPU work alone',
                )
            )
        if 'derivers' in runs:
            rows.append(
                row(
                    '5d',
                    f'startup, {size} views: bare + 2 no-op view derivers '
                    'vs bare',
                    'bare + 2 derivers',
                    'bare Pyramid',
                    runs['derivers'],
                    runs['bare'],
                    's/startup',
                    number=1,
                    note='what Pyramid charges for two more view '
                    'derivers (pyramid_hooks adds two), whatever they do',
                )
            )
    low, high = min(sizes), max(sizes)
    own_low = extra_no_gc[low] / low
    own_high = extra_no_gc[high] / high
    linear = own_high / own_low if own_low > 0 else float('inf')
    rows.append(
        {
            'id': '5L',
            'title': f"startup growth: pyramid_hooks' own time per view at "
            f'{high} / at {low} views, collector off (1.0 = linear)',
            'status': 'ok',
            'candidate': f'{high} views',
            'baseline': f'{low} views',
            'unit': 's/view',
            'candidate_stats': {'median': own_high},
            'baseline_stats': {'median': own_low},
            'ratio': linear,
            'target': 1.25,
            'direction': '<=',
            'met': linear <= 1.25,
            'number': 1,
            'note': 'own time = startup with pyramid_hooks minus bare, '
            'median of the paired rounds, garbage collector off; with it '
            'on: '
            + ', '.join(
                f'{size}: {extra[size] / size * 1e6:.0f} µs' for size in sizes
            )
            + '; per-view startup time, pyramid_hooks / bare: '
            + ', '.join(
                f'{size}: {medians[size][0] / size * 1e6:.0f} / '
                f'{medians[size][1] / size * 1e6:.0f} µs'
                for size in sizes
            ),
            'per_view': {
                str(size): {
                    'pyramid_hooks': medians[size][0] / size,
                    'bare': medians[size][1] / size,
                    'own': extra[size] / size,
                    'own_no_gc': (
                        extra_no_gc[size] / size
                        if size in extra_no_gc
                        else None
                    ),
                }
                for size in sizes
            },
        }
    )
    return rows


def build_decorated_app(views, wrappers):
    """Bare Pyramid whose views are each wrapped by the same wrapper
    factories through Pyramid's ``decorator=`` option (the first in the
    list outermost, so the last wrapper is outermost as with
    ``pyramid_hooks``)."""
    decorator = tuple(
        (lambda factory: lambda view: factory(view))(wrapper)
        for wrapper in reversed(wrappers)
    )
    config = Configurator()
    add_startup_views(config, views, decorator=decorator)
    return config.make_wsgi_app()


def _own(runs, candidate, baseline):
    """Median over the rounds of candidate minus baseline."""
    return statistics.median(
        c - b for c, b in zip(runs[candidate], runs[baseline], strict=True)
    )


def _noop_deriver(view, info):
    return view


def build_derivers_app(views):
    """Bare Pyramid with two view derivers that return the view
    unchanged, placed where ``pyramid_hooks`` puts its own."""
    config = Configurator()
    config.add_view_deriver(
        _noop_deriver, 'noop_a', under='decorated_view', over='rendered_view'
    )
    config.add_view_deriver(
        _noop_deriver, 'noop_b', under='rendered_view', over='mapped_view'
    )
    add_startup_views(config, views)
    return config.make_wsgi_app()


# -- 6 ------------------------------------------------------------------


@scenario('6', 'widget callback vs plain view returning the same response')
def widget_callback(settings):
    path = apps.widget_path()
    widget = wsgi_call(apps.widget_app(), path)
    many = wsgi_call(apps.widget_app(callbacks=WIDGET_CALLBACKS), path)
    plain = wsgi_call(apps.plain_response_app(), path)
    check_same(
        'scenario 6',
        {'plain view': plain, 'widget': widget, 'many': many},
    )
    number, runs = compare(
        {
            'plain view': batch_timer(plain),
            'widget': batch_timer(widget),
            'many': batch_timer(many),
        },
        settings,
    )
    return [
        row(
            '6',
            widget_callback.title,
            'widget callback',
            'plain view',
            runs['widget'],
            runs['plain view'],
            's/req',
            1.15,
            number=number,
        ),
        row(
            '6',
            f'{widget_callback.title} ({WIDGET_CALLBACKS} callbacks)',
            f'widget callback, {WIDGET_CALLBACKS} callbacks on the widget',
            'plain view',
            runs['many'],
            runs['plain view'],
            's/req',
            1.15,
            number=number,
        ),
    ]


#: how many callbacks the widget of scenario 6's second row has
WIDGET_CALLBACKS = 50


# -- 7 ------------------------------------------------------------------

RPC_BODY = json.dumps(
    {
        'jsonrpc': '2.0',
        'id': 1,
        'method': 'add',
        'params': {'a': 1, 'b': 2},
    }
).encode()


@scenario('7', 'JSON-RPC call: controller vs pyramid_rpc')
def jsonrpc(settings):
    headers = {'Content-Type': 'application/json'}
    controller = wsgi_call(
        apps.rpc_controller_app(),
        apps.RPC_PATH,
        method='POST',
        body=RPC_BODY,
        headers=headers,
    )
    rpc = wsgi_call(
        apps.pyramid_rpc_app(),
        apps.RPC_PATH,
        method='POST',
        body=RPC_BODY,
        headers=headers,
    )
    answer = check_same(
        'scenario 7', {'pyramid_rpc': rpc, 'controller': controller}
    )
    assert answer.get('result') == 3, answer
    number, runs = compare(
        {
            'pyramid_rpc': batch_timer(rpc),
            'controller': batch_timer(controller),
        },
        settings,
    )
    return [
        row(
            '7',
            jsonrpc.title,
            'Controller type=json',
            'pyramid_rpc',
            runs['controller'],
            runs['pyramid_rpc'],
            's/req',
            1.0,
            number=number,
        )
    ]


# -- 8 ------------------------------------------------------------------


@scenario('8', 'throughput under waitress: include vs bare Pyramid')
def throughput(settings):
    from benchmarks.loadgen import split_cpus

    try:
        import waitress  # noqa: F401
    except ImportError:
        raise NotAvailable('waitress is not installed') from None
    results = {'bare': [], 'include': []}
    errors = 0
    # Fresh server processes every round: one process is often faster or
    # slower than another running the same code (where the scheduler puts
    # it, hash seeds), by more than the difference being measured.  The
    # servers get their own CPU, the load generator the other(s).
    with split_cpus() as cpu:
        for i in range(settings.load_repeat):
            order = ['bare', 'include'] if i % 2 else ['include', 'bare']
            errors += _throughput_round(settings, order, cpu, results)
    if errors:
        raise AssertionError(f'scenario 8: {errors} failed requests')
    return [
        row(
            '8',
            throughput.title,
            'include',
            'bare',
            results['include'],
            results['bare'],
            'req/s',
            0.95,
            direction='>=',
            note=f'{settings.load_threads} client threads, keep-alive, '
            f'up to {settings.load_requests} requests or '
            f'{settings.load_seconds:g} s per run; waitress '
            '4 threads in its own process, fresh processes every round, '
            'servers and load generator on separate CPUs where possible',
        )
    ]


def _throughput_round(settings, order, cpu, results):
    """One round: both servers started, warmed up, then loaded A, B, B, A
    (whatever drifts within the round, and the second run of a round was
    seen to be faster, hits both alike); appends each one's mean rate to
    *results* and returns the number of failed requests."""
    from benchmarks.loadgen import Server, run_load

    errors = 0
    with (
        Server(order[0], cpu=cpu) as first,
        Server(order[1], cpu=cpu) as second,
    ):
        servers = {order[0]: first, order[1]: second}
        for name in order:
            run_load(
                servers[name].port,
                '/data',
                settings.load_requests // 4,
                settings.load_seconds / 4,
                settings.load_threads,
            )
        rates = {name: [] for name in order}
        for name in [*order, *reversed(order)]:
            done, elapsed, failed = run_load(
                servers[name].port,
                '/data',
                settings.load_requests,
                settings.load_seconds,
                settings.load_threads,
            )
            errors += failed
            rates[name].append(done / elapsed)
    for name, values in rates.items():
        results[name].append(sum(values) / len(values))
    return errors
