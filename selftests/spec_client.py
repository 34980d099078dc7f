#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
A generic netlink client built only from the YAML spec: it knows no
command, attribute or number of the gossip family but what
Documentation/netlink/specs/gossip.yaml says (python3 stdlib + yaml, no
pyroute2). It resolves the family and its groups through nlctrl, encodes
any operation's request from attribute names and decodes any reply,
dump or notification back into names.

    spec_client.py do OP [JSON]     one request; print each reply, JSON
    spec_client.py dump OP          every message of a dump, JSON lines
    spec_client.py listen GROUP N   join GROUP, print "listening", then
                                    N notifications

JSON attributes: {"name": value}; a nest is an object, an attribute that
repeats in a nest a list ({"peers": {"peer": [{...}, {...}]}}). Binary
attributes are strings: an IP address where the spec's display-hint says
ipv4/ipv6, "hex:..." for raw bytes, otherwise UTF-8 text. Errors print
"errno NAME: extack message" and, for a missing attribute, its name and
set from NLMSGERR_ATTR_MISS_TYPE/_NEST; the exit status is 1.
"""
import errno
import ipaddress
import json
import os
import socket
import struct
import sys

import yaml

SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                    'Documentation', 'netlink', 'specs', 'gossip.yaml')

# netlink and nlctrl, from include/uapi/linux/{netlink,genetlink}.h
NETLINK_GENERIC, NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK = 16, 1, 11
NETLINK_CAP_ACK = 10
SOL_NETLINK = 270
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MISS_NEST = 5, 6
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_VERSION = 1, 2, 3
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLA_F_NESTED, NLA_TYPE_MASK = 0x8000, 0x3fff

INT = {'u8': '=B', 'u16': '=H', 'u32': '=I', 'u64': '=Q',
       's32': '=i', 's64': '=q'}


class NlError(Exception):
    def __init__(self, err, msg='', miss=None):
        super().__init__(msg)
        self.err, self.msg, self.miss = err, msg, miss

    def __str__(self):
        out = 'errno %s' % errno.errorcode.get(self.err, self.err)
        if self.msg:
            out += ': ' + self.msg
        if self.miss:
            out += ': missing attribute %s (%s)' % self.miss
        return out


def nla(t, payload):
    n = 4 + len(payload)
    return struct.pack('=HH', n, t) + payload + b'\0' * (-n & 3)


def nla_iter(buf):
    while len(buf) >= 4:
        n, t = struct.unpack_from('=HH', buf)
        if n < 4 or n > len(buf):
            return
        yield t & NLA_TYPE_MASK, buf[4:n]
        buf = buf[(n + 3) & ~3:]


class Spec:
    """The spec, read once: sets by name, attributes by name and value."""

    def __init__(self, path=SPEC):
        self.y = yaml.safe_load(open(path))
        self.name = self.y['name']
        self.sets = {s['name']: s for s in self.y['attribute-sets']}
        for s in self.sets.values():
            if 'subset-of' in s:
                continue
            n = 1
            for a in s['attributes']:
                n = a.get('value', n)
                a['value'] = n
                n += 1
        self.ops, n = {}, 1
        for op in self.y['operations']['list']:
            n = op.get('value', n)
            op['value'] = n
            self.ops[op['name']] = op
            n += 1
        self.consts = {d['name']: d['value']
                       for d in self.y.get('definitions', [])
                       if d['type'] == 'const'}

    def attr(self, set_name, name):
        s = self.sets[set_name]
        base = self.sets[s.get('subset-of', set_name)]
        full = next((dict(a) for a in base['attributes']
                     if a['name'] == name), None)
        if full is None or (s is not base and not any(
                a['name'] == name for a in s['attributes'])):
            raise KeyError('no attribute %s in set %s' % (name, set_name))
        for a in s['attributes']:
            if a['name'] == name:
                full.update(a)
        return full

    def by_value(self, set_name, value):
        s = self.sets[set_name]
        base = self.sets[s.get('subset-of', set_name)]
        for a in base['attributes']:
            if a['value'] == value:
                return self.attr(base['name'], a['name'])
        return None

    def op_by_value(self, value):
        return next((op for op in self.ops.values()
                     if op['value'] == value), None)

    # encoding
    def encode(self, set_name, attrs):
        out = b''
        for name, v in attrs.items():
            a = self.attr(set_name, name)
            for one in (v if isinstance(v, list) else [v]):
                out += self.encode_one(a, one)
        return out

    def encode_one(self, a, v):
        t = a['type']
        if t in INT:
            return nla(a['value'], struct.pack(INT[t], v))
        if t == 'nest':
            return nla(a['value'] | NLA_F_NESTED,
                       self.encode(a['nested-attributes'], v))
        if t == 'flag':
            return nla(a['value'], b'')
        if t == 'binary':
            return nla(a['value'], self.encode_bin(a, v))
        raise ValueError('cannot encode %s of type %s' % (a['name'], t))

    @staticmethod
    def encode_bin(a, v):
        if a.get('display-hint') in ('ipv4', 'ipv6'):
            return ipaddress.ip_address(v).packed
        if v.startswith('hex:'):
            return bytes.fromhex(v[4:])
        return v.encode()

    # decoding
    def decode(self, set_name, buf):
        out = {}
        for t, payload in nla_iter(buf):
            a = self.by_value(set_name, t)
            if a is None:
                out.setdefault('unknown', []).append(t)
                continue
            v = self.decode_one(a, payload)
            if a['name'] in out:
                if not isinstance(out[a['name']], list):
                    out[a['name']] = [out[a['name']]]
                out[a['name']].append(v)
            else:
                out[a['name']] = v
        return out

    def decode_one(self, a, payload):
        t = a['type']
        if t in INT:
            return struct.unpack(INT[t], payload)[0]
        if t == 'nest':
            return self.decode(a['nested-attributes'], payload)
        if t == 'flag':
            return True
        if t == 'pad':
            return None
        if a.get('display-hint') in ('ipv4', 'ipv6'):
            return str(ipaddress.ip_address(payload))
        try:
            text = payload.decode()
            if text.isprintable():
                return text
        except UnicodeDecodeError:
            pass
        return 'hex:' + payload.hex()


class Client:
    def __init__(self, spec):
        self.spec = spec
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0
        self.family, self.version, self.groups = self.resolve()

    def send(self, mtype, flags, cmd, version, payload):
        self.seq += 1
        body = struct.pack('=BBH', cmd, version, 0) + payload
        self.last = struct.pack('=IHHII', 16 + len(body), mtype,
                                flags | NLM_F_REQUEST, self.seq, 0) + body
        self.sock.send(self.last)

    def messages(self):
        """(type, flags, payload) of each message until the ack or done."""
        while True:
            data = self.sock.recv(1 << 20)
            while len(data) >= 16:
                n, mtype, flags, seq, _ = struct.unpack_from('=IHHII', data)
                payload, data = data[16:n], data[(n + 3) & ~3:]
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from('=i', payload)[0]
                    if err:
                        raise self.error(err, flags, payload)
                    return
                if mtype == NLMSG_DONE:
                    err = -struct.unpack_from('=i', payload)[0]
                    if err:
                        raise NlError(err)
                    return
                yield mtype, flags, payload

    def error(self, err, flags, payload):
        """The error's extack: its message, a missing attribute's name."""
        # struct nlmsgerr: the error, then the request's header (capped)
        off = 4 + 16
        msg, miss = '', None
        tlv = dict(nla_iter(payload[off:])) if flags & NLM_F_ACK_TLVS else {}
        if NLMSGERR_ATTR_MSG in tlv:
            msg = tlv[NLMSGERR_ATTR_MSG].rstrip(b'\0').decode()
        if NLMSGERR_ATTR_MISS_TYPE in tlv:
            mt = struct.unpack('=I', tlv[NLMSGERR_ATTR_MISS_TYPE])[0]
            set_name = self.req_set
            if NLMSGERR_ATTR_MISS_NEST in tlv:
                noff = struct.unpack('=I', tlv[NLMSGERR_ATTR_MISS_NEST])[0]
                t = struct.unpack_from('=H', self.last, noff + 2)[0]
                nest = self.spec.by_value(set_name, t & NLA_TYPE_MASK)
                set_name = nest['nested-attributes']
            a = self.spec.by_value(set_name, mt)
            base = self.spec.sets[set_name].get('subset-of', set_name)
            miss = (a['name'] if a else str(mt), base)
        return NlError(err, msg, miss)

    def resolve(self):
        self.req_set = None
        self.send(GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY, 1,
                  nla(CTRL_ATTR_FAMILY_NAME, self.spec.name.encode() + b'\0'))
        family, version, groups = None, None, {}
        for _, _, payload in self.messages():
            a = dict(nla_iter(payload[4:]))
            family = struct.unpack('=H', a[CTRL_ATTR_FAMILY_ID])[0]
            version = struct.unpack('=I', a[CTRL_ATTR_VERSION])[0]
            for _, g in nla_iter(a.get(CTRL_ATTR_MCAST_GROUPS, b'')):
                g = dict(nla_iter(g))
                groups[g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b'\0').decode()] = \
                    struct.unpack('=I', g[CTRL_ATTR_MCAST_GRP_ID])[0]
        return family, version, groups

    def request(self, op_name, attrs, dump=False):
        op = self.spec.ops[op_name]
        self.req_set = op['attribute-set']
        payload = self.spec.encode(op['attribute-set'], attrs or {})
        self.send(self.family, NLM_F_DUMP if dump else NLM_F_ACK,
                  op['value'], self.version, payload)
        return [self.decode_msg(p) for _, _, p in self.messages()]

    def decode_msg(self, payload):
        op = self.spec.op_by_value(payload[0])
        # replies are in the op's set, or the main one they are a subset of
        set_name = op['attribute-set'] if op else self.spec.name
        set_name = self.spec.sets[set_name].get('subset-of', set_name)
        return {'op': op['name'] if op else payload[0],
                'attrs': self.spec.decode(set_name, payload[4:])}

    def listen(self, group, count):
        self.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                             self.groups[group])
        print('listening', flush=True)
        out = []
        while len(out) < count:
            data = self.sock.recv(1 << 20)
            while len(data) >= 16 and len(out) < count:
                n, mtype = struct.unpack_from('=IH', data)
                if mtype == self.family:
                    out.append(self.decode_msg(data[16:n]))
                data = data[(n + 3) & ~3:]
        return out


def main(argv):
    if len(argv) < 2 or argv[0] not in ('do', 'dump', 'listen'):
        sys.exit(__doc__)
    spec = Spec()
    c = Client(spec)
    try:
        if argv[0] == 'listen':
            msgs = c.listen(argv[1], int(argv[2]))
        else:
            attrs = json.loads(argv[2]) if len(argv) > 2 else {}
            msgs = c.request(argv[1], attrs, argv[0] == 'dump')
    except NlError as e:
        print('spec_client: %s: %s' % (argv[1], e), file=sys.stderr)
        return 1
    for m in msgs:
        print(json.dumps(m, sort_keys=True), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
