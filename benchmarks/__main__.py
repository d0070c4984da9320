"""``python -m benchmarks``: run the scenarios, print the table, write the
JSON and the plot.  Run it from the project root so the working tree's
``pyramid_hooks`` is the one measured.

By default the JSON and the plot go to :data:`OUTPUT`, a directory git
ignores, so that a run changes no tracked file; the figures the docs show
(``benchmarks/results/latest.json``, ``docs/_static/benchmarks.png``) are
replaced only when ``--json`` and ``--plot`` name them."""

import argparse
import datetime
import sys
import time
import traceback

from benchmarks.harness import NotAvailable, Settings
from benchmarks.report import (
    format_rst,
    format_table,
    machine,
    plot,
    write_json,
)
from benchmarks.scenarios import SCENARIOS, not_available

#: where a run writes its JSON and plot unless told otherwise (in
#: ``.gitignore``)
OUTPUT = 'benchmarks/output'


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='python -m benchmarks',
        description='Side-by-side benchmarks of pyramid_hooks.',
    )
    parser.add_argument(
        '-s',
        '--scenarios',
        default=','.join(SCENARIOS),
        help='comma-separated scenario numbers (default: all, '
        f'{",".join(SCENARIOS)})',
    )
    parser.add_argument(
        '-r',
        '--repeat',
        type=int,
        default=15,
        help='repetitions per variant (default 15)',
    )
    parser.add_argument(
        '--warmup',
        type=float,
        default=0.3,
        help='warm-up seconds per variant (default 0.3)',
    )
    parser.add_argument(
        '--min-batch',
        type=float,
        default=0.1,
        help='minimum seconds per timed batch (default 0.1)',
    )
    parser.add_argument(
        '--startup-repeat',
        type=int,
        default=7,
        help='repetitions of the startup builds (default 7)',
    )
    parser.add_argument(
        '--load-requests',
        type=int,
        default=4000,
        help='request cap of one throughput run',
    )
    parser.add_argument(
        '--load-seconds',
        type=float,
        default=3.0,
        help='time cap of one throughput run',
    )
    parser.add_argument(
        '--load-threads',
        type=int,
        default=4,
        help='client threads of the load generator',
    )
    parser.add_argument(
        '--load-repeat',
        type=int,
        default=7,
        help='throughput runs per application',
    )
    parser.add_argument(
        '--quick',
        action='store_true',
        help='a fast, rough run (3 repetitions, short '
        'batches) to check that everything works',
    )
    parser.add_argument(
        '--json',
        default=f'{OUTPUT}/latest.json',
        help='where to write the JSON results (default %(default)s, '
        "ignored by git; '' for none)",
    )
    parser.add_argument(
        '--plot',
        default=f'{OUTPUT}/benchmarks.png',
        help='where to write the PNG plot (default %(default)s, ignored '
        "by git; '' for none)",
    )
    parser.add_argument(
        '--rst', default='', help='also write the table as a reST list-table'
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    settings = Settings(
        repeat=args.repeat,
        warmup=args.warmup,
        min_batch=args.min_batch,
        startup_repeat=args.startup_repeat,
        load_requests=args.load_requests,
        load_seconds=args.load_seconds,
        load_threads=args.load_threads,
        load_repeat=args.load_repeat,
    )
    if args.quick:
        settings = Settings(
            repeat=3,
            warmup=0.05,
            min_batch=0.05,
            startup_repeat=1,
            load_requests=1500,
            load_seconds=1.0,
            load_threads=args.load_threads,
            load_repeat=2,
        )
    wanted = [key.strip() for key in args.scenarios.split(',') if key.strip()]
    unknown = [key for key in wanted if key not in SCENARIOS]
    if unknown:
        print(f'unknown scenario(s): {", ".join(unknown)}', file=sys.stderr)
        return 2
    info = machine()
    print(
        f'machine: {info["cpu"]}, {info["nproc"]} CPUs, Python '
        f'{info["python"]}',
        flush=True,
    )
    results = []
    failed = False
    started = time.perf_counter()
    for key in wanted:
        func = SCENARIOS[key]
        print(f'scenario {key}: {func.title} ...', flush=True)
        t0 = time.perf_counter()
        try:
            rows = func(settings)
        except NotAvailable as e:
            rows = [not_available(key, func.title, e)]
        except Exception as e:
            traceback.print_exc()
            failed = True
            rows = [
                {
                    'id': key,
                    'title': func.title,
                    'status': 'error',
                    'reason': f'{type(e).__name__}: {e}',
                }
            ]
        for r in rows:
            r.setdefault('scenario', key)
        results.extend(rows)
        print(f'  done in {time.perf_counter() - t0:.1f} s', flush=True)
    print()
    print(format_table(results))
    payload = {
        'generated': datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec='seconds'
        ),
        'machine': info,
        'settings': settings.as_dict(),
        'command': ' '.join(['python -m benchmarks', *(argv or sys.argv[1:])]),
        'duration_seconds': time.perf_counter() - started,
        'results': results,
    }
    if args.json:
        write_json(args.json, payload)
        print(f'\nJSON: {args.json}')
    if args.rst:
        with open(args.rst, 'w') as f:
            f.write(format_rst(results, info))
        print(f'reST table: {args.rst}')
    if args.plot:
        try:
            if plot(args.plot, results, info):
                print(f'plot: {args.plot}')
        except ImportError:
            print(
                'plot skipped: matplotlib is not installed '
                "(pip install '.[bench]')"
            )
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
