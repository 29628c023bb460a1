#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""Write tests/dataplane/test_worker_vectors.h: the frames test_worker.c needs
beyond dp_vectors.h (later replies of a session, other destinations).

Built with gen_dp_vectors.py's helpers, so that both headers share one
independent oracle (addresses, T1 = .25, T2 = .50, T3 = .75, EE 8587):

    python3 tests/dataplane/test_worker_vectors.py > tests/dataplane/test_worker_vectors.h
"""

import contextlib
import importlib
import io
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
with contextlib.redirect_stdout(io.StringIO()):  # it prints dp_vectors.h when imported
    v = importlib.import_module("gen_dp_vectors")

out = []


def emit(name, data, comment):
    out.append("/* %s */" % comment)
    out.append("static const uint8_t %s[%d] = {" % (name, len(data)))
    for i in range(0, len(data), 12):
        out.append("\t" + " ".join("0x%02x," % b for b in data[i:i + 12]))
    out.append("};")
    out.append("")


def emit2(name, frames, comment):
    n = len(frames[0])
    assert all(len(f) == n for f in frames)
    out.append("/* %s */" % comment)
    out.append("static const uint8_t %s[%d][%d] = {" % (name, len(frames), n))
    for f in frames:
        out.append("\t{")
        for i in range(0, n, 12):
            out.append("\t\t" + " ".join("0x%02x," % b for b in f[i:i + 12]))
        out.append("\t},")
    out.append("};")
    out.append("")


S41 = v.SENDER41
for seq in (1, 2):
    emit("w_v4_twamp41_seq%d_out" % seq, v.v4_frame(v.twamp_reply(S41, seq, 64), reply=True),
         "v4_twamp41_out as the session's reply number %d (reflector seq %d)" % (seq + 1, seq))
emit("w_v4_twamp14_seq1_out", v.v4_frame(v.twamp_reply(S41[:14], 1, 64), reply=True),
     "v4_twamp14_out as the session's second reply (seq 1)")
for seq in (1, 2):
    emit("w_v6_twamp41_seq%d_out" % seq, v.v6_frame(v.twamp_reply(S41, seq, 64), reply=True),
         "v6_twamp41_out as the session's reply number %d (reflector seq %d)" % (seq + 1, seq))
emit("w_v6_twamp14_in", v.v6_frame(S41[:14]), "IPv6 14-octet sender (76-octet frame, no padding)")
emit("w_v6_twamp14_out", v.v6_frame(v.twamp_reply(S41[:14], 0, 64), reply=True),
     "grown to the 41-octet reply, Hop Limit 255")

light7 = struct.pack("!I", 7) + S41[4:]
emit("w_v4_light_stateful3_out",
     v.v4_frame(v.twamp_reply(light7, 3, 64), dport=v.LIGHT_PORT, reply=True, tos=0x28),
     "v4_light_in answered by a stateful flow whose counter stands at 3")

# Another Session-Sender on the same link: 198.18.0.5 port 40000.
IP4_S2 = bytes([198, 18, 0, 5])
light9 = struct.pack("!I", 9) + S41[4:]
emit("w_v4_light_s2_in",
     v.eth(v.MAC_R, v.MAC_S, 0x0800,
           v.ipv4(IP4_S2, v.IP4_R, v.udp(IP4_S2, v.IP4_R, 40000, v.LIGHT_PORT, light9))),
     "TWAMP-Light from 198.18.0.5:40000 to 198.18.0.2:862, seq 9, TOS 0")
emit("w_v4_light_s2_out",
     v.eth(v.MAC_S, v.MAC_R, 0x0800,
           v.ipv4(v.IP4_R, IP4_S2, v.udp(v.IP4_R, IP4_S2, v.LIGHT_PORT, 40000,
                                         v.twamp_reply(light9, 9, 64)), ttl=255)),
     "its stateless reply: seq 9 copied")

emit("w_v4_light_s2_stateful0_out",
     v.eth(v.MAC_S, v.MAC_R, 0x0800,
           v.ipv4(v.IP4_R, IP4_S2, v.udp(v.IP4_R, IP4_S2, v.LIGHT_PORT, 40000,
                                         v.twamp_reply(light9, 0, 64)), ttl=255)),
     "its reply from a stateful port: the sender's own flow, seq 0")
st_in = v.stamp_sender(1, 0x1234, v.tlv(0x80, 1, bytes(8)))
emit("w_v4_stamp_stateful0_out",
     v.v4_frame(v.stamp_reply(st_in, 0, 64, v.tlv(0x00, 1, bytes(8))), dport=v.LIGHT_PORT,
                reply=True),
     "v4_stamp_in answered by a new stateful flow: seq 0")

# Nine senders 198.18.0.1:40001..40009 (flow table of 8), seq 1000 + i.
NFLOWS = 9
fin, fout = [], []
for i in range(NFLOWS):
    sp = 40001 + i
    pk = struct.pack("!I", 1000 + i) + S41[4:]
    fin.append(v.v4_frame(pk, sport=sp, dport=v.LIGHT_PORT))
    fout.append(v.v4_frame(v.twamp_reply(pk, 0, 64), sport=sp, dport=v.LIGHT_PORT, reply=True))
emit2("w_v4_flows_in", fin, "TWAMP-Light to 862 from ports 40001..40009, seq 1000 + i")
emit2("w_v4_flows_out", fout, "their replies from a stateful port: each flow's seq 0")

emit("w_v4_udp7777_in", v.v4_frame(S41, dport=7777),
     "UDP to 198.18.0.2:7777: one of our addresses, no reflector or session there")
IP4_OTHER = bytes([198, 18, 0, 77])
emit("w_v4_not_ours_in",
     v.eth(v.MAC_R, v.MAC_S, 0x0800,
           v.ipv4(v.IP4_S, IP4_OTHER, v.udp(v.IP4_S, IP4_OTHER, v.SPORT, v.LIGHT_PORT, light7))),
     "TWAMP-Light to 198.18.0.77:862: not one of the reflector's addresses")

# NAT (twr_nat.h): the sender's packets after a port-rewriting NAT (198.18.0.1:40001),
# and a third host (198.18.0.5:40000), to the managed session's Receiver Port.
emit("w_v4_twamp41_napt_in", v.v4_frame(S41, sport=40001),
     "TWAMP 41-octet sender from 198.18.0.1:40001 (port rewritten by a NAT)")
for seq in (0, 1):
    emit("w_v4_twamp41_napt_seq%d_out" % seq,
         v.v4_frame(v.twamp_reply(S41, seq, 64), sport=40001, reply=True),
         "its reply from a session latched to 198.18.0.1:40001, reflector seq %d" % seq)
emit("w_v4_twamp41_s2_in",
     v.eth(v.MAC_R, v.MAC_S, 0x0800,
           v.ipv4(IP4_S2, v.IP4_R, v.udp(IP4_S2, v.IP4_R, 40000, v.TWAMP_PORT, S41))),
     "TWAMP 41-octet sender from a third host, 198.18.0.5:40000")

print("""/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Generated by test_worker_vectors.py (beside this file): do not edit, rerun
 *     python3 tests/dataplane/test_worker_vectors.py > tests/dataplane/test_worker_vectors.h
 *
 * Same conventions as dp_vectors.h (addresses, ports, T1 = .25, T2 = .50,
 * T3 = .75, Error Estimate 8587).
 */

#ifndef TWR_TEST_WORKER_VECTORS_H
#define TWR_TEST_WORKER_VECTORS_H

#include <stdint.h>

/* clang-format off */
""")
print("\n".join(out))
print("/* clang-format on */")
print("")
print("#endif /* TWR_TEST_WORKER_VECTORS_H */")
