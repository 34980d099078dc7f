#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The documentation cannot drift from the code (no VM, no module, KTAP):

  1. gossipadm(8) (tools/gossipadm.8) has an item for every command of
     tools/main.c's commands[], every setting of tools/config.c's
     cfg_attrs[] (the writable ones) and every option main() parses; each
     numeric setting's item gives the range and default of the uapi
     header's GOSSIP_* macros ("MIN..MAX", "Default D");
  2. the bash completion (tools/gossipadm.bash-completion), sourced in bash
     and called with COMP_WORDS as bash would, offers every command after
     `gossipadm`, every option after `-`, every setting after `set` (and
     again after a setting's value), every mode after `set mode`, on/off
     after `set eager`, the verbs of `peer` and `key`;
  3. docs/ABI/testing/sysfs-class-gossip has a What: entry for every file
     gossip.ko creates under /sys/class/gossip/gossip/ (kmod/stats.c's
     gossip_stat_names and its DEVICE_ATTR_RO names) and no other, and
     kmod/stats.c's names are the spec's stats attribute set; each of
     those files holds one value (nothing in kmod/ writes a second one with
     sysfs_emit_at(): round_late_hist is in debugfs).
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..'))
MAN = 'tools/gossipadm.8'
COMPLETION = 'tools/gossipadm.bash-completion'
ABI = 'docs/ABI/testing/sysfs-class-gossip'
SPEC = 'Documentation/netlink/specs/gossip.yaml'

n = 0
failed = 0


def read(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def result(ok, name, missing=()):
    global n, failed
    n += 1
    for m in missing:
        print('# missing: %s' % m)
    if not ok:
        failed += 1
    print('%s %d %s' % ('ok' if ok else 'not ok', n, name))


def commands():
    src = read('tools/main.c')
    table = re.search(r'commands\[\]\s*=\s*\{(.*?)\n\};', src, re.S).group(1)
    return re.findall(r'CMD\(\s*"([a-z][a-z-]*)",\s*cmd_', table)


def settings():
    """(writable setting words, {word: value names})"""
    src = read('tools/config.c')
    table = re.search(r'cfg_attrs\[\]\s*=\s*\{(.*?)\n\};', src, re.S).group(1)
    names = {}
    for arr, body in re.findall(
            r'static const char \*const (\w+)\[\]\s*=\s*\{(.*?)\};', src, re.S):
        names[arr] = re.findall(r'"([^"]+)"', body)
    words, values = [], {}
    for chunk in re.split(r'\{\s*CFG\(', table)[1:]:
        word = re.search(r'"([^"]+)"', chunk).group(1)
        if re.search(r'\.readonly\s*=\s*true', chunk):
            continue
        words.append(word)
        m = re.search(r'\.names\s*=\s*(\w+)', chunk)
        if m:
            values[word] = names[m.group(1)]
    return words, values


def options():
    src = read('tools/main.c')
    return sorted(set(re.findall(r'strcmp\(argv\[i\],\s*"(-[-a-z]+)"\)', src)))


def man_items(section):
    """The first word of every item (.TP's next line) of a man section."""
    src = read(MAN)
    m = re.search(r'^\.SH %s\n(.*?)(?=^\.SH )' % re.escape(section), src,
                  re.S | re.M)
    body = m.group(1) if m else ''
    items = set()
    for line in re.findall(r'^\.T[PQ]\n(.*)$', body, re.M):
        line = re.sub(r'^\.[A-Z]+\s*', '', line)
        line = line.replace('\\-', '-').replace('"', ' ')
        for w in re.split(r'[\s,|]+', line):
            if w:
                items.add(w)
                break
        items.update(re.findall(r'(--?[a-z][-a-z]*)', line))
    return items


# setting -> the uapi macros (or numbers) of its range and default
RANGES = {
    'fanout': ('FANOUT_MIN', 'FANOUT_MAX', 'DEFAULT_FANOUT'),
    'interval': ('INTERVAL_MIN_MS', 'INTERVAL_MAX_MS', 'DEFAULT_INTERVAL_MS'),
    'port': (1, 65535, 'DEFAULT_PORT'),
    'max-dgram': ('DGRAM_MIN', 'DGRAM_MAX', 'DEFAULT_DGRAM'),
    'tombstone-ms': ('TOMBSTONE_MIN_MS', 'TOMBSTONE_MAX_MS',
                     'DEFAULT_TOMBSTONE_MS'),
    'label': (0, 'LABEL_MAX', None),
    'store-bytes': ('STORE_BYTES_MIN', 'STORE_BYTES_MAX',
                    'DEFAULT_STORE_BYTES'),
    'reject-rate': (0, 'REJECT_RATE_MAX', 'DEFAULT_REJECT_RATE'),
    'max-skew-ms': ('MAX_SKEW_MIN_MS', 'MAX_SKEW_MAX_MS',
                    'DEFAULT_MAX_SKEW_MS'),
}


def man_item_text(section, word):
    """The text of the item of SECTION whose first word is WORD."""
    src = read(MAN)
    body = re.search(r'^\.SH %s\n(.*?)(?=^\.SH )' % re.escape(section), src,
                     re.S | re.M).group(1)
    for item in re.split(r'^\.TP\n', body, flags=re.M)[1:]:
        first = re.sub(r'^\.[A-Z]+\s*"?', '', item.split('\n')[0])
        if first.split(' ')[0] == word:
            text = re.sub(r'^\.[A-Z]+ ?', '', item, flags=re.M)
            text = re.sub(r'\\f[BIRP]|\\\(\+-|"', '', text)
            return ' '.join(text.replace('\\-', '-').split())
    return ''


def check_ranges(words):
    macros = {m: int(v) for m, v in re.findall(
        r'^#define GOSSIP_(\w+)\s+(\d+)\s*$',
        read('include/uapi/linux/gossip.h'), re.M)}

    def value(x):
        return x if isinstance(x, int) else macros[x]

    bad = []
    for word, (lo, hi, dflt) in RANGES.items():
        if word not in words:
            continue
        text = man_item_text('SETTINGS', word)
        want = ['%d..%d' % (value(lo), value(hi))]
        if dflt:
            want.append('Default %d' % value(dflt))
        for w in want:
            if w not in text:
                bad.append('%s: "%s" (item: %s)' % (word, w, text[:100]))
    unmapped = [w for w in words if w not in RANGES and
                w not in ('mode', 'node-id', 'lockstep', 'eager')]
    bad += ['%s: no range known to selftests/docs.py' % w for w in unmapped]
    result(not bad, 'gossipadm.8 SETTINGS: ranges and defaults are the '
           'uapi macros\' (%d settings)' % len(RANGES), bad)


def complete(*words):
    """What the completion offers for the last word of gossipadm WORDS."""
    script = ('source %s\nCOMP_WORDS=(gossipadm %s)\nCOMP_CWORD=%d\n'
              '_gossipadm\nprintf "%%s\\n" "${COMPREPLY[@]}"\n' % (
                  os.path.join(ROOT, COMPLETION),
                  ' '.join("'%s'" % w for w in words), len(words)))
    out = subprocess.run(['bash', '--norc', '--noprofile'], input=script,
                         capture_output=True, text=True)
    for line in out.stderr.splitlines():
        print('# bash: ' + line)
    return set(out.stdout.split())


def check_offers(name, want, *words):
    got = complete(*words)
    missing = [w for w in want if w not in got]
    result(not missing, name, missing)


def stats_names():
    src = read('kmod/stats.c')
    body = re.search(r'gossip_stat_names\[[^]]*\]\s*=\s*\{(.*?)\};', src,
                     re.S).group(1)
    stats = re.findall(r'=\s*"([a-z0-9_]+)"', body)
    devs = re.findall(r'DEVICE_ATTR_RO\((\w+)\)', src)
    return stats, devs


def spec_stats():
    spec = read(SPEC)
    m = re.search(r'^  - name: stats\n    name-prefix: gossip-stats-a-\n(.*?)'
                  r'(?=^  - name: |\Z)', spec, re.S | re.M)
    names = re.findall(r'name: ([a-z0-9-]+)', m.group(1).split('attributes:')[1])
    return [x.replace('-', '_') for x in names if x != 'pad']


def main():
    print('TAP version 13')
    print('1..13')
    cmds = commands()
    words, values = settings()
    opts = options()
    print('# commands: ' + ' '.join(cmds))
    print('# settings: ' + ' '.join(words))
    print('# options: ' + ' '.join(opts))
    if len(cmds) < 10 or len(words) < 10 or not opts:
        print('Bail out! could not read the tables of tools/main.c, config.c')
        return 1

    # 1. The man page.
    items = man_items('COMMANDS')
    result(all(c in items for c in cmds),
           'gossipadm.8 COMMANDS: an item for each of %d commands' % len(cmds),
           [c for c in cmds if c not in items])
    items = man_items('SETTINGS')
    result(all(w in items for w in words),
           'gossipadm.8 SETTINGS: an item for each of %d settings' % len(words),
           [w for w in words if w not in items])
    check_ranges(words)
    items = man_items('OPTIONS')
    result(all(o in items for o in opts),
           'gossipadm.8 OPTIONS: an item for each of %d options' % len(opts),
           [o for o in opts if o not in items])

    # 2. The completion.
    if not shutil.which('bash'):
        for _ in range(4):
            result(True, 'completion # SKIP no bash')
    else:
        check_offers('completion: every command after gossipadm', cmds, '')
        check_offers('completion: every option after -',
                     [o for o in opts if o.startswith('--')], '--')
        check_offers('completion: every setting after set, and after a value',
                     words, 'set', '')
        ok = not [w for w in words if w not in complete('set', 'fanout', '3', '')]
        for w, v in values.items():
            got = complete('-j', 'set', w, '')
            if not all(x in got for x in v):
                ok = False
                print('# set %s: offered %s, want %s' % (w, sorted(got), v))
        for verb, vs in (('peer', ['add', 'del', 'show']),
                         ('key', ['add', 'use', 'del', 'show', 'gen'])):
            got = complete('-n', 'ns1', verb, '')
            if not all(x in got for x in vs):
                ok = False
                print('# %s: offered %s, want %s' % (verb, sorted(got), vs))
        result(ok, 'completion: values of %s, settings after a value, '
               'peer and key verbs (after -j, -n NS)' % ', '.join(values))

    # 3. The sysfs ABI.
    stats, devs = stats_names()
    abi = re.findall(r'^What:\s*/sys/class/gossip/gossip/(\S+)$', read(ABI),
                     re.M)
    files = ['stats/' + s for s in stats] + devs
    print('# %d files in kmod/stats.c, %d What: entries' % (len(files), len(abi)))
    result(bool(stats) and all(f in abi for f in files),
           'sysfs ABI: every file kmod/stats.c creates has a What: entry',
           [f for f in files if f not in abi])
    extra = [a for a in abi if a not in files and a != 'stats/']
    result(not extra, 'sysfs ABI: no entry for a file the module does not '
           'create', extra)
    multi = sorted(f for f in os.listdir(os.path.join(ROOT, 'kmod'))
                   if f.endswith('.c') and
                   'sysfs_emit_at(' in read(os.path.join('kmod', f)))
    result(not multi, 'sysfs ABI: one value per file (no sysfs_emit_at() '
           'in kmod/)', multi)
    spec = spec_stats()
    result(spec == stats, 'kmod/stats.c gossip_stat_names are the spec\'s '
           'stats attributes (%d), in order' % len(spec),
           sorted(set(spec) ^ set(stats)))

    # 4. One version: gossip_version.h's, which module and tool print.
    ver = re.search(r'#define GOSSIP_VERSION\s+"([^"]+)"',
                    read('include/gossip_version.h')).group(1)
    dkms = re.search(r'^PACKAGE_VERSION="([^"]+)"', read('dkms.conf'),
                     re.M).group(1)
    result(ver == dkms, 'dkms.conf PACKAGE_VERSION %s is GOSSIP_VERSION %s'
           % (dkms, ver))
    print('# Totals: pass:%d fail:%d skip:0' % (n - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
