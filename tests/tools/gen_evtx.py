#!/usr/bin/env python3
"""Writes deterministic EVTX (Windows event log) files with KMS events, for tests and benchmarks.

The files are laid out the way Windows writes them: a 4 KiB file header, 64 KiB chunks, records
whose binary XML is a TemplateInstance of an Event template (Provider, Channel and Computer literal;
EventID, Level, TimeCreated, EventRecordID, ... substitutions) whose EventData is a second template
carried in a BinXml substitution. Each template and each element name is defined once per chunk
(resident at its first use) and referenced by chunk offset afterwards. Every binary XML document ends
with an EndOfStream token after the substitution values. File and chunk CRC32s are correct.

Mixes: client (Application: 12288/12289 exchanges, 8198, 12293), host (Key Management Service: 12290),
types (one event per record with a named <Data> of every substitution value type, arrays included),
app (one client's Application log: ordinary noise with about 2 % KMS events; --computer names it),
shapes (System elements of several shapes: substituted or literal values, nulls, bad values, arrays),
host-fleet (a KMS host's log for --clients clients over --months months: healthy clients renew every
7 days, a --failing fraction is refused and retries every 2 hours; --records is ignored).
template-bomb (hostile: --records tiny records, each instantiating a tree of nested templates that
--fanout and --depth make expand to fanout^depth instances).
Damage: --flip OFFSET (xor 0xFF, repeatable), --truncate BYTES. --exact-end pads the last record of
each full chunk so it ends exactly at byte 65,536 of the chunk. --dirty N leaves the file as a copy
taken while the service was writing: the header's dirty flag set, and the last N records of the last
chunk past its free-space offset, with the chunk's and the file's counts (and checksum) stale.

Standard library only; the same arguments always give the same bytes.
"""

import argparse
import functools
import heapq
import random
import struct
import sys
import time
import uuid
import zlib

CHUNK = 65536
FILE_HEADER = 4096
CHUNK_HEADER = 512
EPOCH_DELTA = 11644473600  # seconds from 1601-01-01 to 1970-01-01
BASE_TIME = 1709280000  # 2024-03-01T08:00:00Z

# Value types (substitution descriptors).
NULL, STRING, ANSI, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64 = range(0x0B)
REAL32, REAL64, BOOL, BINARY, GUID, SIZET, FILETIME, SYSTIME, SID, HEXINT32, HEXINT64 = range(0x0B, 0x16)
BINXML = 0x21
ARRAY = 0x80

SPP = ("Microsoft-Windows-Security-SPP", "{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}")
EVENT_NS = "http://schemas.microsoft.com/win/2004/08/events/event"


def u8(v):
    return struct.pack("<B", v)


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def u64(v):
    return struct.pack("<Q", v)


def utf16(text):
    return text.encode("utf-16-le")


def filetime(unix_seconds, hundred_ns=0):
    return (unix_seconds + EPOCH_DELTA) * 10_000_000 + hundred_ns


def name_hash(text):
    h = 0
    for (unit,) in struct.iter_unpack("<H", utf16(text)):
        h = (h * 65599 + unit) & 0xFFFFFFFF
    return h & 0xFFFF


def guid_bytes(text):
    return uuid.UUID(text.strip("{}")).bytes_le


def sid_bytes(text):
    parts = [int(p) for p in text.split("-")[1:]]
    revision, authority, subs = parts[0], parts[1], parts[2:]
    return u8(revision) + u8(len(subs)) + authority.to_bytes(6, "big") + b"".join(u32(s) for s in subs)


# Template body specs: ("el", name, [attrs], [children]); attrs are (name, value);
# values/children are ("text", str) or ("sub", index, type, optional).
def el(name, attrs=(), children=()):
    return ("el", name, list(attrs), list(children))


def text(value):
    return ("text", value)


def sub(index, vtype, optional=False):
    return ("sub", index, vtype, optional)


