#!/usr/bin/env python3
"""DNS fault server for the live-check tests (standard library only, UDP and TCP, loopback only).

The behaviour comes from the first label after `_vlmcs._tcp.` in the query name (`servfail.fault.test`
-> SERVFAIL). Unknown labels answer one SRV record. A queries for `kms1.*` answer host 1 of the
listening address's /24 (where the tests run their KMS responder).
Labels: ok servfail refused notimp formerr nxdomain nodata tc slow300 slow700 garbage badid drop malformed
otherowner (an SRV record owned by _vlmcs._tcp.elsewhere.test).
"""
import argparse
import os
import socket
import socketserver
import struct
import threading
import time

RCODES = {"servfail": 2, "refused": 5, "notimp": 4, "formerr": 1, "nxdomain": 3}
PREFIX = b"\x06_vlmcs\x04_tcp"
KMS_ADDR = "127.0.0.1"  # host 1 of the listening address's /24, set in main()


def parse_question(msg):
    """Returns (id, flags, qname labels, qtype, end of question) or None."""
    if len(msg) < 12:
        return None
    qid, flags, qd = struct.unpack(">HHH", msg[:6])
    if qd < 1:
        return None
    labels, at = [], 12
    while at < len(msg) and msg[at] != 0:
        n = msg[at]
        labels.append(msg[at + 1:at + 1 + n].decode("ascii", "replace").lower())
        at += 1 + n
    at += 1
    if at + 4 > len(msg):
        return None
    qtype = struct.unpack(">H", msg[at:at + 2])[0]
    return qid, flags, labels, qtype, at + 4


def name(text):
    out = b""
    for part in text.split("."):
        out += bytes([len(part)]) + part.encode()
    return out + b"\x00"


def reply(msg, rcode=0, answers=(), tc=False, qid_shift=0):
    qid, flags, _labels, _qtype, end = parse_question(msg)
    rd = flags & 0x0100
    out_flags = 0x8400 | rd | rcode | (0x0200 if tc else 0)
    header = struct.pack(">HHHHHH", (qid + qid_shift) & 0xFFFF, out_flags, 1, len(answers), 0, 0)
    return header + msg[12:end] + b"".join(answers)


def srv_rr(prio, weight, port, target):
    rdata = struct.pack(">HHH", prio, weight, port) + name(target)
    return b"\xc0\x0c" + struct.pack(">HHIH", 33, 1, 0, len(rdata)) + rdata


def srv_rr_of(owner, prio, weight, port, target):
    rdata = struct.pack(">HHH", prio, weight, port) + name(target)
    return name(owner) + struct.pack(">HHIH", 33, 1, 0, len(rdata)) + rdata


def a_rr(addr):
    return b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 0, 4) + socket.inet_aton(addr)


def answer(msg, over_tcp):
    """Returns (delay seconds, reply bytes or None for silence)."""
    q = parse_question(msg)
    if q is None:
        return 0, None
    _qid, _flags, labels, qtype, _end = q
    if labels[:2] != ["_vlmcs", "_tcp"]:
        if qtype == 1 and labels and labels[0] == "kms1":
            return 0, reply(msg, answers=[a_rr(KMS_ADDR)])
        return 0, reply(msg, rcode=0 if labels and labels[0] == "kms1" else 3)
    label = labels[2] if len(labels) > 2 else "ok"
    zone = ".".join(labels[3:]) or "fault.test"
    ok = [srv_rr(0, 100, 1688, "kms1." + zone)]
    if label in RCODES:
        return 0, reply(msg, rcode=RCODES[label])
    if label == "nodata":
        return 0, reply(msg)
    if label == "tc":
        many = [srv_rr(i, 10, 1688, "kms-long-target-name-%02d.%s" % (i, zone)) for i in range(40)]
        return 0, reply(msg, answers=many) if over_tcp else reply(msg, tc=True)
    if label.startswith("slow"):
        return int(label[4:]) / 1000.0, reply(msg, answers=ok)
    if label == "garbage":
        return 0, os.urandom(7)
    if label == "badid":
        return 0, reply(msg, answers=ok, qid_shift=1)
    if label == "drop":
        return 0, None
    if label == "otherowner":  # the record of another domain, not the one asked for
        return 0, reply(msg, answers=[srv_rr_of("_vlmcs._tcp.elsewhere.test", 0, 100, 1688, "kms1." + zone)])
    if label == "malformed":
        return 0, reply(msg, answers=[ok[0][:-6]])  # record cut short inside its rdata
    return 0, reply(msg, answers=ok)


class Udp(socketserver.ThreadingMixIn, socketserver.UDPServer):
    daemon_threads = True
    allow_reuse_address = True


class Tcp(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class UdpHandler(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        delay, out = answer(data, False)
        if delay:
            time.sleep(delay)
        if out is not None:
            sock.sendto(out, self.client_address)


class TcpHandler(socketserver.BaseRequestHandler):
    def handle(self):
        head = self.request.recv(2)
        if len(head) < 2:
            return
        size = struct.unpack(">H", head)[0]
        data = b""
        while len(data) < size:
            chunk = self.request.recv(size - len(data))
            if not chunk:
                return
            data += chunk
        delay, out = answer(data, True)
        if delay:
            time.sleep(delay)
        if out is None:
            time.sleep(30)
            return
        self.request.sendall(struct.pack(">H", len(out)) + out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid-file")
    p.add_argument("--max-seconds", type=float, default=600)
    a = p.parse_args()
    if not a.addr.startswith("127."):
        raise SystemExit("fakedns: loopback addresses only")
    global KMS_ADDR
    KMS_ADDR = a.addr.rsplit(".", 1)[0] + ".1"
    udp, tcp = Udp((a.addr, a.port), UdpHandler), Tcp((a.addr, a.port), TcpHandler)
    for s in (udp, tcp):
        threading.Thread(target=s.serve_forever, daemon=True).start()
    if a.pid_file:
        with open(a.pid_file + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.replace(a.pid_file + ".tmp", a.pid_file)
    time.sleep(a.max_seconds)  # never outlive a harness that forgot to stop us


if __name__ == "__main__":
    main()
