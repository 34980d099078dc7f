#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
netlink-gen.py - write the generated netlink sources from the YAML spec.

    scripts/netlink-gen.py            write every generated file
    scripts/netlink-gen.py --check    exit 1, with a diff, if a committed
                                      generated file differs

From Documentation/netlink/specs/gossip.yaml (the kernel's genetlink spec
format, as tools/net/ynl reads it) it writes:
  include/uapi/linux/gossip.h   the uapi header, doc comments included
  kmod/netlink-gen.{c,h}        the kernel's policies and op table
  tools/nl-gen.{c,h}            gossipadm's libnl policies and names
  tools/test/gossip_spec.py     the fake kernel's codec tables
Small on purpose: it knows the parts of the format this family uses.
"""
import difflib
import os
import re
import sys
import textwrap

import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..'))
SPEC = 'Documentation/netlink/specs/gossip.yaml'
S16_MAX = 32767


def c_name(s):
    return s.upper().replace('-', '_')


def low(s):
    return s.replace('-', '_')


class Spec:
    def __init__(self, path):
        self.y = yaml.safe_load(open(path))
        self.fam = self.y['name']
        self.consts = {}
        self.enums = []
        for d in self.y.get('definitions', []):
            if d['type'] == 'const':
                self.consts[d['name']] = d
            else:
                self.enums.append(d)
        self.sets = {s['name']: s for s in self.y['attribute-sets']}
        for s in self.sets.values():
            if 'subset-of' in s:
                continue
            n = 1
            for a in s['attributes']:
                n = a.get('value', n)
                a['value'] = n
                n += 1
        self.ops = self.y['operations']['list']
        n = 1
        for op in self.ops:
            n = op.get('value', n)
            op['value'] = n
            n += 1

    def base(self, set_name):
        s = self.sets[set_name]
        return self.sets[s.get('subset-of', set_name)]

    def attr(self, set_name, name):
        """The attribute's full definition, a subset's overrides applied."""
        full = dict(next(a for a in self.base(set_name)['attributes']
                         if a['name'] == name))
        for a in self.sets[set_name]['attributes']:
            if a['name'] == name:
                full.update(a)
        return full

    def attrs(self, set_name):
        return [self.attr(set_name, a['name'])
                for a in self.sets[set_name]['attributes']]

    def prefix(self, set_name):
        return c_name(self.base(set_name)['name-prefix'])

    def aname(self, set_name, attr):
        return self.prefix(set_name) + c_name(attr)

    def amax(self, set_name):
        base = self.base(set_name)['name-prefix']
        return '__' + c_name(base) + 'MAX'

    def amax_name(self, set_name):
        return c_name(self.base(set_name)['name-prefix']) + 'MAX'

    def cmd(self, op):
        return c_name(self.y['operations']['name-prefix']) + c_name(op)

    def len_value(self, v):
        if isinstance(v, int):
            return v
        return self.consts[v]['value']

    def len_c(self, v):
        if isinstance(v, int):
            return str(v)
        return c_name(self.fam + '-' + v)


def doc_comment(text, indent='', width=72):
    lines = textwrap.wrap(' '.join(text.split()), width - len(indent) - 3,
                          break_on_hyphens=False)
    if len(lines) == 1:
        return [indent + '/* ' + lines[0] + ' */']
    return [indent + '/*'] + [indent + ' * ' + x for x in lines] + \
        [indent + ' */']


def kdoc(text, prefix, width=72):
    """Lines of a kernel-doc member: ' * @name: text', continued."""
    words = ' '.join(text.split())
    out = textwrap.wrap(words, width - 3, initial_indent=prefix,
                        subsequent_indent='\t')
    return [' * ' + x for x in out]


def header(comment, kind):
    src = 'generated from ' + SPEC + ' by scripts/netlink-gen.py'
    if kind == 'py':
        return ['# SPDX-License-Identifier: GPL-2.0',
                '# Do not edit: ' + src + '.', '']
    return [comment, '/* Do not edit: ' + src[:36] + ' */'.replace(
        ' */', ''),] if False else [comment,
                                    '/* Do not edit: generated from',
                                    ' * ' + SPEC,
                                    ' * by scripts/netlink-gen.py.',
                                    ' */']


def attr_note(s, a):
    """The type of an attribute, and its bounds where the policy has them:
    "u32, 1..16", "binary, 1..64 bytes"."""
    chk = a.get('checks', {})
    if 'exact-len' in chk:
        return '%s, %d bytes' % (a['type'], s.len_value(chk['exact-len']))
    if 'max-len' in chk:
        return '%s, %d..%d bytes' % (a['type'],
                                     s.len_value(chk.get('min-len', 0)),
                                     s.len_value(chk['max-len']))
    if 'min' in chk or 'max' in chk:
        lo = chk.get('min', 0)
        hi = chk.get('max', {'u8': 255, 'u16': 65535,
                             'u32': 4294967295}.get(a['type']))
        return '%s, %d..%d' % (a['type'], lo, hi)
    return a['type']


def uapi(s):
    out = header('/* SPDX-License-Identifier: ((GPL-2.0 WITH '
                 'Linux-syscall-note) OR MIT) */', 'c')
    out += ['', '/*'] + [' * ' + x if x else ' *'
                          for x in s.y['doc'].rstrip().split('\n')] + [' */']
    out += ['#ifndef _UAPI_LINUX_GOSSIP_H', '#define _UAPI_LINUX_GOSSIP_H',
            '', '#define GOSSIP_GENL_NAME\t"%s"' % s.fam,
            '#define GOSSIP_GENL_VERSION\t2', '']
    out += doc_comment(
        'Version 2: object-verb command names (CONFIG_GET, INSTANCE_UP, '
        'ENTRY_PUBLISH, ENTRY_DEL, ...); authentication keys are AUTHKEY '
        '(GOSSIP_CMD_AUTHKEY_*, GOSSIP_A_AUTHKEY, GOSSIP_AUTHKEY_A_*); '
        'every boolean is a u8 0 or 1 (LOCKSTEP, EAGER, AUTHKEY PRIMARY, '
        'ENTRY DELETED were u32 or flag); internal constants left this '
        'header; missing attributes are reported with '
        'NLMSGERR_ATTR_MISS_TYPE.')
    out.append('')
    for name, c in s.consts.items():
        line = '#define %s\t%s' % (c_name(s.fam + '-' + name), c['value'])
        if 'doc' in c:
            out += doc_comment(c['doc'])
        out.append(line)
    out.append('')
    for e in s.enums:
        pfx = c_name(s.fam + '-' + e['name']) + '_'
        if 'doc' in e:
            out += doc_comment(e['doc'])
        out.append('enum %s_%s {' % (s.fam, low(e['name'])))
        for i, ent in enumerate(e['entries']):
            ent = ent if isinstance(ent, dict) else {'name': ent}
            init = ' = %s' % e['value-start'] if i == 0 and \
                'value-start' in e else ''
            if 'doc' in ent:
                out += doc_comment(ent['doc'], '\t')
            out.append('\t%s%s%s,' % (pfx, c_name(ent['name']), init))
        if e.get('render-max'):
            out += ['', '\t__%sMAX,' % pfx,
                    '\t%sMAX = (__%sMAX - 1)' % (pfx, pfx)]
        out += ['};', '']
    for name, st in s.sets.items():
        if 'subset-of' in st:
            continue
        pfx = s.prefix(name)
        if 'doc' in st:
            out += doc_comment(st['doc'])
        out.append('enum %s {' % low(st['enum-name']))
        out.append('\t%sUNSPEC,' % pfx)
        n = 1
        for a in st['attributes']:
            init = ' = %d' % a['value'] if a['value'] != n else ''
            n = a['value'] + 1
            if 'doc' in a:
                out += doc_comment(a['doc'] + ' (%s)' % attr_note(s, a),
                                   '\t')
            out.append('\t%s%s%s,' % (pfx, c_name(a['name']), init))
        out += ['', '\t__%sMAX,' % pfx, '\t%sMAX = (__%sMAX - 1)' % (pfx, pfx),
                '};', '']
    ops = s.y['operations']
    out.append('enum %s {' % low(ops['enum-name']))
    out.append('\t%sUNSPEC,' % c_name(ops['name-prefix']))
    for op in s.ops:
        out += doc_comment(op['doc'], '\t')
        out.append('\t%s,' % s.cmd(op['name']))
    pfx = c_name(ops['name-prefix'])
    out += ['', '\t__%sMAX,' % pfx, '\t%sMAX = (__%sMAX - 1)' % (pfx, pfx),
            '};', '']
    for g in s.y['mcast-groups']['list']:
        out.append('#define %s_MCGRP_%s\t"%s"' % (c_name(s.fam),
                                                c_name(g['name']), g['name']))
    out += ['', '#endif /* _UAPI_LINUX_GOSSIP_H */']
    return out


# ---- kernel -----------------------------------------------------------

KTYPE = {'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32',
         'u64': 'NLA_U64', 'binary': 'NLA_BINARY', 'nest': 'NLA_NESTED',
         'pad': 'NLA_PAD', 'flag': 'NLA_FLAG'}


def kpolicy_name(s, set_name):
    return '%s_%s_nl_policy' % (s.fam, low(set_name))


def kpolicy_entry(s, set_name, a, ranges):
    t = a['type']
    chk = a.get('checks', {})
    if t == 'nest':
        return 'NLA_POLICY_NESTED(%s)' % kpolicy_name(
            s, a['nested-attributes'])
    if t == 'binary':
        if 'exact-len' in chk:
            return 'NLA_POLICY_EXACT_LEN(%s)' % s.len_c(chk['exact-len'])
        if 'max-len' in chk:
            return 'NLA_POLICY_RANGE(NLA_BINARY, %s, %s)' % (
                s.len_c(chk.get('min-len', 0)), s.len_c(chk['max-len']))
        if 'min-len' in chk:
            return 'NLA_POLICY_MIN_LEN(%s)' % s.len_c(chk['min-len'])
        return '{ .type = NLA_BINARY, }'
    kt = KTYPE[t]
    lo, hi = chk.get('min'), chk.get('max')
    if lo is None and hi is None:
        return '{ .type = %s, }' % kt
    if (lo or 0) > S16_MAX or (hi or 0) > S16_MAX:
        rname = '%s%s_range' % (low(s.prefix(set_name)).lower(),
                                 low(a['name']))
        ranges.append((rname, lo, hi))
        return 'NLA_POLICY_FULL_RANGE(%s, &%s)' % (kt, rname)
    if lo is not None and hi is not None:
        return 'NLA_POLICY_RANGE(%s, %d, %d)' % (kt, lo, hi)
    if lo is not None:
        return 'NLA_POLICY_MIN(%s, %d)' % (kt, lo)
    return 'NLA_POLICY_MAX(%s, %d)' % (kt, hi)


def kpolicy(s, pname, set_name, attrs, static, ranges):
    top = max(a['value'] for a in attrs)
    top_name = next(s.aname(set_name, a['name']) for a in attrs
                    if a['value'] == top)
    out = ['%sconst struct nla_policy %s[%s + 1] = {' % (
        'static ' if static else '', pname, top_name)]
    for a in attrs:
        ent = kpolicy_entry(s, set_name, a, ranges)
        line = '\t[%s] = %s,' % (s.aname(set_name, a['name']), ent)
        if len(line.expandtabs()) > 80:
            line = '\t[%s] =\n\t\t%s,' % (s.aname(set_name, a['name']), ent)
        out.append(line)
    out += ['};', '']
    return out, top_name


def nested_sets(s):
    """The nested sets a request reaches, innermost first."""
    seen = []

    def walk(set_name):
        for a in s.attrs(set_name):
            if a['type'] == 'nest':
                walk(a['nested-attributes'])
        if set_name not in seen:
            seen.append(set_name)
    for op in s.ops:
        req = op.get('do', {}).get('request', {}).get('attributes', [])
        for name in req:
            a = s.attr(op['attribute-set'], name)
            if a['type'] == 'nest':
                walk(a['nested-attributes'])
    return seen


def handler(s, op, kind):
    return '%s_nl_%s_%s' % (s.fam, low(op['name']), kind)


def kernel(s):
    hdr = header('/* SPDX-License-Identifier: GPL-2.0 */', 'c')
    hdr += ['', '#ifndef _GOSSIP_NETLINK_GEN_H', '#define _GOSSIP_NETLINK_GEN_H',
            '', '#include <net/netlink.h>', '#include <net/genetlink.h>', '',
            '#include <linux/gossip.h>', '']
    src = header('// SPDX-License-Identifier: GPL-2.0', 'c')
    src += ['', '#include <net/netlink.h>', '#include <net/genetlink.h>', '',
            '#include "netlink-gen.h"', '', '#include <linux/gossip.h>', '']
    ranges = []
    body = []
    hdr.append('/* Policies of the nests of requests */')
    for name in nested_sets(s):
        pname = kpolicy_name(s, name)
        part, top = kpolicy(s, pname, name, s.attrs(name), False, ranges)
        body += part
        hdr.append('extern const struct nla_policy %s[%s + 1];' % (pname, top))
    hdr.append('')
    opmax = {}
    for op in s.ops:
        req = op.get('do', {}).get('request', {}).get('attributes', [])
        if not req:
            continue
        attrs = [s.attr(op['attribute-set'], n) for n in req]
        pname = '%s_%s_do_nl_policy' % (s.fam, low(op['name']))
        part, top = kpolicy(s, pname, op['attribute-set'], attrs, True,
                            ranges)
        body += ['/* %s - do */' % c_name(s.fam + '-cmd-' + op['name'])] + part
        opmax[op['name']] = (pname, top)
    for rname, lo, hi in ranges:
        src += ['static struct netlink_range_validation %s __ro_after_init = {'
                % rname]
        if lo is not None:
            src.append('\t.min = %dULL,' % lo)
        if hi is not None:
            src.append('\t.max = %dULL,' % hi)
        src += ['};', '']
    src += body
    hdr.append('/* Handlers, in netlink.c */')
    for op in s.ops:
        if 'do' in op:
            hdr.append('int %s(struct sk_buff *skb, struct genl_info *info);'
                       % handler(s, op, 'doit'))
        if 'dump' in op:
            hdr.append('int %s(struct sk_buff *skb, struct netlink_callback '
                       '*cb);' % handler(s, op, 'dumpit'))
    nops = sum(1 for op in s.ops if 'do' in op or 'dump' in op)
    hdr += ['', 'enum {']
    for g in s.y['mcast-groups']['list']:
        hdr.append('\t%s_NLGRP_%s,' % (c_name(s.fam), c_name(g['name'])))
    hdr += ['};', '',
            'extern const struct genl_ops %s_nl_ops[%d];' % (s.fam, nops),
            'extern const struct genl_multicast_group %s_nl_mcgrps[%d];' % (
                s.fam, len(s.y['mcast-groups']['list'])),
            '', '#endif /* _GOSSIP_NETLINK_GEN_H */']
    src.append('/* Ops table for %s */' % s.fam)
    src.append('const struct genl_ops %s_nl_ops[%d] = {' % (s.fam, nops))
    for op in s.ops:
        if 'do' not in op and 'dump' not in op:
            continue
        src += ['\t{', '\t\t.cmd\t\t= %s,' % s.cmd(op['name'])]
        if 'do' in op:
            src.append('\t\t.doit\t\t= %s,' % handler(s, op, 'doit'))
        if 'dump' in op:
            src.append('\t\t.dumpit\t\t= %s,' % handler(s, op, 'dumpit'))
        if op['name'] in opmax:
            pname, top = opmax[op['name']]
            src.append('\t\t.policy\t\t= %s,' % pname)
            src.append('\t\t.maxattr\t= %s,' % top)
        if 'admin-perm' in op.get('flags', []):
            src.append('\t\t.flags\t\t= GENL_UNS_ADMIN_PERM,')
        src.append('\t},')
    src += ['};', '',
            'const struct genl_multicast_group %s_nl_mcgrps[] = {' % s.fam]
    for g in s.y['mcast-groups']['list']:
        src.append('\t[%s_NLGRP_%s] = {' % (c_name(s.fam), c_name(g['name'])))
        src.append('\t\t.name = %s_MCGRP_%s,' % (c_name(s.fam),
                                                 c_name(g['name'])))
        if 'admin-perm' in g.get('flags', []):
            src.append('\t\t.flags = GENL_MCAST_CAP_NET_ADMIN,')
        src.append('\t},')
    src.append('};')
    return hdr, src


# ---- gossipadm (libnl) ------------------------------------------------

UTYPE = {'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32',
         'u64': 'NLA_U64', 'binary': 'NLA_UNSPEC', 'nest': 'NLA_NESTED',
         'pad': 'NLA_UNSPEC', 'flag': 'NLA_FLAG'}


def tools(s):
    hdr = header('/* SPDX-License-Identifier: GPL-2.0 */', 'c')
    hdr += ['', '#ifndef GOSSIPADM_NL_GEN_H', '#define GOSSIPADM_NL_GEN_H', '',
            '#include <netlink/attr.h>', '', '#include <linux/gossip.h>', '',
            '/* An attribute set: its name, and its attributes\' by type. */',
            'struct gnl_set {', '\tconst char *name;',
            '\tconst char *const *attrs;', '\tunsigned int max;', '};', '']
    src = header('// SPDX-License-Identifier: GPL-2.0', 'c')
    src += ['', '#include "nl-gen.h"', '']
    for name, st in s.sets.items():
        if 'subset-of' in st:
            continue
        mx = s.amax_name(name)
        hdr.append('extern const struct nla_policy %s_%s_policy[%s + 1];'
                   % (s.fam, low(name), mx) if name != s.fam else
                   'extern const struct nla_policy %s_policy[%s + 1];'
                   % (s.fam, mx))
        pol = '%s_%s_policy' % (s.fam, low(name)) if name != s.fam \
            else '%s_policy' % s.fam
        src.append('const struct nla_policy %s[%s + 1] = {' % (pol, mx))
        for a in st['attributes']:
            chk = a.get('checks', {})
            ent = '.type = %s' % UTYPE[a['type']]
            if 'exact-len' in chk:
                ent += ', .minlen = %s, .maxlen = %s' % (
                    s.len_c(chk['exact-len']), s.len_c(chk['exact-len']))
            elif 'max-len' in chk:
                ent += ', .maxlen = %s' % s.len_c(chk['max-len'])
            src.append('\t[%s] = { %s },' % (s.aname(name, a['name']), ent))
        src += ['};', '']
        src.append('static const char *const %s_names[%s + 1] = {' % (
            pol[:-len('_policy')], mx))
        for a in st['attributes']:
            src.append('\t[%s] = "%s",' % (s.aname(name, a['name']),
                                           a['name']))
        src += ['};', '']
    hdr += ['', '/* The sets, by name; the set nested in each attribute '
            'of the main set. */',
            'extern const struct gnl_set %s_sets[];' % s.fam,
            'extern const struct gnl_set *const %s_nests[%s + 1];' % (
                s.fam, s.amax_name(s.fam)),
            'extern const char *const %s_cmd_names[%s + 1];' % (
                s.fam, c_name(s.y['operations']['name-prefix']) + 'MAX'),
            '', '#endif /* GOSSIPADM_NL_GEN_H */']
    src.append('const struct gnl_set %s_sets[] = {' % s.fam)
    idx = {}
    for name, st in s.sets.items():
        if 'subset-of' in st:
            continue
        idx[name] = len(idx)
        base = '%s_%s' % (s.fam, low(name)) if name != s.fam else s.fam
        src.append('\t{ "%s", %s_names, %s },' % (name, base,
                                                  s.amax_name(name)))
    src += ['\t{ NULL, NULL, 0 },', '};', '']
    src.append('const struct gnl_set *const %s_nests[%s + 1] = {' % (
        s.fam, s.amax_name(s.fam)))
    src.append('\t[0] = &%s_sets[%d],' % (s.fam, idx[s.fam]))
    for a in s.sets[s.fam]['attributes']:
        if a['type'] == 'nest':
            nest = s.base(a['nested-attributes'])['name']
            src.append('\t[%s] = &%s_sets[%d],' % (
                s.aname(s.fam, a['name']), s.fam, idx[nest]))
    src += ['};', '']
    src.append('const char *const %s_cmd_names[%s + 1] = {' % (
        s.fam, c_name(s.y['operations']['name-prefix']) + 'MAX'))
    for op in s.ops:
        src.append('\t[%s] = "%s",' % (s.cmd(op['name']), op['name']))
    src.append('};')
    return hdr, src


# ---- the fake kernel --------------------------------------------------

def python(s):
    out = header('', 'py')
    out += ['"""The names and numbers of the gossip family, and its sets."""',
            '', 'FAMILY = %r' % s.fam, 'VERSION = 2', '',
            '# C name -> value: constants, enums, commands, attributes',
            'E = {']
    for name, c in s.consts.items():
        out.append('    %r: %d,' % (c_name(s.fam + '-' + name), c['value']))
    for e in s.enums:
        pfx = c_name(s.fam + '-' + e['name']) + '_'
        n = e.get('value-start', 0)
        for ent in e['entries']:
            ent = ent if isinstance(ent, dict) else {'name': ent}
            out.append('    %r: %d,' % (pfx + c_name(ent['name']), n))
            n += 1
        out.append('    %r: %d,' % (pfx + 'MAX', n - 1))
    for name, st in s.sets.items():
        if 'subset-of' in st:
            continue
        for a in st['attributes']:
            out.append('    %r: %d,' % (s.aname(name, a['name']), a['value']))
        out.append('    %r: %d,' % (s.amax_name(name),
                                    st['attributes'][-1]['value']))
    for op in s.ops:
        out.append('    %r: %d,' % (s.cmd(op['name']), op['value']))
    out += ['}', '', '# set -> attribute name -> (type, value, nested set)',
            'SETS = {']
    for name, st in s.sets.items():
        out.append('    %r: {' % name)
        for a in s.attrs(name):
            out.append('        %r: (%r, %d, %r),' % (
                a['name'], a['type'], a['value'],
                s.base(a['nested-attributes'])['name']
                if 'nested-attributes' in a else None))
        out.append('    },')
    out += ['}', '', '# op -> (value, attribute set)', 'OPS = {']
    for op in s.ops:
        out.append('    %r: (%d, %r),' % (op['name'], op['value'],
                                           op['attribute-set']))
    out += ['}', '']
    return out


def outputs(s):
    khdr, ksrc = kernel(s)
    thdr, tsrc = tools(s)
    return {
        'include/uapi/linux/gossip.h': uapi(s),
        'kmod/netlink-gen.h': khdr,
        'kmod/netlink-gen.c': ksrc,
        'tools/nl-gen.h': thdr,
        'tools/nl-gen.c': tsrc,
        'tools/test/gossip_spec.py': python(s),
    }


def main():
    check = '--check' in sys.argv[1:]
    s = Spec(os.path.join(ROOT, SPEC))
    bad = 0
    for path, lines in outputs(s).items():
        text = '\n'.join(lines) + '\n'
        text = re.sub(r'\n{3,}', '\n\n', text)
        full = os.path.join(ROOT, path)
        old = open(full).read() if os.path.exists(full) else ''
        if old == text:
            continue
        if check:
            bad += 1
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), text.splitlines(True),
                'a/' + path, 'b/' + path))
        else:
            with open(full, 'w') as f:
                f.write(text)
            print('netlink-gen: wrote ' + path)
    if bad:
        print('netlink-gen: %d generated file(s) differ from %s: run '
              'make netlink-gen' % (bad, SPEC), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