def event_template(provider, source, channel, computer):
    name, guid = provider
    provider_attrs = [("Name", text(name))]
    if guid:  # classic providers (Application Error, MsiInstaller) have none
        provider_attrs.append(("Guid", text(guid)))
    if source:
        provider_attrs.append(("EventSourceName", text(source)))
    return el("Event", [("xmlns", text(EVENT_NS))], [
        el("System", [], [
            el("Provider", provider_attrs),
            el("EventID", [("Qualifiers", sub(8, UINT16, True))], [sub(9, UINT16)]),
            el("Version", [], [sub(10, UINT8)]),
            el("Level", [], [sub(0, UINT8)]),
            el("Task", [], [sub(1, UINT16)]),
            el("Opcode", [], [sub(2, UINT8)]),
            el("Keywords", [], [sub(3, HEXINT64)]),
            el("TimeCreated", [("SystemTime", sub(4, FILETIME))]),
            el("EventRecordID", [], [sub(5, UINT64)]),
            el("Correlation"),
            el("Execution", [("ProcessID", sub(6, UINT32)), ("ThreadID", sub(7, UINT32))]),
            el("Channel", [], [text(channel)]),
            el("Computer", [], [text(computer)]),
            el("Security", [("UserID", sub(11, SID, True))]),
        ]),
        sub(12, BINXML),
    ])


def data_template(items):
    """items: list of (Name or None, type, optional)."""
    children = []
    for i, (name, vtype, optional) in enumerate(items):
        tag = "Binary" if name == "#binary" else "Data"
        attrs = [("Name", text(name))] if name and tag == "Data" else []
        children.append(el(tag, attrs, [sub(i, vtype, optional)]))
    return el("EventData", [], children)


class Chunk:
    """Tracks what one chunk already defines (names, templates) and where."""

    def __init__(self):
        self.names = {}  # name -> offset of its definition
        self.templates = {}  # key -> (template id, offset)
        self.template_ids = {}

    def snapshot(self):
        return dict(self.names), dict(self.templates)

    def restore(self, snap):
        self.names, self.templates = dict(snap[0]), dict(snap[1])


class Writer:
    """Binary XML bytes at a known chunk offset (offsets inside the chunk are absolute)."""

    def __init__(self, chunk, base):
        self.chunk = chunk
        self.base = base
        self.out = bytearray()

    def pos(self):
        return self.base + len(self.out)

    def name(self, name):
        offset = self.chunk.names.get(name)
        if offset is None:  # first use in this chunk: the name follows inline
            offset = self.pos() + 4
            self.chunk.names[name] = offset
            self.out += u32(offset) + u32(0) + u16(name_hash(name)) + u16(len(name)) + utf16(name) + u16(0)
        else:
            self.out += u32(offset)

    def value(self, node, more=False):
        if node[0] == "text":
            self.out += u8(0x05) + u8(STRING) + u16(len(node[1])) + utf16(node[1])
        else:
            _, index, vtype, optional = node
            self.out += u8(0x0E if optional else 0x0D) + u16(index) + u8(vtype)

    def element(self, node):
        _, name, attrs, children = node
        start = len(self.out)
        self.out += u8(0x41 if attrs else 0x01) + u16(0xFFFF) + u32(0)  # data size patched below
        self.name(name)
        if attrs:
            size_at = len(self.out)
            self.out += u32(0)
            for i, (attr_name, attr_value) in enumerate(attrs):
                self.out += u8(0x46 if i + 1 < len(attrs) else 0x06)
                self.name(attr_name)
                self.value(attr_value)
            self.out[size_at:size_at + 4] = u32(len(self.out) - size_at - 4)
        if children:
            self.out += u8(0x02)
            for child in children:
                if child[0] == "el":
                    self.element(child)
                else:
                    self.value(child)
            self.out += u8(0x04)
        else:
            self.out += u8(0x03)
        self.out[start + 3:start + 7] = u32(len(self.out) - start - 7)

    def template_instance(self, key, body, values):
        """values: list of (type, bytes) or (BINXML, builder(chunk, offset) -> bytes)."""
        chunk = self.chunk
        if key not in chunk.template_ids:
            chunk.template_ids[key] = 0x1000 + len(chunk.template_ids)
        tid = chunk.template_ids[key]
        known = chunk.templates.get(key)
        header_end = self.pos() + 10
        self.out += u8(0x0C) + u8(0x01) + u32(tid) + u32(known[1] if known else header_end)
        if not known:
            chunk.templates[key] = (tid, header_end)
            guid = u32(tid) + uuid.UUID(int=tid * 7919).bytes_le[4:]
            self.out += u32(0) + guid
            size_at = len(self.out)
            self.out += u32(0)
            body_start = len(self.out)
            self.out += b"\x0f\x01\x01\x00"
            self.element(body)
            self.out += u8(0x00)
            self.out[size_at:size_at + 4] = u32(len(self.out) - body_start)
        # Substitution array: descriptors, then values (a BinXml value is built where it lands).
        values_at = self.pos() + 4 + 4 * len(values)
        blobs = []
        for vtype, data in values:
            if callable(data):
                data = data(values_at + sum(len(b) for b in blobs))
            blobs.append(data)
        self.out += u32(len(values))
        for (vtype, _), blob in zip(values, blobs):
            self.out += u16(len(blob)) + u8(vtype) + u8(0)
        for blob in blobs:
            self.out += blob


