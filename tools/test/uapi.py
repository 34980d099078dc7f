# SPDX-License-Identifier: GPL-2.0
"""Read the numbers of include/uapi/linux/gossip.h: #defines and enums."""
import re


def gossip_enums(path):
    text = re.sub(r'/\*.*?\*/', '', open(path).read(), flags=re.S)
    out = {}
    for name, value in re.findall(r'#define\s+(GOSSIP_\w+)\s+(\d+)', text):
        out[name] = int(value)
    for body in re.findall(r'enum\s+\w+\s*{(.*?)}', text, flags=re.S):
        n = 0
        for item in body.replace('\n', ' ').split(','):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition('=')
            name, expr = name.strip(), expr.strip()
            if expr:
                m = re.fullmatch(r'(\w+)\s*-\s*1', expr)
                n = out[m.group(1)] - 1 if m else int(expr)
            out[name] = n
            n += 1
    return out
