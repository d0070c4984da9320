"""The result table (text), the JSON file and the plot of the ratios."""

import json
import os
import platform
import subprocess
import sys


def machine():
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    versions = {}
    for dist in (
        'pyramid',
        'WebOb',
        'waitress',
        'TurboGears2',
        'pyramid_rpc',
        'zope.interface',
    ):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:
            versions[dist] = None
    try:
        commit = (
            subprocess.run(
                ['git', 'rev-parse', '--short', 'HEAD'],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            or None
        )
    except OSError:
        commit = None
    return {
        'cpu': cpu,
        'nproc': os.cpu_count(),
        'python': sys.version.split()[0],
        'implementation': platform.python_implementation(),
        'platform': platform.platform(),
        'versions': versions,
        'commit': commit,
    }


def _fmt_value(value, unit):
    if value is None:
        return '-'
    if unit == 'req/s':
        return f'{value:,.0f} req/s'
    if unit == 's/op':
        return f'{value * 1e9:.0f} ns'
    if unit in ('s/startup',):
        return f'{value * 1e3:.0f} ms'
    if unit == 's/view':
        return f'{value * 1e6:.0f} µs'
    return f'{value * 1e6:.1f} µs'


def _target(r):
    if r.get('target') is None:
        return '-'
    return f'{r["direction"]} {r["target"]:g}'


def table_rows(results):
    rows = []
    for r in results:
        if r['status'] != 'ok':
            reason = f'{r["status"]} ({r.get("reason", "")})'
            rows.append((r['id'], r['title'], '', '', '', '', '', reason))
            continue
        met = {True: 'yes', False: 'NO', None: '-'}[r['met']]
        best = r.get('ratio_of_best')
        rows.append(
            (
                r['id'],
                r['title'],
                _fmt_value(r['candidate_stats']['median'], r['unit']),
                _fmt_value(r['baseline_stats']['median'], r['unit']),
                f'{r["ratio"]:.3f}',
                '-' if best is None else f'{best:.3f}',
                _target(r),
                met,
            )
        )
    return rows


HEADER = (
    'id',
    'scenario',
    'candidate',
    'baseline',
    'ratio',
    'best',
    'target',
    'met',
)


def format_table(results):
    rows = [HEADER, *table_rows(results)]
    widths = [
        max(len(str(row[i])) for row in rows if i < len(row))
        for i in range(len(HEADER))
    ]
    widths[1] = min(widths[1], 72)
    lines = []
    for n, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            cell = str(cell)
            if i == 1 and len(cell) > widths[1]:
                cell = cell[: widths[1] - 1] + '…'
            cells.append(cell.ljust(widths[i]))
        lines.append('  '.join(cells).rstrip())
        if n == 0:
            lines.append('  '.join('-' * w for w in widths))
    return '\n'.join(lines)


def format_rst(results, info):
    """The table as a reST ``list-table`` (for ``docs/performance.rst``)."""
    lines = [
        '.. list-table:: Measured on '
        f'{info["cpu"]}, {info["nproc"]} CPUs, Python {info["python"]}',
        '   :header-rows: 1',
        '',
    ]
    for row in [HEADER, *table_rows(results)]:
        cells = [
            str(cell).replace('<=', '≤').replace('>=', '≥') for cell in row
        ]
        cells = [
            '—' if cell in ('', '-') else cell.replace('*', r'\*')
            for cell in cells
        ]
        lines.append(f'   * - {cells[0]}')
        lines.extend(f'     - {cell}' for cell in cells[1:])
    return '\n'.join(lines) + '\n'


def write_json(path, payload):
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'w') as f:
        json.dump(payload, f, indent=2, sort_keys=False)
        f.write('\n')


#: rows without a target that the plot shows anyway
PLOTTED_EXTRAS = ('1d', '2a', '3a', '4a', '5g', '5d')


def plot(path, results, info):
    """A horizontal bar per measured ratio with its target marked; bars
    that meet their target are green, those that miss it red, those
    without a target grey."""
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    measured = [
        r
        for r in results
        if r['status'] == 'ok'
        and (r.get('target') is not None or r['id'] in PLOTTED_EXTRAS)
    ]
    if not measured:
        return False
    labels = [
        f'{r["id"]}: {r["candidate"]} / {r["baseline"]}' for r in measured
    ]
    ratios = [r['ratio'] for r in measured]
    colors = [
        {True: '#2e7d32', False: '#c62828', None: '#9e9e9e'}[r['met']]
        for r in measured
    ]
    height = 0.45 * len(measured) + 1.6
    fig, ax = plt.subplots(figsize=(10, height))
    positions = list(range(len(measured)))[::-1]
    ax.barh(positions, ratios, color=colors, height=0.6)
    for pos, r in zip(positions, measured, strict=True):
        if r['target'] is not None:
            ax.plot(
                [r['target'], r['target']],
                [pos - 0.4, pos + 0.4],
                color='black',
                linewidth=2,
            )
        ax.text(r['ratio'], pos, f' {r["ratio"]:.2f}', va='center', fontsize=8)
    ax.axvline(1.0, color='#555555', linewidth=0.8, linestyle='--')
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlabel(
        'median ratio candidate / baseline (time; throughput for '
        '8) — black tick: target'
    )
    ax.set_xlim(0, max(max(ratios), 1.6) * 1.12)
    missing = [r['id'] for r in results if r['status'] != 'ok']
    title = (
        f'pyramid_hooks benchmarks — {info["cpu"]}, '
        f'{info["nproc"]} CPUs, Python {info["python"]}'
    )
    if missing:
        title += f'\nnot available yet: {", ".join(missing)}'
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