def fragment(chunk, offset, key, body, values):
    w = Writer(chunk, offset)
    w.out += b"\x0f\x01\x01\x00"
    w.template_instance(key, body, values)
    w.out += u8(0x00)  # EndOfStream after the substitution values (libfwevt requires it)
    return bytes(w.out)


class Event:
    def __init__(self, provider, source, channel, computer, event_id, qualifiers, level, data, sid=None):
        self.provider, self.source, self.channel, self.computer = provider, source, channel, computer
        self.event_id, self.qualifiers, self.level = event_id, qualifiers, level
        self.data = data  # list of (Name or None, type, bytes, optional)
        self.sid = sid

    def record_bytes(self, chunk, offset, record_id, when):
        outer_key = ("event", self.provider, self.source, self.channel, self.computer)
        inner_key = ("data", tuple((n, t, o) for n, t, _, o in self.data))
        inner_body = data_template([(n, t, o) for n, t, _, o in self.data])

        def event_data(at):
            return fragment(chunk, at, inner_key, inner_body, [(t, b) for _, t, b, _ in self.data])

        values = [
            (UINT8, u8(self.level)), (UINT16, u16(0)), (UINT8, u8(0)), (HEXINT64, u64(0x80000000000000)),
            (FILETIME, u64(when)), (UINT64, u64(record_id)), (UINT32, u32(0)), (UINT32, u32(0)),
            (UINT16, u16(self.qualifiers)), (UINT16, u16(self.event_id)), (UINT8, u8(0)),
            (SID, sid_bytes(self.sid)) if self.sid else (NULL, b""),
            (BINXML, event_data),
        ]
        body = event_template(self.provider, self.source, self.channel, self.computer)
        binxml = fragment(chunk, offset + 24, outer_key, body, values)
        size = 24 + len(binxml) + 4
        return b"**\x00\x00" + u32(size) + u64(record_id) + u64(when) + binxml + u32(size)


def s(text_value):
    return utf16(text_value)


