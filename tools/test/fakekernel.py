#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A fake of gossip.ko's generic netlink side, for testing gossipadm where
the module cannot be loaded. It listens on a SOCK_SEQPACKET Unix socket
that fakenl.so (LD_PRELOAD) connects gossipadm's netlink socket to, and
answers like the kernel would: nlctrl family lookups, acks and errors with
extack TLVs (capped or not), dumps ending in NLMSG_DONE, and notifications
on the "events" group.

    fakekernel.py SOCKET_PATH [--no-family] [--intr N] [--dump-error]
                              [--no-cap] [--miss]

--no-family   the family "gossip" does not exist (module not loaded)
--intr N      the first N entry dumps are marked NLM_F_DUMP_INTR
--dump-error  entry dumps end with -EIO and an extack message
--no-cap      ignore NETLINK_CAP_ACK: errors echo the whole request
--miss        a publish is refused as if its entry had no key: the error
              says only NLMSGERR_ATTR_MISS_TYPE and _MISS_NEST

The names, numbers and types of the family come from gossip_spec.py,
generated from the spec (scripts/netlink-gen.py).
"""
import argparse
import errno
import os
import selectors
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gossip_spec import E, SETS, VERSION  # noqa: E402

NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK = 1, 2, 4
NLM_F_DUMP_INTR, NLM_F_DUMP = 0x10, 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 1, 10, 11
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY = 1, 2, 4
NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MISS_NEST = 5, 6
FAKENL_SOCKOPT = 0x7ff0
GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, CTRL_CMD_GETFAMILY = 0x10, 1, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_VERSION, CTRL_ATTR_MCAST_GROUPS = 3, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
FAMILY, GROUP = 0x22, 7
NLA_F_NESTED = 0x8000


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack('=HH', n, t) + payload + b'\0' * (-n & 3)


def u8(t, v):
    return attr(t, struct.pack('=B', v))


def u16(t, v):
    return attr(t, struct.pack('=H', v))


def u32(t, v):
    return attr(t, struct.pack('=I', v))


def u64(t, v):
    return attr(t, struct.pack('=Q', v))


def nest(t, *attrs):
    return attr(t | NLA_F_NESTED, b''.join(attrs))


INT = {'u8': '=B', 'u16': '=H', 'u32': '=I', 'u64': '=Q'}


def put(set_name, name, v):
    """An attribute of the set, encoded as the spec says its type is."""
    typ, t, _ = SETS[set_name][name]
    return attr(t, struct.pack(INT[typ], v) if typ in INT else v)


def get(set_name, name, raw):
    typ = SETS[set_name][name][0]
    return struct.unpack(INT[typ], raw)[0] if typ in INT else raw


def parse_attrs(buf):
    out = {}
    while len(buf) >= 4:
        n, t = struct.unpack_from('=HH', buf)
        if n < 4:
            break
        out[t & 0x3fff] = buf[4:n]
        buf = buf[(n + 3) & ~3:]
    return out


def nests_flagged(buf):
    """Strict validation: every nest carries NLA_F_NESTED."""
    nests = [t for typ, t, _ in SETS['gossip'].values() if typ == 'nest']
    while len(buf) >= 4:
        n, t = struct.unpack_from('=HH', buf)
        if n < 4:
            break
        if t & 0x3fff in nests and not t & NLA_F_NESTED:
            return False
        buf = buf[(n + 3) & ~3:]
    return True


def nlmsg(mtype, flags, seq, pid, payload):
    return struct.pack('=IHHII', 16 + len(payload), mtype, flags, seq,
                       pid) + payload


def genl(cmd, attrs, mtype=FAMILY, flags=0, seq=0, pid=0):
    return nlmsg(mtype, flags, seq, pid,
                 struct.pack('=BBH', cmd, VERSION, 0) + b''.join(attrs))


class Error(Exception):
    """An error, maybe about the attribute at (nest, type) of the request
    and with the bounds (MIN, MAX, 'value' or 'length') of its policy."""

    def __init__(self, err, msg=None, at=None, bounds=None, miss=None):
        super().__init__(msg)
        self.err, self.msg, self.at, self.bounds = err, msg, at, bounds
        self.miss = miss        # (nest type or 0, missing type)


def attr_offsets(req):
    """{(nest type, type): offset in req} for attributes and nested ones."""
    out = {}

    def walk(off, end, nest):
        while off + 4 <= end:
            n, t = struct.unpack_from('=HH', req, off)
            if n < 4:
                break
            out[(nest, t & 0x3fff)] = off
            if t & NLA_F_NESTED:
                walk(off + 4, off + n, t & 0x3fff)
            off += (n + 3) & ~3
    walk(20, len(req), 0)
    return out


def nth_offset(req, top, i):
    """Offset in req of the i-th attribute in the top-level nest top."""
    off = attr_offsets(req).get((0, top))
    if off is None:
        return None
    end = off + struct.unpack_from('=H', req, off)[0]
    off += 4
    while off + 4 <= end:
        n = struct.unpack_from('=H', req, off)[0]
        if n < 4:
            break
        if i == 0:
            return off
        i -= 1
        off += (n + 3) & ~3
    return None


def split_attrs(buf):
    """The payloads of the attributes of buf, in order, repeats kept."""
    out = []
    while len(buf) >= 4:
        n, t = struct.unpack_from('=HH', buf)
        if n < 4:
            break
        out.append((t & 0x3fff, buf[4:n]))
        buf = buf[(n + 3) & ~3:]
    return out


def policy(bounds):
    lo, hi, kind = bounds
    if kind == 'value':
        return nest(NLMSGERR_ATTR_POLICY, u64(4, lo), u64(5, hi))
    # like the kernel, a length of at least 0 has no minimum
    return nest(NLMSGERR_ATTR_POLICY, *([u32(6, lo)] if lo else []),
                u32(7, hi))


class Conn:
    def __init__(self, sock):
        self.sock, self.ext_ack, self.cap_ack = sock, False, False
        self.groups = set()

    def ack(self, req, err=0, msg=None, at=None, bounds=None, miss=None):
        mtype, flags = struct.unpack_from('=IHH', req)[1:]
        seq, pid = struct.unpack_from('=II', req, 8)
        rflags = 0
        echo = req[:16] if self.cap_ack or not err else req
        if self.cap_ack:
            rflags |= NLM_F_CAPPED
        payload = struct.pack('=i', -err) + echo
        if msg and self.ext_ack:
            rflags |= NLM_F_ACK_TLVS
            payload += attr(NLMSGERR_ATTR_MSG, msg.encode() + b'\0')
            off = nth_offset(req, at[1], at[2]) \
                if at and at[0] == 'nth' else attr_offsets(req).get(at)
            if off is not None:
                payload += u32(NLMSGERR_ATTR_OFFS, off)
            if bounds:
                payload += policy(bounds)
        if miss and self.ext_ack:
            rflags |= NLM_F_ACK_TLVS
            payload += u32(NLMSGERR_ATTR_MISS_TYPE, miss[1])
            off = attr_offsets(req).get((0, miss[0]))
            if miss[0] and off is not None:
                payload += u32(NLMSGERR_ATTR_MISS_NEST, off)
        return nlmsg(NLMSG_ERROR, rflags, seq, pid, payload)


class Kernel:
    def __init__(self, opts):
        self.opts = opts
        self.intr_left = opts.intr
        self.cfg = {'mode': 1, 'fanout': 3, 'interval-ms': 200,
                    'port': 7946, 'node-id': 1, 'max-dgram': 1400,
                    'eager': 1, 'max-skew-ms': 60000}
        self.running = 0
        self.peers = []
        self.entries = {}
        self.keys = []          # ids, the primary first
        self.label = b''
        self.conns = []

    # notifications
    def notify(self, cmd, attrs):
        msg = genl(cmd, attrs)
        for c in self.conns:
            if GROUP in c.groups:
                c.sock.send(msg)

    def cfg_attrs(self):
        out = [put('gossip', name, v) for name, v in self.cfg.items()]
        return out + [put('gossip', 'running', self.running),
                      put('gossip', 'label', self.label),
                      put('gossip', 'auth', 1 if self.keys else 0)]

    def entry_attrs(self, key):
        value, origin, version = self.entries[key]
        return nest(E['GOSSIP_A_ENTRY'],
                    attr(E['GOSSIP_ENTRY_A_KEY'], key),
                    attr(E['GOSSIP_ENTRY_A_VALUE'], value),
                    u32(E['GOSSIP_ENTRY_A_ORIGIN'], origin),
                    u64(E['GOSSIP_ENTRY_A_VERSION'], version),
                    u64(E['GOSSIP_ENTRY_A_STAMP_NS'], 5000 + version),
                    put('entry', 'deleted', 0))

    def peer_attrs(self, p, state=()):
        addr, port = p
        t = E['GOSSIP_PEER_A_ADDR4'] if len(addr) == 4 else \
            E['GOSSIP_PEER_A_ADDR6']
        return nest(E['GOSSIP_A_PEER'], attr(t, addr),
                    u16(E['GOSSIP_PEER_A_PORT'], port), *state)

    # commands: return a list of reply attribute lists
    def do_config_get(self, a):
        return [self.cfg_attrs()]

    LIMITS = {'fanout': (1, 16), 'interval-ms': (1, 60000),
              'max-dgram': (1200, 65000), 'mode': (1, 3),
              'node-id': (1, 2**32 - 1), 'port': (1, 65535),
              'eager': (0, 1), 'max-skew-ms': (1, 86400000),
              # not in the defaults above: shown once set
              'tombstone-ms': (10, 86400000), 'lockstep': (0, 1),
              'store-bytes': (4096, 2**26), 'reject-rate': (0, 1000000)}

    def do_config_set(self, a):
        new = dict(self.cfg)
        for name, (lo, hi) in self.LIMITS.items():
            typ, t, _ = SETS['gossip'][name]
            raw = a.get(t)
            if raw is None:
                continue
            if len(raw) != struct.calcsize(INT[typ]):
                raise Error(errno.ERANGE, 'invalid attribute length',
                            (0, t))
            v = get('gossip', name, raw)
            if name == 'mode' and v != 1:
                raise Error(errno.EOPNOTSUPP,
                            'only mode push is implemented so far')
            if not lo <= v <= hi:
                raise Error(errno.ERANGE, 'integer out of range',
                            (0, t), (lo, hi, 'value'))
            new[name] = v
        label = a.get(E['GOSSIP_A_LABEL'])
        if label is not None and len(label) > E['GOSSIP_LABEL_MAX']:
            raise Error(errno.ERANGE, 'binary attribute size out of range',
                        (0, E['GOSSIP_A_LABEL']),
                        (0, E['GOSSIP_LABEL_MAX'], 'length'))
        if label is not None:
            self.label = label
        self.cfg = new
        self.notify(E['GOSSIP_CMD_CONFIG_SET'], self.cfg_attrs())
        return []

    def do_instance_up(self, a, running=1):
        if self.running == running:
            raise Error(errno.EALREADY, 'the instance is already %s' %
                        ('up' if running else 'down'))
        self.running = running
        self.notify(E['GOSSIP_CMD_INSTANCE_UP'] if running else
                    E['GOSSIP_CMD_INSTANCE_DOWN'], self.cfg_attrs())
        return []

    def do_instance_down(self, a):
        return self.do_instance_up(a, 0)

    def parse_one_peer(self, buf):
        p = parse_attrs(buf)
        addr = p.get(E['GOSSIP_PEER_A_ADDR4'], p.get(E['GOSSIP_PEER_A_ADDR6']))
        port = struct.unpack('=H', p[E['GOSSIP_PEER_A_PORT']])[0]
        if port == 0:
            raise Error(errno.EINVAL, 'peer port must not be 0')
        return (addr, port)

    def parse_peers(self, a):
        """The peers of a request: its PEER, or the nests of its PEERS."""
        if E['GOSSIP_A_PEERS'] in a:
            items = split_attrs(a[E['GOSSIP_A_PEERS']])
            if not items:
                raise Error(errno.EINVAL, 'empty peer list')
            return [self.parse_one_peer(b) for _, b in items]
        if E['GOSSIP_A_PEER'] not in a:
            raise Error(errno.EINVAL, 'missing peer')
        return [self.parse_one_peer(a[E['GOSSIP_A_PEER']])]

    def peer_change(self, a, cmd):
        """All of the peers or none, as the module; an error names the
        one refused."""
        ps = self.parse_peers(a)
        for i, p in enumerate(ps):
            err = None
            if p in ps[:i]:
                err = (errno.EINVAL, 'peer listed twice')
            elif cmd == 'add' and p in self.peers:
                err = (errno.EEXIST, 'peer already configured')
            elif cmd == 'del' and p not in self.peers:
                err = (errno.ENOENT, 'no such peer')
            if err:
                at = ('nth', E['GOSSIP_A_PEERS'], i) \
                    if E['GOSSIP_A_PEERS'] in a else None
                raise Error(*err, at=at)
        for p in ps:
            if cmd == 'add':
                self.peers.append(p)
            else:
                self.peers.remove(p)
            self.notify(E['GOSSIP_CMD_PEER_ADD' if cmd == 'add' else
                          'GOSSIP_CMD_PEER_DEL'], [self.peer_attrs(p)])
        return []

    def do_peer_add(self, a):
        return self.peer_change(a, 'add')

    def do_peer_del(self, a):
        return self.peer_change(a, 'del')

    def peer_state_attrs(self, i):
        """What the module saw of the i-th peer: placeholders, the first
        peer silent (no datagram, no digest yet), the second a link of the
        eager tree."""
        out = [u64(E['GOSSIP_PEER_A_RX_DGRAMS'], 10 * i),
               u64(E['GOSSIP_PEER_A_RX_BYTES'], 1000 * i),
               u64(E['GOSSIP_PEER_A_TX_DGRAMS'], 10 * i + 5),
               u64(E['GOSSIP_PEER_A_TX_BYTES'], 1000 * i + 500),
               u64(E['GOSSIP_PEER_A_AUTH_FAILS'], i // 2),
               put('peer', 'tree', int(i == 1))]
        if i:
            out += [u64(E['GOSSIP_PEER_A_LAST_RX_MS'], 61000 * i - 59000),
                    put('peer', 'answered', i % 2)]
        return out

    def dump_peer_get(self, a):
        return [[self.peer_attrs(p, self.peer_state_attrs(i))]
                for i, p in enumerate(self.peers)]

    def key_attrs(self, kid):
        return nest(E['GOSSIP_A_AUTHKEY'], put('authkey', 'id', kid),
                    put('authkey', 'primary',
                        int(bool(self.keys) and self.keys[0] == kid)))

    def parse_authkey(self, a):
        if E['GOSSIP_A_AUTHKEY'] not in a:
            raise Error(errno.EINVAL, 'gossip: missing key')
        k = parse_attrs(a[E['GOSSIP_A_AUTHKEY']])
        if E['GOSSIP_AUTHKEY_A_ID'] not in k:
            raise Error(errno.EINVAL, 'missing key id')
        return k[E['GOSSIP_AUTHKEY_A_ID']][0], k

    def do_authkey_add(self, a):
        kid, k = self.parse_authkey(a)
        secret = k.get(E['GOSSIP_AUTHKEY_A_SECRET'])
        if secret is None:
            raise Error(errno.EINVAL, 'missing key secret')
        if len(secret) != E['GOSSIP_SECRET_LEN']:
            raise Error(errno.ERANGE, 'binary attribute size out of range',
                        (E['GOSSIP_A_AUTHKEY'], E['GOSSIP_AUTHKEY_A_SECRET']),
                        (32, 32, 'length'))
        if kid in self.keys:
            raise Error(errno.EEXIST,
                        'gossip: a key with this id exists already')
        if len(self.keys) >= E['GOSSIP_AUTHKEYS_MAX']:
            raise Error(errno.ENOSPC, 'gossip: key table is full (4 keys)')
        self.keys.append(kid)
        self.notify(E['GOSSIP_CMD_AUTHKEY_ADD'], [self.key_attrs(kid)])
        return []

    def known_key(self, a):
        kid, _ = self.parse_authkey(a)
        if kid not in self.keys:
            raise Error(errno.ENOENT, 'gossip: no key with this id')
        return kid

    def do_authkey_use(self, a):
        kid = self.known_key(a)
        self.keys.remove(kid)
        self.keys.insert(0, kid)
        self.notify(E['GOSSIP_CMD_AUTHKEY_USE'], [self.key_attrs(kid)])
        return []

    def do_authkey_del(self, a):
        kid = self.known_key(a)
        if self.keys[0] == kid and len(self.keys) > 1:
            raise Error(errno.EBUSY, 'gossip: the key is in use: use '
                        'another key first')
        self.keys.remove(kid)
        self.notify(E['GOSSIP_CMD_AUTHKEY_DEL'], [self.key_attrs(kid)])
        return []

    def dump_authkey_get(self, a):
        return [[self.key_attrs(k)] for k in self.keys]

    def parse_entry(self, a):
        e = parse_attrs(a.get(E['GOSSIP_A_ENTRY'], b''))
        key = e.get(E['GOSSIP_ENTRY_A_KEY'], b'')
        self.check_len(key, 'KEY', 1, E['GOSSIP_KEY_MAX'])
        return key, e

    def check_len(self, data, name, lo, hi):
        if not lo <= len(data) <= hi:
            raise Error(errno.ERANGE, 'binary attribute size out of range',
                        (E['GOSSIP_A_ENTRY'], E['GOSSIP_ENTRY_A_' + name]),
                        (lo, hi, 'length'))

    def do_entry_publish(self, a):
        if self.opts.miss:
            raise Error(errno.EINVAL, miss=(E['GOSSIP_A_ENTRY'],
                                            E['GOSSIP_ENTRY_A_KEY']))
        key, e = self.parse_entry(a)
        value = e.get(E['GOSSIP_ENTRY_A_VALUE'], b'')
        self.check_len(value, 'VALUE', 0, E['GOSSIP_VALUE_MAX'])
        version = self.entries.get(key, (0, 0, 0))[2] + 1
        self.entries[key] = (value, self.cfg['node-id'], version)
        self.notify(E['GOSSIP_CMD_ENTRY_PUBLISH'], [self.entry_attrs(key)])
        return []

    def do_entry_get(self, a):
        key, _ = self.parse_entry(a)
        if key not in self.entries:
            raise Error(errno.ENOENT, 'no entry with this key')
        return [[self.entry_attrs(key)]]

    def dump_entry_get(self, a):
        if self.opts.dump_error:
            raise Error(errno.EIO, 'the store is on fire')
        return [[self.entry_attrs(k)] for k in sorted(self.entries)]

    def do_stats_get(self, a):
        names = [n for n in E if n.startswith('GOSSIP_STATS_A_')
                 and not n.endswith(('UNSPEC', 'MAX', 'PAD'))]
        stats = [attr(E['GOSSIP_STATS_A_PAD'], b'')]
        stats += [u64(E[n], 1000 + E[n]) for n in names]
        stats.append(u64(E['GOSSIP_STATS_A_MAX'] + 1, 42))
        return [[nest(E['GOSSIP_A_STATS'], *stats)]]

    # framing
    def ctrl(self, conn, req, body):
        a = parse_attrs(body[4:])
        name = a.get(CTRL_ATTR_FAMILY_NAME, b'').rstrip(b'\0')
        if name != b'gossip' or self.opts.no_family:
            return [conn.ack(req, errno.ENOENT)]
        seq, pid = struct.unpack_from('=II', req, 8)
        grp = nest(1, attr(CTRL_ATTR_MCAST_GRP_NAME, b'events\0'),
                   u32(CTRL_ATTR_MCAST_GRP_ID, GROUP))
        return [genl(CTRL_CMD_NEWFAMILY,
                     [u16(CTRL_ATTR_FAMILY_ID, FAMILY),
                      attr(CTRL_ATTR_FAMILY_NAME, b'gossip\0'),
                      u32(CTRL_ATTR_VERSION, VERSION),
                      nest(CTRL_ATTR_MCAST_GROUPS, grp)],
                     mtype=GENL_ID_CTRL, seq=seq, pid=pid),
                conn.ack(req)]

    def dump_done(self, conn, seq, pid, err=None):
        payload, flags = struct.pack('=i', -err.err if err else 0), NLM_F_MULTI
        if err and conn.ext_ack:
            flags |= NLM_F_ACK_TLVS
            payload += attr(NLMSGERR_ATTR_MSG, err.msg.encode() + b'\0')
        return nlmsg(NLMSG_DONE, flags, seq, pid, payload)

    def dump(self, conn, req, name, a):
        seq, pid = struct.unpack_from('=II', req, 8)
        cmd = req[16]
        try:
            replies = getattr(self, 'dump_' + name)(a)
        except Error as err:
            return [self.dump_done(conn, seq, pid, err)]
        intr = name == 'entry_get' and self.intr_left > 0
        if intr:
            self.intr_left -= 1
        msgs = [genl(cmd, r, flags=NLM_F_MULTI |
                     (NLM_F_DUMP_INTR if intr and i == len(replies) - 1
                      else 0), seq=seq, pid=pid)
                for i, r in enumerate(replies)]
        # several messages a datagram, like the kernel fills an skb
        out = [b''.join(msgs[i:i + 3]) for i in range(0, len(msgs), 3)]
        return out + [self.dump_done(conn, seq, pid)]

    def handle(self, conn, req):
        mtype, flags = struct.unpack_from('=IHH', req)[1:]
        seq, pid = struct.unpack_from('=II', req, 8)
        if mtype == FAKENL_SOCKOPT:
            name, value = struct.unpack_from('=ii', req, 16)
            if name == NETLINK_ADD_MEMBERSHIP:
                conn.groups.add(value)
                print('joined', value, flush=True)
            elif name == NETLINK_EXT_ACK:
                conn.ext_ack = bool(value)
            elif name == NETLINK_CAP_ACK:
                conn.cap_ack = bool(value) and not self.opts.no_cap
            return []
        body = req[16:]
        if mtype == GENL_ID_CTRL:
            return self.ctrl(conn, req, body)
        if mtype != FAMILY:
            return [conn.ack(req, errno.EOPNOTSUPP)]
        cmd, version = body[0], body[1]
        names = {v: k[len('GOSSIP_CMD_'):].lower() for k, v in E.items()
                 if k.startswith('GOSSIP_CMD_') and not k.endswith('MAX')}
        name = names.get(cmd, 'unknown')
        a = parse_attrs(body[4:])
        if version != VERSION:
            return [conn.ack(req, errno.EINVAL, 'bad version')]
        if not nests_flagged(body[4:]):
            return [conn.ack(req, errno.EINVAL, 'NLA_F_NESTED is missing')]
        if flags & NLM_F_DUMP == NLM_F_DUMP:
            if not hasattr(self, 'dump_' + name):
                return [conn.ack(req, errno.EOPNOTSUPP)]
            return self.dump(conn, req, name, a)
        if not hasattr(self, 'do_' + name):
            return [conn.ack(req, errno.EOPNOTSUPP)]
        try:
            replies = getattr(self, 'do_' + name)(a)
        except Error as err:
            return [conn.ack(req, err.err, err.msg, err.at, err.bounds,
                             err.miss)]
        out = [genl(cmd, r, seq=seq, pid=pid) for r in replies]
        if flags & NLM_F_ACK:
            out.append(conn.ack(req))
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('path')
    ap.add_argument('--no-family', action='store_true')
    ap.add_argument('--intr', type=int, default=0)
    ap.add_argument('--dump-error', action='store_true')
    ap.add_argument('--no-cap', action='store_true')
    ap.add_argument('--miss', action='store_true')
    ap.add_argument('--nul-entry', action='store_true')
    opts = ap.parse_args()
    k = Kernel(opts)
    if opts.nul_entry:  # what the CLI cannot publish, the network can
        k.entries[b'bin'] = (b'a\0b', 9, 1)
        k.entries[b'plain'] = (b'ok', 9, 2)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    srv.bind(opts.path)
    srv.listen(16)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    print('ready', flush=True)
    while True:
        for key, _ in sel.select():
            if key.fileobj is srv:
                s, _ = srv.accept()
                conn = Conn(s)
                k.conns.append(conn)
                sel.register(s, selectors.EVENT_READ, conn)
                continue
            conn = key.data
            req = conn.sock.recv(1 << 20)
            if not req:
                sel.unregister(conn.sock)
                k.conns.remove(conn)
                conn.sock.close()
                continue
            for out in k.handle(conn, req):
                conn.sock.send(out)


if __name__ == '__main__':
    main()