def client_event(rng, i, host):
    machine = "PC-%03d" % (i // 6 % 40)
    cmid = str(uuid.UUID(int=rng.getrandbits(128)))
    act = "ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03"
    stamp = "2024/03/%02d %02d:%02d" % (1 + i // 2000 % 28, i // 60 % 24, i % 60)
    kind = i % 12
    if kind == 10:  # an activation failure reported by slui
        data = [(None, STRING, s("hr=0xC004F074"), False),
                (None, STRING, s("RuleId=31e71c49-8da7-4a2f-ad92-45d98a1c79ba;Action=AutoActivate;"
                                 "AppId=55c92734-d682-4d71-983e-d6ec3f16059f;SkuId=%s;NotificationInterval=1440;"
                                 "Trigger=NetworkAvailable;SessionId=1" % act), False)]
        return Event(SPP, "Software Protection Platform Service", "Application", machine, 8198, 49152, 2, data,
                     sid="S-1-5-18")
    if kind == 11:
        data = [(None, STRING, s("0x80072338"), False), (None, STRING, s("corp.example"), False)]
        return Event(SPP, "Software Protection Platform Service", "Application", host, 12293, 49152, 2, data)
    if kind % 2 == 0:
        payload = "0x00000000, 0x00000000, %s:1688, %s, %s, 1, 5, 0, %s, 25" % (host, cmid, stamp, act)
        data = [(None, STRING, s(payload), False), ("#binary", BINARY, bytes(rng.getrandbits(8) for _ in range(32)), True)]
        return Event(SPP, "Software Protection Platform Service", "Application", machine, 12288, 16384, 4, data)
    payload = "0x00000000, 0x00000000, 1, 0, %d, 120, 10080, %s" % (10 + i % 50, stamp)
    return Event(SPP, "Software Protection Platform Service", "Application", machine, 12289, 16384, 4,
                 [(None, STRING, s(payload), False), ("#binary", BINARY, b"", True)])


def host_event(rng, i, host):
    cmid = str(uuid.UUID(int=rng.getrandbits(128)))
    parts = ["0x0", "25", "PC-%03d.corp.example" % (i % 40), cmid, "2024/3/1 %d:%02d" % (i // 60 % 24, i % 60),
             str(i % 2), "2", "43200", "ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03"]
    return host_request_event(host, parts)


def host_request_event(host, parts):
    """A 12290 as Windows logs it: the comma-joined payload in Data[0], then each field on its own."""
    data = [(None, STRING, s(",".join(parts)), False)] + [(None, STRING, s(p), False) for p in parts]
    return Event(SPP, "KmsRequests", "Key Management Service", host, 12290, 16384, 4, data)


WIN_ENT = "73111121-5638-40f6-bc11-f1d7b0d64300"  # Windows 10/11 Enterprise, N-policy 25
RENEWAL, RETRY = 7 * 86400, 2 * 3600  # activated clients renew weekly; refused ones retry every 2 hours
GRACE_MINUTES = 43200  # the 30-day initial grace a refused client burns down


def fleet_requests(clients, months, failing, seed):
    """Every request a KMS host receives from `clients` clients over `months` 30-day months, in time
    order, as dicts of the 12290 fields. Client k is refused (0xC004F015, still in initial grace) when
    k is among the first `failing` fraction; the others are accepted. Shared with the XML generator
    (tests/bench/gen_event_xml.py), so both formats describe the same fleet."""
    rng = random.Random(seed)
    end = BASE_TIME + months * 30 * 86400
    refused = round(clients * failing)
    fleet = []
    heap = []
    for k in range(clients):
        fleet.append(("PC-%05d.corp.example" % k, str(uuid.UUID(int=rng.getrandbits(128))), "1" if k % 3 == 0 else "0"))
        first = BASE_TIME + rng.randrange(RETRY if k < refused else RENEWAL)
        heap.append((first, k, first))
    heapq.heapify(heap)
    while heap:
        when, k, first = heapq.heappop(heap)
        if when >= end:
            continue
        name, cmid, vm = fleet[k]
        if k < refused:
            hr, status, minutes, step = "0xC004F015", "2", max(0, GRACE_MINUTES - (when - first) // 60), RETRY
        else:
            hr, status, minutes, step = "0x0", "1", 259200 - rng.randrange(10080), RENEWAL
        yield {"time": when, "hr": hr, "n_policy": "25", "client": name, "cmid": cmid, "vm": vm, "status": status,
               "minutes": str(minutes), "act_id": WIN_ENT}
        heapq.heappush(heap, (when + step + rng.randrange(-300, 300), k, first))


def client_time(unix_seconds):
    """12290's Client Time field: yyyy/M/d H:mm, not zero-padded."""
    t = time.gmtime(unix_seconds)
    return "%d/%d/%d %d:%02d" % (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min)


def host_fleet(clients, months, failing, seed, host):
    for r in fleet_requests(clients, months, failing, seed):
        parts = [r["hr"], r["n_policy"], r["client"], r["cmid"], client_time(r["time"]), r["vm"], r["status"],
                 r["minutes"], r["act_id"]]
        yield host_request_event(host, parts), filetime(r["time"], r["time"] * 7919 % 10_000_000)


APP_NOISE = [
    # provider, source, event id, qualifiers, level, Data values ("#binary" entries carry bytes)
    (SPP, "Software Protection Platform Service", 16384, 16384, 4, ["2124-03-01T08:00:00Z", "RulesEngine"]),
    (SPP, "Software Protection Platform Service", 1003, 16384, 4, ["55c92734-d682-4d71-983e-d6ec3f16059f", ""]),
    (SPP, "Software Protection Platform Service", 903, 16384, 4, []),
    (("Application Error", None), None, 1000, 0, 2,
     ["svchost.exe_Schedule", "10.0.22621.1", "5f3e2d1c", "ntdll.dll", "10.0.22621.2506", "a1b2c3d4", "c0000005",
      "00000000000a1234", "1f2c", "01da6b0e8c1d2e3f", "C:\\Windows\\system32\\svchost.exe",
      "C:\\Windows\\SYSTEM32\\ntdll.dll", "6c0a6a43-5d8f-4d4b-9c7e-2a1f0b9d8e7c", "", ""]),
    (("MsiInstaller", None), None, 1040, 0, 4, ["C:\\Windows\\Installer\\2f4c1.msi", "(NULL)", "(NULL)", "(NULL)",
                                                 ("#binary", b"{62363610-")]),
    (("ESENT", "{478EA8A8-00BE-4BA6-8E75-8B9DC7DB9F78}"), "ESENT", 326, 0, 4,
     ["svchost", "6132", "SRUJet: ", "C:\\Windows\\system32\\SRU\\SRUDB.dat", "0", "10.0.22621.0"]),
    (("SecurityCenter", None), None, 15, 0, 4, ["Windows Defender", "SECURITY_PRODUCT_STATE_ON"]),
    (("Microsoft-Windows-Winlogon", "{DBE9B383-7CF3-4331-91CC-A3CB16A3B538}"), None, 6003, 0, 4, ["7"]),
]


def app_event(rng, i, host, computer):
    """One client's Application log: a 12288/12289 exchange every 100 records, an 8198 every 1000, noise
    otherwise."""
    if i % 100 < 2 or i % 1000 == 2:
        kind = {0: 0, 1: 1, 2: 10}[i % 100]  # client_event's kinds: 12288, 12289, 8198
        event = client_event(rng, 12 * (i // 100) + kind, host)
        event.computer = computer
        return event
    provider, source, event_id, qualifiers, level, values = APP_NOISE[rng.randrange(len(APP_NOISE))]
    data = [("#binary", BINARY, v[1], False) if isinstance(v, tuple) else (None, STRING, s(v), False) for v in values]
    return Event(provider, source, "Application", computer, event_id, qualifiers, level, data)


def types_event(rng, i, host):
    strings = ["alpha", "beta", "gamma %d" % i]
    data = [
        ("String", STRING, s("text \u00e9\u4e2d %d" % i), False),
        ("Ansi", ANSI, b"ansi text\x00", False),
        ("Int8", INT8, struct.pack("<b", -5), False),
        ("UInt8", UINT8, u8(200), False),
        ("Int16", INT16, struct.pack("<h", -300), False),
        ("UInt16", UINT16, u16(60000), False),
        ("Int32", INT32, struct.pack("<i", -70000), False),
        ("UInt32", UINT32, u32(4000000000), False),
        ("Int64", INT64, struct.pack("<q", -5000000000), False),
        ("UInt64", UINT64, u64(18000000000000000000), False),
        ("Real64", REAL64, struct.pack("<d", 2.5), False),
        ("Bool", BOOL, u32(1), False),
        ("Guid", GUID, guid_bytes("{d02f0758-43f9-4809-9821-e84edb810cbe}"), False),
        ("FileTime", FILETIME, u64(filetime(BASE_TIME + i, 1234567)), False),
        ("SystemTime", SYSTIME, struct.pack("<8H", 2024, 3, 5, 1, 8, 9, 10, 123), False),
        ("Sid", SID, sid_bytes("S-1-5-21-1004336348-1177238915-682003330-512"), False),
        ("HexInt32", HEXINT32, u32(0xC004F074), False),
        ("HexInt64", HEXINT64, u64(0x80000000000000), False),
        ("Binary", BINARY, bytes([0xDE, 0xAD, 0xBE, 0xEF]), False),
        ("Empty", STRING, b"", True),
        ("Strings", STRING | ARRAY, b"".join(s(x) + b"\x00\x00" for x in strings), False),
        ("Numbers", UINT32 | ARRAY, u32(1) + u32(2) + u32(3), False),
    ]
    return Event(("kmsdiag-gen-types", "{0A0B0C0D-0E0F-4011-8213-141516171819}"), None, "Application", host, 4242,
                 0, 4, data)


def template_bomb(records, depth, fanout):
    """One chunk of `records` records, each a reference to template T0 whose body holds `fanout`
    instances of T1, and so on down to T`depth`: a few bytes per record that a naive decoder expands
    into fanout**depth elements. The definitions sit in the slack of the first record."""
    head = b"\x0f\x01\x01\x00"

    def instance(tid, at):  # TemplateInstance of a template defined elsewhere, empty substitution array
        return u8(0x0C) + u8(0x01) + u32(tid) + u32(at) + u32(0)

    record_binxml = len(head) + 14 + 1
    first_size = 24 + record_binxml + 4
    slack_at = CHUNK_HEADER + 24 + record_binxml  # chunk offset where the definitions start
    name_at = slack_at
    slack = bytearray(u32(0) + u16(name_hash("a")) + u16(1) + utf16("a") + u16(0))
    bodies = []
    for level in range(depth + 1):
        inner = u8(0x03) if level == depth else u8(0x02) + b"".join(
            instance(level + 1, 0) for _ in range(fanout)) + u8(0x04)
        bodies.append(head + u8(0x01) + u16(0xFFFF) + u32(4 + len(inner)) + u32(name_at) + inner + u8(0x00))
    offsets = []
    at = slack_at + len(slack)
    for body in bodies:
        offsets.append(at)
        at += 24 + len(body)
    for level, body in enumerate(bodies):  # now that every definition's offset is known
        body = bytearray(body)
        if level < depth:
            child = instance(level + 1, offsets[level + 1])
            body = body.replace(instance(level + 1, 0), child)
        slack += u32(0) + u32(level) + bytes(12) + u32(len(body)) + body
    first_size += len(slack)
    area = bytearray()
    for i in range(records):
        size = first_size if i == 0 else 24 + record_binxml + 4
        binxml = head + instance(0, offsets[0]) + u8(0x00) + (bytes(slack) if i == 0 else b"")
        area += b"**\x00\x00" + u32(size) + u64(i + 1) + u64(filetime(BASE_TIME + i)) + binxml + u32(size)
    state = {"chunk": Chunk(), "area": area, "first": 1, "last": records, "last_offset": CHUNK_HEADER}
    if CHUNK_HEADER + len(area) > CHUNK:
        sys.exit("gen_evtx: the template bomb does not fit in one chunk")
    return file_header(1, records + 1) + finish_chunk(state, False)


def make_dirty(data, behind):
    """The last chunk's last `behind` records moved past its free-space offset, as in a log copied
    while the service was appending: header counts one update behind, dirty flag set."""
    chunks = (len(data) - FILE_HEADER) // CHUNK
    at = next(FILE_HEADER + c * CHUNK for c in reversed(range(chunks))
              if data[FILE_HEADER + c * CHUNK:FILE_HEADER + c * CHUNK + 8] == b"ElfChnk\x00")
    free = struct.unpack_from("<I", data, at + 48)[0]
    starts, pos = [], CHUNK_HEADER
    while pos < free:
        starts.append(pos)
        pos += struct.unpack_from("<I", data, at + pos + 4)[0]
    if behind >= len(starts):
        sys.exit("gen_evtx: --dirty needs fewer records than the last chunk holds")
    new_free = starts[-behind]
    first_no, last_no, first_id, last_id = struct.unpack_from("<QQQQ", data, at + 8)
    struct.pack_into("<QQQQ", data, at + 8, first_no, last_no - behind, first_id, last_id - behind)
    struct.pack_into("<II", data, at + 44, starts[-behind - 1], new_free)
    struct.pack_into("<I", data, at + 52, zlib.crc32(bytes(data[at + CHUNK_HEADER:at + new_free])))
    struct.pack_into("<I", data, at + 124, zlib.crc32(bytes(data[at:at + 120]) + bytes(data[at + 128:at + 512])))
    next_no = struct.unpack_from("<Q", data, 24)[0]
    struct.pack_into("<Q", data, 24, next_no - behind)
    struct.pack_into("<I", data, 120, struct.unpack_from("<I", data, 120)[0] | 1)
    struct.pack_into("<I", data, 124, zlib.crc32(bytes(data[:120])))


def shape_body(provider_attrs, event_id, time_created, record_id, extra=()):
    """An Event template whose System element varies in the parts shapes_event changes."""
    return el("Event", [("xmlns", text(EVENT_NS))], [
        el("System", [], [
            el("Provider", provider_attrs),
            event_id,
            el("Level", [], [sub(1, UINT8)]),
            time_created,
            record_id,
            el("Channel", [], [text("Application")]),
            el("Computer", [], [sub(2, STRING)]),
        ] + list(extra)),
    ])


class ShapedEvent:
    """One of shapes_event's System shapes; substitutions: 0 provider, 1 level, 2 computer, 3 event id,
    4 time, 5 record id, 6 the shape's extra value."""

    def __init__(self, shape, i):
        self.shape, self.i = shape, i

    def record_bytes(self, chunk, offset, record_id, when):
        provider = ("App%d" % (self.i % 3), SPP[0])[self.i % 16 == 1]
        event_id = 8198 if provider == SPP[0] else 1000 + self.i % 5
        values = [(STRING, s(provider)), (UINT8, u8(4)), (STRING, s("PC-%03d" % (self.i % 7))),
                  (UINT16, u16(event_id)), (FILETIME, u64(when + 10_000_000)), (UINT64, u64(record_id)), (NULL, b"")]
        name = [("Name", sub(0, STRING))]
        eid = el("EventID", [], [sub(3, UINT16)])
        time_created = el("TimeCreated", [("SystemTime", sub(4, FILETIME))])
        rid = el("EventRecordID", [], [sub(5, UINT64)])
        extra = ()
        if self.shape == 2:  # a null optional Name: the EventSourceName names the provider
            name = [("Name", sub(0, STRING, True)), ("EventSourceName", text("Fallback Source"))]
            values[0] = (NULL, b"")
        elif self.shape == 3:  # a null optional content leaves TimeCreated out, SystemTime and all
            time_created = el("TimeCreated", [("SystemTime", sub(4, FILETIME))], [sub(6, UINT32, True)])
        elif self.shape == 4:  # the full 32-bit id, qualifiers in the high word
            eid = el("EventID", [], [sub(3, UINT32)])
            values[3] = (UINT32, u32(0x40000000 | event_id))
        elif self.shape == 5:  # a Level whose bytes do not fit its type
            values[1] = (UINT8, b"\x04\x00\x00")
        elif self.shape == 6:  # an array fills one Keywords element per item
            extra = (el("Keywords", [], [sub(6, HEXINT64 | ARRAY)]),)
            values[6] = (HEXINT64 | ARRAY, u64(1) + u64(2))
        elif self.shape == 7:  # a literal EventID and a null EventRecordID (the header's number counts)
            eid = el("EventID", [], [text("4242")])
            values[5] = (NULL, b"")
        body = shape_body(name, eid, time_created, rid, extra)
        binxml = fragment(chunk, offset + 24, ("shape", self.shape), body, values)
        size = 24 + len(binxml) + 4
        return b"**\x00\x00" + u32(size) + u64(record_id) + u64(when) + binxml + u32(size)


def shapes_event(rng, i, host):
    """System elements in the shapes the EVTX reader's template shortcut reads exactly or leaves to the
    full walk: values as substitutions or literals, null values, a full 32-bit EventID, a bad value, an
    array; every eighth event an ordinary Application one."""
    return app_event(rng, i, host, "PC-0001.corp.example") if i % 8 == 0 else ShapedEvent(i % 8, i)


MIXES = {"client": client_event, "host": host_event, "types": types_event, "app": app_event, "shapes": shapes_event}


def build(records, mix, seed, exact_end, computer="PC-0001.corp.example", clients=2000, months=12, failing=0.02,
          depth=10, fanout=4, base_time=BASE_TIME):
    host = "KMS01.corp.example"
    if mix == "template-bomb":
        return template_bomb(records, depth, fanout)
    if mix == "host-fleet":
        return build_log(host_fleet(clients, months, failing, seed, host), exact_end)
    rng = random.Random(seed)
    make = functools.partial(app_event, computer=computer) if mix == "app" else MIXES[mix]
    timed = ((make(rng, i, host), filetime(base_time + 37 * i, (i * 7919) % 10_000_000)) for i in range(records))
    return build_log(timed, exact_end)


def build_log(timed_events, exact_end=False):
    """A whole EVTX file from (Event, FILETIME) pairs in record order: the hook other generators
    (tests/tools/make_bundle.py) use to write logs of their own events."""
    chunks = []
    state = {"chunk": Chunk(), "area": bytearray(), "first": None, "last": None, "last_offset": CHUNK_HEADER}

    def close_chunk():
        if state["first"] is None:
            return
        chunks.append(finish_chunk(state, exact_end))
        state.update(chunk=Chunk(), area=bytearray(), first=None, last=None, last_offset=CHUNK_HEADER)

    records = 0
    for event, when in timed_events:
        records += 1
        record_id = records
        for attempt in range(2):
            chunk = state["chunk"]
            snap = chunk.snapshot()
            offset = CHUNK_HEADER + len(state["area"])
            data = event.record_bytes(chunk, offset, record_id, when)
            if offset + len(data) <= CHUNK:
                break
            chunk.restore(snap)
            if attempt == 1:
                sys.exit("gen_evtx: one record does not fit in a chunk")
            close_chunk()
        if state["first"] is None:
            state["first"] = record_id
        state["last"] = record_id
        state["last_offset"] = offset
        state["area"] += data
    close_chunk()
    if not chunks:  # an empty log still has one initialised chunk
        chunks.append(finish_chunk(state, False))
    return file_header(len(chunks), records + 1) + b"".join(chunks)


def finish_chunk(state, exact_end):
    area = state["area"]
    if exact_end and state["first"] is not None and CHUNK_HEADER + len(area) < CHUNK:
        # Grow the last record with slack after its EndOfStream so it ends at byte 65,536.
        slack = CHUNK - CHUNK_HEADER - len(area)
        start = state["last_offset"] - CHUNK_HEADER
        size = len(area) - start + slack
        record = area[start:-4] + b"\x00" * slack + u32(size)
        record[4:8] = u32(size)
        area[start:] = record
    first = state["first"] if state["first"] is not None else 1
    last = state["last"] if state["last"] is not None else 0xFFFFFFFFFFFFFFFF
    free = CHUNK_HEADER + len(area)
    header = bytearray(CHUNK_HEADER)
    header[0:8] = b"ElfChnk\x00"
    struct.pack_into("<QQQQ", header, 8, first, last, first, last)
    struct.pack_into("<III", header, 40, 128, state["last_offset"], free)
    struct.pack_into("<I", header, 120, 1)  # flags: chunk was written completely
    # String table (64 buckets) and template table (32 buckets): each bucket chains its entries
    # through their "next offset" fields, which readers like python-evtx walk to preload them.
    def chain(table_at, entries):
        heads = {}
        for bucket, offset in entries:
            prev = heads.get(bucket)
            if prev is None:
                struct.pack_into("<I", header, table_at + 4 * bucket, offset)
            else:
                area[prev - CHUNK_HEADER:prev - CHUNK_HEADER + 4] = u32(offset)
            heads[bucket] = offset

    chain(128, sorted((name_hash(n) % 64, off) for n, off in state["chunk"].names.items()))
    chain(384, sorted((tid % 32, off) for tid, off in state["chunk"].templates.values()))
    struct.pack_into("<I", header, 52, zlib.crc32(bytes(area)))
    struct.pack_into("<I", header, 124, zlib.crc32(bytes(header[:120]) + bytes(header[128:512])))
    return bytes(header) + bytes(area) + b"\x00" * (CHUNK - CHUNK_HEADER - len(area))


def file_header(chunk_count, next_record_id):
    h = bytearray(FILE_HEADER)
    h[0:8] = b"ElfFile\x00"
    struct.pack_into("<QQQIHHHH", h, 8, 0, chunk_count - 1, next_record_id, 128, 2, 3, FILE_HEADER, chunk_count)
    struct.pack_into("<I", h, 124, zlib.crc32(bytes(h[:120])))
    return bytes(h)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output")
    ap.add_argument("--records", type=int, default=200)
    ap.add_argument("--mix", choices=sorted(MIXES) + ["host-fleet", "template-bomb"], default="client")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--flip", type=lambda v: int(v, 0), action="append", default=[], help="xor the byte at OFFSET")
    ap.add_argument("--truncate", type=int, help="keep only the first BYTES bytes")
    ap.add_argument("--exact-end", action="store_true", help="last record of each chunk ends at byte 65,536")
    ap.add_argument("--dirty", type=int, default=0, help="leave the last N records past a stale free-space offset")
    ap.add_argument("--depth", type=int, default=10, help="template-bomb: levels of nested templates")
    ap.add_argument("--fanout", type=int, default=4, help="template-bomb: instances of the next level per body")
    ap.add_argument("--computer", default="PC-0001.corp.example", help="the machine of an app mix log")
    ap.add_argument("--base-time", type=int, default=BASE_TIME, help="unix time of the first event (not host-fleet)")
    ap.add_argument("--clients", type=int, default=2000, help="host-fleet: number of KMS clients")
    ap.add_argument("--months", type=int, default=12, help="host-fleet: 30-day months of requests")
    ap.add_argument("--failing", type=float, default=0.02, help="host-fleet: fraction of clients refused")
    args = ap.parse_args()
    data = bytearray(build(args.records, args.mix, args.seed, args.exact_end, args.computer, args.clients, args.months,
                           args.failing, args.depth, args.fanout, args.base_time))
    if args.dirty:
        make_dirty(data, args.dirty)
    for offset in args.flip:
        data[offset] ^= 0xFF
    if args.truncate is not None:
        del data[args.truncate:]
    with open(args.output, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
