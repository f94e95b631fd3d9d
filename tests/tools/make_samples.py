#!/usr/bin/env python3
"""Writes samples/: one small, believable fleet per activation story, as exported event XML.

Each case is a function that simulates a fleet (clients renewing or retrying on the real KMS timers,
a host logging 12290 for what reaches it, background noise from other providers) and returns the
files to write plus its expected findings. Output is deterministic: every case seeds its own RNG and
runs on a fixed calendar, so re-running the script reproduces samples/ byte for byte.

    python3 tests/tools/make_samples.py [--out samples]

Event shapes follow /work/shared/docs/kms-reference.md: 12288/12289 carry one <Data> with the
", "-joined payload (what real Windows writes), 12290 comes either as one ","-joined <Data> with
unpadded times or as positional <Data> (Data[0] = whole string, Data[1..9] = fields).
"""

import argparse
import json
import datetime as dt
import pathlib
import random
import shutil
import uuid
from xml.sax.saxutils import escape

NS = "http://schemas.microsoft.com/win/2004/08/events/event"
SPP = ("Microsoft-Windows-Security-SPP", "{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}")
SPP_SOURCE = "Software Protection Platform Service"
KMS_SOURCE = "KmsRequests"
KMS_CHANNEL = "Key Management Service"
WINDOWS_APP_ID = "55c92734-d682-4d71-983e-d6ec3f16059f"
OFFICE_APP_ID = "0ff1ce15-a989-479d-af46-f275c6370663"
RULE_ID = "31e71c49-8da7-4a2f-ad92-45d98a1c79ba"  # the slui rule id real 8198 events carry
OK = "0x00000000"

# Qualifiers/Level pairs of classic events.
INFO, WARNING, ERROR = ("16384", 4), ("32768", 3), ("49152", 2)

# Activation IDs (kms-reference.md section 4.7).
SKU = {
    "win-ent": "73111121-5638-40f6-bc11-f1d7b0d64300",  # Windows 10/11 Enterprise
    "win-pro": "2de67392-b7a7-462a-b1ca-108dd189f588",  # Windows 10/11 Pro
    "win-edu": "e0c42288-980c-4788-a014-c080d2e1926e",  # Windows 10/11 Education
    "win81-ent": "81671aaf-79d1-4eb1-b004-8cbbe173afea",  # Windows 8.1 Enterprise
    "win7-ent": "ae2ee509-1b34-41c0-acb7-6d4650168915",  # Windows 7 Enterprise
    "ws2022-dc": "ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03",
    "ws2022-std": "9bd77860-9b31-4b7b-96ad-2564017315bf",
    "ws2019-std": "de32eafd-aaee-4662-9444-c1befb41bde2",
    "ws2019-dc": "34e1ae55-27f8-4950-8877-7a03be5fb181",
    "ws2012r2-std": "b3ca044e-a358-4d68-9883-aaa2941aca99",
    "office2016-kms-host": "98ebfe73-2084-4c97-932c-c0cd1643bea7",
    "office2016": "d450596f-894d-49e0-966a-fd39ed4c4c64",  # Office 2016 Professional Plus
    "office2019": "85dd8b5f-eaa4-4af3-a628-cce9e77c9a03",  # Office 2019 Professional Plus
    "office2021": "fbdb3e18-a8ef-4fb3-9183-dffd60bd0984",  # Office LTSC 2021 Professional Plus
    # Retail/OEM Windows SKU ids seen in real 8198 events (kms-reference.md P1, P2): not KMS products.
    "win-retail-a": "4de7cb65-cdf1-4de9-8ae8-e3cce27b9f2c",
    "win-retail-b": "c1a197b6-ba5e-4394-b9bf-b659a6c1b873",
}
N_POLICY = {"win": 25, "ws": 5, "office": 5}
# A KMS host keeps one count for Windows (client and server) and one per Office version, and caches
# twice the threshold: the count it reports stops at 50 (Windows) or 10 (each Office version).
COUNT_CAP = {"windows": 50}
OFFICE_CAP = 10

MIN = dt.timedelta(minutes=1)
GRACE_MIN = 43200  # 30-day initial grace
VALIDITY_MIN = 259200  # 180-day KMS activation
RENEWAL = dt.timedelta(days=7)
RETRY = dt.timedelta(hours=2)


def n_policy(sku_key):
    return N_POLICY["ws" if sku_key.startswith("ws") else "office" if is_office(sku_key) else "win"]


def is_office(sku_key):
    return sku_key.startswith("office") and sku_key in COUNT_LINE


def count_line(sku_key):
    """The count a KMS host keeps for this product: one for Windows, one per Office version."""
    return COUNT_LINE.get(sku_key, "windows")


COUNT_LINE = {"office2016": "office2016", "office2019": "office2019", "office2021": "office2021"}


# ---------------------------------------------------------------------------------------------
# Event XML


class Event:
    """One event: System header fields plus EventData, rendered in wevtutil's compact form."""

    def __init__(self, time, computer, channel, provider, event_id, data, *, qualifiers=None, level=4,
                 source=None, named=False, keywords="0x80000000000000", message=None, extra_system=""):
        self.time, self.computer, self.channel = time, computer, channel
        self.provider, self.event_id, self.data = provider, event_id, data
        self.qualifiers, self.level, self.source, self.named = qualifiers, level, source, named
        self.keywords, self.message, self.extra_system = keywords, message, extra_system
        self.record_id = 0

    def xml(self, rendering):
        name, guid = self.provider
        attrs = f"Name='{name}'"
        if guid:
            attrs += f" Guid='{guid}'"
        if self.source:
            attrs += f" EventSourceName='{self.source}'"
        q = f" Qualifiers='{self.qualifiers}'" if self.qualifiers is not None else ""
        stamp = self.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.time.microsecond * 10 + self.record_id % 10:07d}Z"
        if self.named:
            body = "".join(f"<Data Name='{k}'>{escape(v)}</Data>" for k, v in self.data)
        else:
            body = "".join(f"<Data>{escape(v)}</Data>" for v in self.data)
        out = (f"<Event xmlns='{NS}'><System><Provider {attrs}/><EventID{q}>{self.event_id}</EventID>"
               f"<Version>0</Version><Level>{self.level}</Level><Task>0</Task><Opcode>0</Opcode>"
               f"<Keywords>{self.keywords}</Keywords><TimeCreated SystemTime='{stamp}'/>"
               f"<EventRecordID>{self.record_id}</EventRecordID><Correlation/>"
               f"<Execution ProcessID='0' ThreadID='0'/><Channel>{self.channel}</Channel>"
               f"<Computer>{self.computer}</Computer><Security{self.extra_system}/></System>"
               f"<EventData>{body}</EventData>")
        if rendering and self.message:
            lvl = {2: "Error", 3: "Warning", 4: "Information"}[self.level]
            msg = escape(self.message).replace("\n", "&#13;&#10;")
            out += (f"<RenderingInfo Culture='en-US'><Message>{msg}</Message><Level>{lvl}</Level>"
                    f"<Task></Task><Opcode></Opcode><Channel></Channel><Provider>{name}</Provider>"
                    f"<Keywords><Keyword>Classic</Keyword></Keywords></RenderingInfo>")
        return out + "</Event>"


class Log:
    """One exported log file of one machine."""

    def __init__(self, path, computer, channel, first_record_id):
        self.path, self.computer, self.channel = path, computer, channel
        self.first_record_id = first_record_id
        self.events = []

    def add(self, event):
        self.events.append(event)

    def render(self, shape):
        """shape: 'wevtutil' (bare events, oldest first) or 'saved' (Event Viewer save, newest first)."""
        events = sorted(self.events, key=lambda e: e.time)
        for i, e in enumerate(events):
            e.record_id = self.first_record_id + i
        if shape == "wevtutil":
            return "".join(e.xml(False) + "\r\n" for e in events)
        body = "".join(e.xml(True) for e in reversed(events))
        return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Events>{body}</Events>'


def spp_event(log, time, event_id, severity, data, message=None, source=SPP_SOURCE):
    qualifiers, level = severity
    log.add(Event(time, log.computer, log.channel, SPP, event_id, data, qualifiers=qualifiers, level=level,
                  source=source, message=message))


def fmt_client_time(t):
    return t.strftime("%Y/%m/%d %H:%M")


def fmt_host_time(t):
    return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"


# ---------------------------------------------------------------------------------------------
# Machines and the KMS exchange


class Client:
    def __init__(self, fleet, name, sku_key, *, cmid=None, installed=None, activated=None, vm=None, skew=None):
        self.fleet, self.name, self.sku_key = fleet, name, sku_key
        self.fqdn = f"{name}.{fleet.domain}"
        self.cmid = cmid or fleet.uuid()
        self.act_id = SKU[sku_key]
        self.n_policy = n_policy(sku_key)
        self.line = count_line(sku_key)
        self.app_id = OFFICE_APP_ID if is_office(sku_key) else WINDOWS_APP_ID
        self.installed = installed  # start of the initial grace period
        self.activated = activated  # last successful (re)activation
        self.vm = vm if vm is not None else (1 if sku_key.startswith("ws") else 0)
        self.skew = skew or dt.timedelta(0)  # how far this machine's clock is ahead of the true time
        self.log = None  # Application log when this client's log is part of the sample

    def state(self, t):
        """(license status, minutes to expiry) as the client reports it at true time t."""
        if self.activated is not None:
            left = VALIDITY_MIN - int((t - self.activated) / MIN)
            return (1, left) if left > 0 else (3, 0)
        left = GRACE_MIN - int((t - self.installed) / MIN)
        return (2, left) if left > 0 else (5, 0)


class Host:
    def __init__(self, fleet, name, *, log=True, positional=False):
        self.name, self.fqdn = name, f"{name}.{fleet.domain}"
        self.positional = positional
        self.log = Log(f"host/{KMS_CHANNEL}.xml", self.fqdn, KMS_CHANNEL, fleet.rng.randint(2000, 90000)) if log else None
        self.cmids = {}  # cmid -> last accepted request time: the host's Windows count window
        self.line_cmids = {}  # the same for each Office version: count line -> {cmid: time}

    def seen(self, client, t):
        (self.cmids if client.line == "windows" else self.line_cmids.setdefault(client.line, {}))[client.cmid] = t

    def count(self, t, line="windows"):
        window = t - dt.timedelta(days=30)
        cmids = self.cmids if line == "windows" else self.line_cmids.get(line, {})
        return min(COUNT_CAP.get(line, OFFICE_CAP), sum(1 for seen in cmids.values() if seen > window))

    def log_request(self, t, hr, client, status, left):
        fields = [hr, str(client.n_policy), client.fqdn, client.cmid, fmt_host_time(t + client.skew), str(client.vm),
                  str(status), str(left), client.act_id]
        joined = ",".join(fields)
        data = [joined] + fields if self.positional else [joined]
        self.log.add(Event(t, self.fqdn, KMS_CHANNEL, SPP, 12290, data, qualifiers=INFO[0], level=4, source=KMS_SOURCE,
                           message="An activation request has been processed.\nInfo:\n" + joined))


def slui_failure(client, t, hr, trigger="TimerEvent", app_id=WINDOWS_APP_ID, sku=None, session=None):
    """Event 8198: License Activation (slui.exe) failed."""
    args = (f"RuleId={RULE_ID};Action=AutoActivate;AppId={app_id};SkuId={sku or client.act_id};"
            f"NotificationInterval=1440;Trigger={trigger}")
    if session is not None:
        args += f";SessionId={session}"
    spp_event(client.log, t, 8198, ERROR, [f"hr={hr}", args],
              message=f"License Activation (slui.exe) failed with the following error code:\nhr={hr}\n"
                      f"Command-line arguments:\n{args}")


def exchange(client, host, t, *, host_hr=OK, reached=True, client_hr=None, slui_hr=None, port=1688, host_name=None):
    """One activation or renewal attempt at true time t. Returns True when the client ended activated.

    reached=False: the request never arrived (no 12290, no 12289). host_hr != OK: the host refused
    (it logs the code, the client's 12288 carries it, no 12289). Otherwise the host answers with its
    count and the client is activated when the count reaches the product's threshold.
    """
    ct = t + client.skew  # what the client's clock says
    status, left = client.state(t)
    target = f"{host_name or host.fqdn}:{port}"
    answered = reached and host_hr == OK
    if reached and host is not None:
        if host_hr == OK:
            host.seen(client, t)
        if host.log is not None:
            host.log_request(t + dt.timedelta(milliseconds=180), host_hr, client, status, left)
    activated = False
    count = 0
    if answered:
        count = host.count(t, client.line)
        activated = count >= client.n_policy
    req_hr = client_hr or (OK if answered else host_hr)
    if client.log is not None:
        payload = (f"{req_hr}, {OK}, {target}, {client.cmid}, {fmt_client_time(ct)}, {client.vm}, {status}, {left}, "
                   f"{client.act_id}, {client.n_policy}")
        spp_event(client.log, ct + dt.timedelta(milliseconds=310), 12288, INFO, [payload],
                  message="The client has sent an activation request to the key management service machine.\n"
                          "Info:\n" + payload)
        if answered:
            flags = OK if activated else "0x04000000"  # SL_VL_BINDING_ERROR_NOT_ENOUGH_COUNT
            resp = f"{OK}, {flags}, {1 if activated else 0}, 0, {count}, 120, 10080, {fmt_client_time(ct)}"
            spp_event(client.log, ct + dt.timedelta(milliseconds=420), 12289, INFO, [resp],
                      message="The client has processed an activation response from the key management service "
                              "machine.\nInfo:\n" + resp)
        if not activated:
            failure = slui_hr or ("0xC004F038" if answered else req_hr)
            slui_failure(client, ct + dt.timedelta(seconds=1, milliseconds=130), failure, app_id=client.app_id)
    if activated:
        client.activated = t
    return activated


# ---------------------------------------------------------------------------------------------
# Fleet: calendar, noise, files


class Fleet:
    def __init__(self, case, seed, domain="corp.contoso.com", end=dt.datetime(2024, 3, 15, 16, 40)):
        self.case, self.domain, self.end = case, domain, end
        self.rng = random.Random(seed)
        self.logs = []  # (Log, shape)
        self.files = []  # (path, bytes or a callable giving bytes): command output, tickets, copies of logs

    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def jitter(self, t, minutes):
        return t + dt.timedelta(seconds=self.rng.uniform(0, minutes * 60), microseconds=self.rng.randint(0, 999999))

    def client_log(self, client, shape="wevtutil"):
        client.log = Log(f"clients/{client.name}.xml", client.fqdn, "Application", self.rng.randint(5000, 400000))
        self.logs.append((client.log, shape))
        return client.log

    def host_log(self, host, shape="wevtutil"):
        self.logs.append((host.log, shape))

    def app_log(self, path, computer, shape="wevtutil"):
        log = Log(path, computer, "Application", self.rng.randint(5000, 400000))
        self.logs.append((log, shape))
        return log

    def working_times(self, start, end, every, *, servers=False):
        """Attempt times between start and end, every `every`, while the machine is switched on
        (servers always; PCs on weekdays 07:30-18:00)."""
        t = self.jitter(start, 30)
        while t < end:
            on = servers or (t.weekday() < 5 and dt.time(7, 30) <= t.time() <= dt.time(18, 0))
            if on:
                yield t
                t = self.jitter(t + every, 10)
            else:
                t = self.jitter(t + dt.timedelta(minutes=50), 20)

    def noise(self, log, start, end, n):
        """n background Application events from other providers and routine SPP housekeeping."""
        for _ in range(n):
            t = self.jitter(start, int((end - start) / MIN))
            kind = self.rng.randrange(6)
            if kind == 0:
                sid = str(self.rng.randint(1, 9))
                log.add(Event(t, log.computer, log.channel,
                              ("Microsoft-Windows-RestartManager", "{0888E5EF-9B98-4695-979D-E92CE4247224}"),
                              10000, [("RmSessionId", sid), ("UTCStartTime", t.strftime("%Y-%m-%dT%H:%M:%S.%f0Z"))],
                              named=True, keywords="0x8000000000000000", extra_system=" UserID='S-1-5-18'"))
            elif kind == 1:
                log.add(Event(t, log.computer, log.channel, ("SecurityCenter", None), 15,
                              ["Windows Defender", "SECURITY_PRODUCT_STATE_ON"], qualifiers="0", level=4))
            elif kind == 2:
                log.add(Event(t, log.computer, log.channel,
                              ("Microsoft-Windows-Winlogon", "{DBE9B383-7CF3-4331-91CC-A3CB16A3B538}"),
                              self.rng.choice([6000, 6003]), [("SubscriberName", "SessionEnv")], named=True,
                              keywords="0x8000000000000000"))
            elif kind == 3:
                restart = t + dt.timedelta(seconds=self.rng.randint(60, 86400))
                spp_event(log, t, 16384, INFO, [restart.strftime("%Y-%m-%dT%H:%M:%SZ"), "RulesEngine"])
            elif kind == 4:
                spp_event(log, t, 1003, INFO, [WINDOWS_APP_ID, "1"])
            else:
                log.add(Event(t, log.computer, log.channel, ("MsiInstaller", None), 1035,
                              ["Microsoft Edge Update", "1.3.185.17", "1033", "0", "Google LLC", "(NULL)", ""],
                              qualifiers="0", level=4))

    def service_start(self, log, t, version):
        spp_event(log, t, 900, INFO, ["<explicit>"])
        spp_event(log, t + dt.timedelta(milliseconds=640), 902, INFO, [version])

    def input_pins(self):
        """`name=format` for every file written, as expected.yaml's `inputs` pins how each must be read."""
        formats = {".xml": "event-xml", ".evtx": "evtx"}
        pins = []
        for rel in [log.path for log, _ in self.logs] + [rel for rel, _ in self.files]:
            name = rel.split("/", 1)[1] if rel.startswith(("host/", "clients/")) else rel
            suffix = pathlib.PurePosixPath(rel).suffix
            fmt = formats.get(suffix) or ("slmgr-text" if "slmgr-" in rel else
                                          "nslookup-srv" if "nslookup" in rel else "pasted-event")
            pins.append(f"{name}={fmt}")
        return pins

    def write(self, out):
        root = out / self.case
        total = 0
        for log, shape in self.logs:
            path = root / log.path
            path.parent.mkdir(parents=True, exist_ok=True)
            text = log.render(shape)
            path.write_bytes(text.encode("utf-8"))
            total += len(text)
        for rel, content in self.files:
            data = content() if callable(content) else content
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            total += len(data)
        return total


def renewing_fleet(fleet, host, clients, start, *, servers=False):
    """Clients already activated before `start` renew every 7 days, each on its own phase."""
    for c in clients:
        c.activated = start - dt.timedelta(days=fleet.rng.uniform(1, 7))
        host.cmids[c.cmid] = c.activated
    for c in clients:
        for t in fleet.working_times(c.activated + RENEWAL, fleet.end, RENEWAL, servers=servers):
            exchange(c, host, t)


def first_activations(fleet, host, clients, start, spread_days, *, servers=False):
    """New machines installed over `spread_days` from `start`, activating on their first attempt if
    the count allows, then renewing weekly or retrying every two hours."""
    for c in clients:
        c.installed = fleet.jitter(start, spread_days * 24 * 60)
    events = []
    for c in clients:
        events.append((c.installed + dt.timedelta(minutes=fleet.rng.randint(3, 20)), c))
    # Simulate in time order so the host's count grows as a real host's would.
    pending = sorted(events, key=lambda e: e[0])
    while pending:
        t, c = pending.pop(0)
        if t > fleet.end:
            continue
        done = exchange(c, host, t)
        nxt = next(fleet.working_times(t + (RENEWAL if done else RETRY), fleet.end + RETRY, RETRY, servers=servers),
                   None)
        if nxt is not None:
            pending.append((nxt, c))
        pending.sort(key=lambda e: e[0])


def pc_names(fleet, dept, n, start=1):
    nums = fleet.rng.sample(range(start, start + 4 * n), n)
    return [f"PC-{dept}-{k:03d}" for k in sorted(nums)]


# ---------------------------------------------------------------------------------------------
# Cases


def cause(name, *explained_by, findings=None):
    """An expected finding; explained_by lists every cause found in the same run that accounts for it, and
    findings (when given) how many findings of the cause the run must report: 1 when several rules or sources
    show one cause about one subject."""
    entry = {"cause": name}
    if explained_by:
        entry["explained_by"] = sorted(explained_by)
    if findings is not None:
        entry["findings"] = findings
    return entry


def case_healthy_windows_fleet():
    f = Fleet("healthy-windows-fleet", 101)
    host = Host(f, "KMS01")
    f.host_log(host)
    start = f.end - dt.timedelta(days=14)
    names = pc_names(f, "FIN", 12) + pc_names(f, "HR", 8) + pc_names(f, "OPS", 14)
    clients = [Client(f, n, f.rng.choice(["win-ent", "win-ent", "win-pro"])) for n in names]
    for c in clients[:4]:
        f.client_log(c, "saved" if c is clients[0] else "wevtutil")
        f.noise(c.log, start, f.end, 12)
        f.service_start(c.log, start + dt.timedelta(hours=7, minutes=12), "10.0.22621.2428")
    renewing_fleet(f, host, clients, start)
    return f, ("34 Windows 10/11 PCs renew weekly against KMS01 (count 34); nothing is wrong.", [], [])


def case_healthy_server_fleet():
    f = Fleet("healthy-server-fleet", 102, domain="dc1.fabrikam.local")
    host = Host(f, "SRV-KMS", positional=True)
    f.host_log(host, "saved")
    start = f.end - dt.timedelta(days=28)
    skus = ["ws2022-dc", "ws2022-std", "ws2019-std", "ws2019-dc"]
    clients = [Client(f, f"SRV-{role}{k:02d}", f.rng.choice(skus))
               for role, n in (("SQL", 3), ("APP", 4), ("FS", 2), ("RDS", 3)) for k in range(1, n + 1)]
    for c in clients[:3]:
        f.client_log(c)
        f.noise(c.log, start, f.end, 8)
    renewing_fleet(f, host, clients, start, servers=True)
    return f, ("12 Windows Server 2019/2022 machines renew weekly against SRV-KMS (count 12, threshold 5); "
               "healthy.", [], [])


def case_count_below_threshold():
    f = Fleet("count-below-threshold", 103, domain="branch.contoso.com")
    host = Host(f, "KMS-BR")
    f.host_log(host)
    start = f.end - dt.timedelta(days=1, hours=9)
    clients = [Client(f, n, "win-ent") for n in pc_names(f, "BR", 8)]
    for c in clients[:3]:
        f.client_log(c)
        f.noise(c.log, start, f.end, 8)
    first_activations(f, host, clients, start, 0.3)
    return f, ("A new branch KMS host has only 8 Windows 11 clients: the count stays at 8 of the 25 needed, "
               "every client gets 0xC004F038.",
               [cause("count-below-threshold", findings=1), cause("never-activated", "count-below-threshold")], [])


def case_duplicate_cmid():
    f = Fleet("duplicate-cmid", 104)
    host = Host(f, "KMS01")
    f.host_log(host)
    start = f.end - dt.timedelta(hours=9)
    image_a, image_b = f.uuid(), f.uuid()
    names = pc_names(f, "LAB", 41)
    clones = [Client(f, n, "win-edu", cmid=image_a if i % 2 else image_b, installed=start - dt.timedelta(days=9))
              for i, n in enumerate(names)]
    admin = Client(f, "PC-IT-004", "win-ent", installed=start - dt.timedelta(days=12))
    for c in (clones[0], clones[2], clones[1]):
        f.client_log(c)
        f.noise(c.log, start, f.end, 12)
    # The host has been seeing the three distinct CMIDs for days.
    for c in (admin, clones[0], clones[1]):
        host.cmids[c.cmid] = start - dt.timedelta(days=3)
    pending = sorted(((f.jitter(start, 120), c) for c in clones + [admin]), key=lambda e: e[0])
    while pending:
        t, c = pending.pop(0)
        exchange(c, host, t)
        nxt = t + RETRY + dt.timedelta(minutes=f.rng.randint(0, 15))
        if nxt < f.end and f.rng.random() < 0.55:  # lab PCs are switched off between sessions
            pending.append((nxt, c))
            pending.sort(key=lambda e: e[0])
    return f, ("41 lab PCs cloned from an image that skipped sysprep /generalize share 2 CMIDs, so KMS01 "
               "counts 3 machines and every clone gets 0xC004F038.",
               [cause("duplicate-cmid"), cause("count-below-threshold", "duplicate-cmid"),
                cause("never-activated", "count-below-threshold", "duplicate-cmid")], [])


def case_count_split_across_hosts():
    f = Fleet("count-split-across-hosts", 105)
    kms1 = Host(f, "KMS1")
    old = Host(f, "KMS-OLD", log=False)  # a retired host that still answers and still has its SRV record
    f.host_log(kms1)
    start = f.end - dt.timedelta(days=1, hours=6)
    clients = [Client(f, n, "win-ent") for n in pc_names(f, "SAL", 30)]
    group_new, group_old = clients[:17], clients[17:]
    for c in group_new[:2] + group_old[:2]:
        f.client_log(c, "saved" if c is group_old[0] else "wevtutil")
        f.noise(c.log, start, f.end, 8)
    for c in clients:
        c.installed = start - dt.timedelta(days=f.rng.uniform(2, 8))
    pending = sorted(((f.jitter(start, 180), c) for c in clients), key=lambda e: e[0])
    while pending:
        t, c = pending.pop(0)
        exchange(c, kms1 if c in group_new else old, t)
        nxt = t + RETRY * 3 + dt.timedelta(minutes=f.rng.randint(0, 30))
        if nxt < f.end:
            pending.append((nxt, c))
            pending.sort(key=lambda e: e[0])
    return f, ("30 Windows 11 PCs find two KMS hosts through DNS (KMS1 and the retired KMS-OLD); the count is "
               "split 17/13 and neither host reaches 25.",
               [cause("count-split-across-hosts"), cause("count-below-threshold", "count-split-across-hosts"),
                cause("never-activated", "count-below-threshold")], [])


def case_host_unreachable():
    f = Fleet("host-unreachable", 106)
    host = Host(f, "KMS01")
    f.host_log(host)
    start = f.end - dt.timedelta(days=14)
    hq = [Client(f, n, "win-ent") for n in pc_names(f, "HQ", 28)]
    renewing_fleet(f, host, hq, start)
    # Clients on the new warehouse VLAN: the firewall between them and KMS01 drops TCP 1688.
    wh = [Client(f, n, "win-ent", installed=f.end - dt.timedelta(days=2)) for n in pc_names(f, "WH", 6)]
    for c in wh[:3]:
        f.client_log(c)
        f.noise(c.log, f.end - dt.timedelta(days=2), f.end, 10)
        for t in f.working_times(c.installed + dt.timedelta(minutes=15), f.end, RETRY):
            exchange(c, host, t, reached=False, client_hr="0xC004F074", slui_hr="0xC0020017")
    return f, ("Warehouse PCs on a new VLAN cannot reach KMS01 on TCP 1688: 12288 0xC004F074 without a 12289 and "
               "no 12290 for them on the host, which serves the HQ PCs normally.",
               [cause("host-unreachable"), cause("never-activated", "host-unreachable")], [])


def case_dns_lookup_failure(case, seed, hr, story, cause_id):
    f = Fleet(case, seed, domain="retail.contoso.com")
    start = f.end - dt.timedelta(days=3)
    clients = [Client(f, n, "win-pro", installed=start - dt.timedelta(days=f.rng.uniform(1, 4)))
               for n in pc_names(f, "POS", 4)]
    for c in clients:
        f.client_log(c)
        f.noise(c.log, start, f.end, 12)
        for t in f.working_times(start, f.end, RETRY):
            slui_failure(c, t, hr)
    return f, (story, [cause(cause_id)], [])


def case_srv_record_missing():
    return case_dns_lookup_failure(
        "srv-record-missing", 107, "0x8007232B",
        "Store PCs in retail.contoso.com find no _vlmcs._tcp SRV record (0x8007232B, DNS name does not exist): "
        "no KMS host publishes into that zone.", "srv-record-missing")


def case_dns_server_failure():
    return case_dns_lookup_failure(
        "dns-server-failure", 108, "0x8007232A",
        "Store PCs get 0x8007232A (DNS server failure) when they look up the KMS SRV record: the store's DNS "
        "forwarder is broken.", "dns-server-failure")


def case_dns_server_failure_nslookup():
    f, (_, _, info) = case_dns_lookup_failure("dns-server-failure-nslookup", 142, "0x8007232A", "", "")
    # The support engineer asked one of the PCs for the lookup itself: the forwarder fails it.
    server = f"dc01.{f.domain}"
    f.files.append(("clients/nslookup.txt", crlf([
        f"Server:  {server}", "Address:  10.50.0.10", "",
        f"*** {server} can't find _vlmcs._tcp.{f.domain}: Server failed"])))
    return f, ("The dns-server-failure story with the ticket's `nslookup -type=srv` output (Server failed) next to the "
               "store PCs' logs: the clients' 0x8007232A and the failed lookup are one finding.",
               [cause("dns-server-failure", findings=1)], info)


def case_time_skew():
    f = Fleet("time-skew", 109)
    host = Host(f, "KMS01", positional=True)
    f.host_log(host)
    start = f.end - dt.timedelta(days=8)
    ok = [Client(f, n, "win-ent") for n in pc_names(f, "ENG", 27)]
    renewing_fleet(f, host, ok, start)
    # VDI machines restored from a snapshot with time sync off: their clocks run 5 h 20 min ahead.
    skew = dt.timedelta(hours=5, minutes=20)
    vdi = [Client(f, f"VDI-ENG-{k:02d}", "win-ent", vm=1, skew=skew, activated=f.end - dt.timedelta(days=9))
           for k in (3, 7, 11)]
    for c in vdi:
        f.client_log(c)
        f.noise(c.log, f.end - dt.timedelta(days=2), f.end, 8)
        for t in f.working_times(f.end - dt.timedelta(days=2), f.end, RETRY):
            exchange(c, host, t, host_hr="0xC004F06C")
    return f, ("Three VDI clients whose clocks run 5 h 20 min ahead are refused with 0xC004F06C; the host's "
               "12290 and the clients' 12288 for the same request are hours apart.", [cause("time-skew")], [])


def case_host_key_mismatch():
    f = Fleet("host-key-mismatch", 110)
    host = Host(f, "KMS2012")
    f.host_log(host)
    happ = f.app_log("host/Application.xml", host.fqdn)
    start = f.end - dt.timedelta(days=14)
    f.service_start(happ, start + dt.timedelta(hours=3), "6.3.9600.17809")  # Windows Server 2012 R2 sppsvc
    f.noise(happ, start, f.end, 4)
    old = ([Client(f, n, "win81-ent") for n in pc_names(f, "ACC", 22)] +
           [Client(f, f"SRV-APP{k:02d}", "ws2012r2-std") for k in range(1, 6)])
    renewing_fleet(f, host, old, start)
    new = [Client(f, n, "win-ent", installed=f.end - dt.timedelta(days=2)) for n in pc_names(f, "ACC", 5, 200)]
    for c in new[:3]:
        f.client_log(c)
        f.noise(c.log, f.end - dt.timedelta(days=2), f.end, 12)
    for c in new:
        for t in f.working_times(c.installed + dt.timedelta(minutes=20), f.end, RETRY * 2):
            exchange(c, host, t, host_hr="0xC004F015", client_hr="0xC004F042", slui_hr="0xC004F042")
    return f, ("New Windows 11 Enterprise PCs are refused by a Windows Server 2012 R2 KMS host whose CSVLK predates "
               "Windows 10 (host 0xC004F015, client 0xC004F042); the Windows 8.1 PCs keep activating.",
               [cause("host-key-mismatch"), cause("never-activated", "host-key-mismatch")], [])


def case_host_not_activated():
    f = Fleet("host-not-activated", 111)
    host = Host(f, "KMS02")
    f.host_log(host)
    start = f.end - dt.timedelta(hours=30)
    # A whole site (enough clients for the threshold) moved to the new host the day before.
    clients = [Client(f, n, "win-ent", installed=start - dt.timedelta(days=1)) for n in pc_names(f, "MKT", 30)]
    for c in clients[:3]:
        f.client_log(c, "saved")
        f.noise(c.log, start, f.end, 8)
    for c in clients:
        for t in f.working_times(start, f.end, RETRY * 4):
            exchange(c, host, t, host_hr="0xC004F041")
    return f, ("KMS02 got its CSVLK installed but was never activated with Microsoft, so it refuses all 30 clients "
               "of its site with 0xC004F041.",
               [cause("host-not-activated"), cause("never-activated", "host-not-activated")], [])


def case_dns_publish_failed():
    f = Fleet("dns-publish-failed", 112)
    host = Host(f, "KMS03")
    f.host_log(host)
    happ = f.app_log("host/Application.xml", host.fqdn, "saved")
    start = f.end - dt.timedelta(days=6)
    f.service_start(happ, start + dt.timedelta(hours=2), "10.0.20348.2031")
    t = start + dt.timedelta(hours=2, minutes=1)
    while t < f.end:  # the host retries its SRV registration once a day
        spp_event(happ, t, 12293, WARNING, ["0x80072338", f.domain],
                  message=f"Publishing the Key Management Service (KMS) to DNS in the '{f.domain}' domain failed.\n"
                          "Info:\n0x80072338")
        t = f.jitter(t + dt.timedelta(days=1), 3)
    f.noise(happ, start, f.end, 8)
    # Only clients pointed at KMS03 by hand (slmgr /skms) reach it.
    clients = [Client(f, f"SRV-WEB{k:02d}", "ws2022-std") for k in range(1, 7)]
    renewing_fleet(f, host, clients, start, servers=True)
    return f, ("The new KMS03 cannot update the _VLMCS SRV record owned by the retired host: 12293 with 0x80072338 "
               "every day.", [cause("dns-publish-failed")], [])


def case_activation_limit_exceeded():
    f = Fleet("activation-limit-exceeded", 113)
    happ = f.app_log("host/Application.xml", f"KMS-OFFICE.{f.domain}")
    start = f.end - dt.timedelta(days=4)
    f.service_start(happ, start + dt.timedelta(hours=9), "10.0.20348.2031")
    f.noise(happ, start, f.end, 12)
    sku = SKU["office2016-kms-host"]
    t = start + dt.timedelta(hours=9, minutes=24)
    while t < f.end:
        args = (f"RuleId={RULE_ID};Action=AutoActivate;AppId={OFFICE_APP_ID};SkuId={sku};"
                f"NotificationInterval=1440;Trigger=TimerEvent")
        spp_event(happ, t, 8198, ERROR, ["hr=0xC004C008", args])
        t = f.jitter(t + dt.timedelta(hours=8), 30)
    return f, ("The Office 2016 KMS host key installed on a seventh server cannot be activated online: 0xC004C008, "
               "the key's activation limit is used up.", [cause("activation-limit-exceeded")], [])


def case_product_key_invalid():
    f = Fleet("product-key-invalid", 114)
    start = f.end - dt.timedelta(days=3)
    for name, hr in (("PC-DEV-031", "0xC004F050"), ("PC-DEV-044", "0xC004F050"), ("PC-DEV-052", "0xC004E016")):
        c = Client(f, name, "win-pro", installed=start - dt.timedelta(days=2))
        f.client_log(c)
        f.noise(c.log, start, f.end, 12)
        for t in f.working_times(start, f.end, RETRY * 3):
            slui_failure(c, t, hr, trigger="UserLogon", session=1)
    return f, ("Developer PCs were given a mistyped or wrong-edition product key by the build script: activation "
               "fails with 0xC004F050 and 0xC004E016.", [cause("product-key-invalid")], [])


def case_not_volume_channel():
    f = Fleet("not-volume-channel", 115)
    start = f.end - dt.timedelta(days=3)
    for name in ("PC-LEG-007", "PC-LEG-012"):
        c = Client(f, name, "win7-ent", installed=start - dt.timedelta(days=5))
        f.client_log(c, "saved")
        f.noise(c.log, start, f.end, 8)
        for t in f.working_times(start, f.end, RETRY * 4):
            slui_failure(c, t, "0xC004F035")
    return f, ("Refurbished PCs without a qualifying OEM BIOS marker cannot activate a Windows 7 volume edition: "
               "0xC004F035.", [cause("not-volume-channel")], [])


def case_never_activated():
    f = Fleet("never-activated", 116)
    start = f.end - dt.timedelta(days=27)
    # Laptops shipped straight to remote staff: the VPN's split tunnel resolves the SRV record but does
    # not route TCP 1688, so the first activation has never succeeded.
    for name in ("LT-SAL-112", "LT-SAL-118"):
        c = Client(f, name, "win-ent", installed=start)
        f.client_log(c)
        f.noise(c.log, f.end - dt.timedelta(days=4), f.end, 8)
        # Keep the size down: the laptops are mostly asleep; every other day for weeks, then the last day in full.
        days = [f.jitter(start + dt.timedelta(days=d, hours=8), 300) for d in range(0, 26, 2)]
        for t in days + list(f.working_times(f.end - dt.timedelta(hours=20), f.end, RETRY)):
            exchange(c, None, t, reached=False, host_name=f"KMS01.{f.domain}", client_hr="0xC004F074",
                     slui_hr="0xC0020017")
    return f, ("Two remote laptops set up 27 days ago have never reached KMS01 over the VPN (0xC004F074); still in "
               "initial grace with about 3 days left.",
               [cause("never-activated", "host-unreachable"), cause("host-unreachable")], [])


def case_online_activation_failed():
    f = Fleet("online-activation-failed", 117, domain="WORKGROUP")
    start = f.end - dt.timedelta(days=5)
    for name, sku in (("KIOSK-01", "win-retail-a"), ("KIOSK-02", "win-retail-b")):
        log = f.app_log(f"clients/{name}.xml", name)
        f.noise(log, start, f.end, 12)
        t = start + dt.timedelta(hours=8)
        while t < f.end:
            args = (f"RuleId={RULE_ID};Action=AutoActivate;AppId={WINDOWS_APP_ID};SkuId={SKU[sku]};"
                    f"NotificationInterval=1440;Trigger=NetworkAvailable")
            spp_event(log, t, 8198, ERROR, ["hr=0x80072EE7", args])
            t = f.jitter(t + dt.timedelta(hours=12), 60)
    return f, ("Retail kiosks behind a proxy cannot reach Microsoft's activation servers (0x80072EE7); this is "
               "online activation, not KMS.", [cause("online-activation-failed")], [])


def case_renewal_overdue():
    f = Fleet("renewal-overdue", 118)
    start = f.end - dt.timedelta(days=3)
    # Clients at a branch whose site-to-site link to KMS01 lost its 1688 rule ~4 months ago.
    for name in ("PC-BR2-004", "PC-BR2-009", "PC-BR2-013"):
        c = Client(f, name, "win-ent", activated=f.end - dt.timedelta(days=f.rng.uniform(150, 160)))
        f.client_log(c)
        f.noise(c.log, start, f.end, 8)
        for t in f.working_times(start, f.end, RETRY):
            exchange(c, None, t, reached=False, host_name=f"KMS01.{f.domain}", client_hr="0xC004F074",
                     slui_hr="0xC004F074")
    return f, ("Branch PCs last renewed about 5 months ago and every renewal since fails with 0xC004F074; their "
               "activation expires within a month.",
               [cause("renewal-overdue", "host-unreachable"), cause("host-unreachable")], [])


def case_evidence_gap_no_host_log():
    f = Fleet("evidence-gap-no-host-log", 119)
    host = Host(f, "KMS01", log=False)
    start = f.end - dt.timedelta(days=2)
    clients = [Client(f, n, "win-pro", installed=start - dt.timedelta(days=1)) for n in pc_names(f, "ENG", 3)]
    for c in clients:
        f.client_log(c)
        f.noise(c.log, start, f.end, 12)
        host.cmids[c.cmid] = start
    for c in clients:
        for t in f.working_times(start, f.end, RETRY * 2):
            exchange(c, host, t)
    return f, ("Clients report a count of 3 and 0xC004F038, but no KMS host log was supplied, so duplicates or a "
               "split count cannot be checked.",
               [cause("count-below-threshold"), cause("never-activated", "count-below-threshold")], ["evidence-gap"])


def case_evidence_gap_empty_host_log():
    f = Fleet("evidence-gap-empty-host-log", 120)
    host = Host(f, "KMS01")  # clients talk to it, but the saved log below is empty
    start = f.end - dt.timedelta(days=14)
    clients = [Client(f, n, "win-ent") for n in pc_names(f, "FIN", 3)]
    for c in clients:
        f.client_log(c)
        f.noise(c.log, start, f.end, 8)
    host.cmids.update({f.uuid(): start for _ in range(40)})  # the rest of the fleet, known to the host
    renewing_fleet(f, host, clients, start)
    empty = Log(host.log.path, host.fqdn, KMS_CHANNEL, 1)  # a cleared log saved from Event Viewer
    f.logs.append((empty, "saved"))
    return f, ("Clients renew fine against KMS01, but the Key Management Service log saved from KMS01 is empty "
               "(cleared, or taken from the wrong machine).", [cause("evidence-gap")], [])


# ---------------------------------------------------------------------------------------------
# Command output and pasted text (issue 9: every source reaches its cause)
#
# slmgr prints no computer name, so each machine's output sits in a folder of its own
# (clients/<machine>/...): kmsdiag joins a machine's /ato and /dlv by folder.


def crlf(lines):
    """Text as cmd's `>` saves cscript output (ASCII here, CRLF line ends)."""
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def us_time(t):
    """A time as en-US Windows prints it: 3/15/2024 4:40:00 PM."""
    return f"{t.month}/{t.day}/{t.year} {t.hour % 12 or 12}:{t:%M:%S} {'PM' if t.hour >= 12 else 'AM'}"


# `slmgr /ato` error lines: the code and the system's message text for it, as slmgr.vbs prints them.
ATO_ERRORS = {
    "0xC004F038": "The Software Licensing Service reported that the computer could not be activated. The count "
                  "reported by your Key Management Service (KMS) is insufficient. Please contact your system "
                  "administrator.",
    "0x8007232B": "DNS name does not exist.",
    "0x8007007B": "The filename, directory name, or volume label syntax is incorrect.",
    "0xC004B100": "The activation server determined that the computer could not be activated.",
    "0xC004F081": "The Software Licensing Service reported that the computer could not be activated. The "
                  "Active Directory-based activation object for this product could not be found.",
    "0xC004E015": "The Software Licensing Service reported that license consumption failed.",
}


def slmgr_ato(product, act_id, hr):
    """`cscript //nologo slmgr.vbs /ato` failing with hr. A code Windows has no message for is printed with
    slmgr's fallback sentence."""
    message = ATO_ERRORS.get(hr, f"On a computer running Microsoft Windows non-core edition, run 'slui.exe 0x2a "
                                 f"{hr}' to display the error text.")
    return [f"Activating {product} ({act_id}) ...", f"Error: {hr} {message}"]


def minutes_line(label, minutes):
    return f"{label}: {minutes} minute(s) ({minutes // 1440} day(s))"


def slmgr_product(name, description, *, status, dlv=False, act_id=None, partial="2YT43", key_channel="Volume:GVLK",
                  after_status=(), trusted=None, activation_type="All", epid="03612-03311-000-000000-03-1033-"
                  "22621.0000-0752024", kms_client=None, kms_host=None):
    """One product as `slmgr /dli` (dlv=False) or `/dlv` prints it. after_status: the expiration or
    notification line(s). kms_client / kms_host: the lines of the KMS client or host block."""
    lines = [f"Name: {name}", f"Description: {description}"]
    if dlv:
        lines += [f"Activation ID: {act_id}", f"Application ID: {WINDOWS_APP_ID}", f"Extended PID: {epid}",
                  f"Product Key Channel: {key_channel}",
                  "Installation ID: 489126343257012289105546522085205332958764158851011127139061121",
                  "Use License URL: https://activation-v2.sls.microsoft.com/SLActivateProduct/SLActivateProduct.asmx"
                  "?configextension=Retail",
                  "Validation URL: https://validation-v2.sls.microsoft.com/SLWGA/slwga.asmx"]
    lines += [f"Partial Product Key: {partial}", f"License Status: {status}", *after_status]
    if dlv:
        lines += ["Remaining Windows rearm count: 1001", "Remaining SKU rearm count: 1001",
                  f"Trusted time: {us_time(trusted)}", f"Configured Activation Type: {activation_type}"]
    if kms_client is not None:
        if status != "Licensed":
            lines.append("Please use slmgr.vbs /ato to activate and update KMS client information in order to "
                         "update values.")
        lines += ["", "Most recent activation information:", "Key Management Service client information",
                  *("    " + line for line in kms_client)]
    elif status != "Licensed" and "VOLUME_KMSCLIENT" in description:
        lines.append("Please use slmgr.vbs /ato to activate and update KMS client information in order to "
                     "update values.")
    if kms_host is not None:
        lines += ["", *kms_host]
    return lines


def kms_client_block(cmid, host_line, ip="not available"):
    return [f"Client Machine ID (CMID): {cmid}", host_line, f"KMS machine IP address: {ip}",
            "KMS machine extended PID: 06401-00206-551-067216-03-1033-17763.0000-0452024",
            "Activation interval: 120 minutes", "Renewal interval: 10080 minutes", "KMS host caching is enabled"]


def kms_host_block(count, total, failed, *, licensed, grace, unlicensed=0, expired=0, notification=0):
    return ["Key Management Service is enabled on this machine", f"    Current count: {count}",
            "    Listening on Port: 1688", "    DNS publishing enabled", "    KMS priority: Normal", "",
            "Key Management Service cumulative requests received from clients",
            f"    Total requests received: {total}", f"    Failed requests received: {failed}",
            f"    Requests with License Status Unlicensed: {unlicensed}",
            f"    Requests with License Status Licensed: {licensed}",
            f"    Requests with License Status Initial grace period: {grace}",
            f"    Requests with License Status License expired or Hardware out of tolerance: {expired}",
            "    Requests with License Status Non-genuine grace period: 0",
            f"    Requests with License Status Notification: {notification}"]


WIN_ENT = ("Windows(R), Enterprise edition", "Windows(R) Operating System, VOLUME_KMSCLIENT channel")
WIN_PRO = ("Windows(R), Professional edition", "Windows(R) Operating System, VOLUME_KMSCLIENT channel")
DLV_VERSION = "Software licensing service version: 10.0.22621.2428"


def dlv_file(*products):
    out = [DLV_VERSION, ""]
    for p in products:
        out += p + [""]
    return crlf(out[:-1])


def case_ato_count_below_threshold():
    f = Fleet("ato-count-below-threshold", 121, domain="branch.contoso.com")
    cmid = f.uuid()
    left = 36010
    host_line = f"KMS machine name from DNS: kms-br.{f.domain}:1688"
    f.files += [
        ("clients/PC-BR-014/slmgr-ato.txt", crlf(slmgr_ato(WIN_ENT[0], SKU["win-ent"], "0xC004F038"))),
        ("clients/PC-BR-014/slmgr-dlv.txt", dlv_file(slmgr_product(
            *WIN_ENT, status="Initial grace period", dlv=True, act_id=SKU["win-ent"], partial="2YT43",
            after_status=[minutes_line("Time remaining", left)], trusted=f.end,
            kms_client=kms_client_block(cmid, host_line, "10.40.0.21")))),
    ]
    return f, ("Only `slmgr /ato` (0xC004F038, count insufficient) and `slmgr /dlv` (initial grace, host from DNS) "
               "of one branch PC: the KMS host's count is too low.",
               [cause("count-below-threshold"), cause("never-activated", "count-below-threshold")], [])


def case_ato_unrecognised_error():
    f = Fleet("ato-unrecognised-error", 122)
    f.files.append(("clients/PC-ENG-221/slmgr-ato.txt",
                    crlf(slmgr_ato(WIN_PRO[0], SKU["win-pro"], "0xC004FEED"))))
    return f, ("`slmgr /ato` fails with 0xC004FEED, a code the error table does not know: kmsdiag says so instead "
               "of guessing a cause.", [cause("unrecognised-error") | {"severity": "warning"}], [])


def case_spp_8198_count_only():
    f = Fleet("spp-8198-count-only", 123, domain="branch.contoso.com")
    start = f.end - dt.timedelta(days=2)
    for name in pc_names(f, "BR", 3):
        c = Client(f, name, "win-ent", installed=start - dt.timedelta(days=3))
        f.client_log(c)
        f.noise(c.log, start, f.end, 10)
        for t in f.working_times(start, f.end, RETRY):
            slui_failure(c, t, "0xC004F038")
    return f, ("Application logs whose only KMS evidence is 8198 (slui) with hr=0xC004F038: the count is too low, "
               "seen from 8198 alone.", [cause("count-below-threshold")], [])


def case_host_key_mismatch_count_zero():
    f = Fleet("host-key-mismatch-count-zero", 124)
    start = f.end - dt.timedelta(days=2)
    host = f"KMS2012.{f.domain}:1688"
    for name in pc_names(f, "ACC", 3, 200):
        c = Client(f, name, "win-ent", installed=start - dt.timedelta(hours=5))
        f.client_log(c)
        f.noise(c.log, start, f.end, 10)
        for t in f.working_times(start, f.end, RETRY * 2):
            status, left = c.state(t)
            payload = (f"{OK}, {OK}, {host}, {c.cmid}, {fmt_client_time(t)}, 0, {status}, {left}, {c.act_id}, "
                       f"{c.n_policy}")
            spp_event(c.log, t + dt.timedelta(milliseconds=310), 12288, INFO, [payload],
                      message="The client has sent an activation request to the key management service machine.\n"
                              "Info:\n" + payload)
            # The host answered with its refusal: the 12289 carries the code and no count.
            resp = f"0xC004F042, {OK}, 0, 0, 0, 120, 10080, {fmt_client_time(t)}"
            spp_event(c.log, t + dt.timedelta(milliseconds=420), 12289, INFO, [resp],
                      message="The client has processed an activation response from the key management service "
                              "machine.\nInfo:\n" + resp)
            slui_failure(c, t + dt.timedelta(seconds=1, milliseconds=130), "0xC004F042")
    return f, ("New Windows 11 PCs get a 12289 with 0xC004F042 and count 0 from a Windows Server 2012 R2 host: a "
               "host key mismatch, not a low count.",
               [cause("host-key-mismatch"), cause("never-activated", "host-key-mismatch")], ["evidence-gap"])


def case_healthy_server_only_host():
    f = Fleet("healthy-server-only-host", 125, domain="dc1.fabrikam.local")
    host = Host(f, "SRV-KMS2")
    f.host_log(host)
    start = f.end - dt.timedelta(days=21)
    skus = ["ws2022-dc", "ws2022-std", "ws2019-std"]
    clients = [Client(f, f"SRV-{role}{k:02d}", f.rng.choice(skus))
               for role, n in (("SQL", 2), ("APP", 4), ("FS", 2), ("DC", 2)) for k in range(1, n + 1)]
    for c in clients[:2]:
        f.client_log(c)
        f.noise(c.log, start, f.end, 8)
    renewing_fleet(f, host, clients, start, servers=True)
    total = 1318
    f.files.append(("host/slmgr-dli.txt", crlf(slmgr_product(
        "Windows(R), ServerStandard edition", "Windows(R) Operating System, VOLUME_KMS_WS19 channel",
        status="Licensed", partial="7QXJ4",
        kms_host=kms_host_block(host.count(f.end), total, 0, licensed=total - 10, grace=10)))))
    return f, ("SRV-KMS2 serves only 10 Windows Servers: `slmgr /dli` shows Current count 10 and no failed requests, "
               "enough for servers (5); healthy, with an info note that Windows clients would need 25.",
               [], ["count-below-threshold"])


def case_renewal_running_out_dli():
    f = Fleet("renewal-running-out-dli", 126)
    cmid = f.uuid()
    f.files.append(("clients/PC-BR3-022/slmgr-dli.txt", crlf(slmgr_product(
        *WIN_ENT, status="Licensed", partial="2YT43",
        after_status=[minutes_line("Volume activation expiration", 20160)],
        kms_client=kms_client_block(cmid, f"KMS machine name from DNS: kms01.{f.domain}:1688", "10.0.0.21")))))
    return f, ("`slmgr /dli` of a KMS client that is still Licensed but has only 20160 minutes (14 days) of its 180 "
               "left: it has not renewed for months.", [cause("renewal-overdue") | {"severity": "warning"}], [])


def case_kms_license_expired():
    f = Fleet("kms-license-expired", 127)
    cmid = f.uuid()
    f.files.append(("clients/PC-BR3-031/slmgr-dli.txt", crlf(slmgr_product(
        *WIN_ENT, status="Additional grace period (KMS license expired or hardware out of tolerance)",
        partial="2YT43", after_status=[minutes_line("Time remaining", 38114)],
        kms_client=kms_client_block(cmid, f"KMS machine name from DNS: kms01.{f.domain}:1688")))))
    return f, ("`slmgr /dli` of a KMS client in the additional grace period: its 180-day KMS activation expired "
               "without a renewal.", [cause("renewal-overdue") | {"severity": "error"}], [])


def case_notification_other_reason():
    f = Fleet("notification-other-reason", 128)
    cmid = f.uuid()
    f.files.append(("clients/PC-OPS-077/slmgr-dlv.txt", dlv_file(slmgr_product(
        *WIN_ENT, status="Notification", dlv=True, act_id=SKU["win-ent"], partial="2YT43",
        after_status=["Notification Reason: 0xC004F009."], trusted=f.end,
        kms_client=kms_client_block(cmid, "DNS auto-discovery: KMS name not available")))))
    return f, ("`slmgr /dlv` of a KMS client in Notification mode with reason 0xC004F009: its grace period ended "
               "without an activation.", [cause("never-activated", findings=1)], [])


def case_registered_host_unresolvable():
    f = Fleet("registered-host-unresolvable", 129)
    cmid = f.uuid()
    folder = "clients/PC-LAB-305"
    f.files += [
        (f"{folder}/slmgr-dlv.txt", dlv_file(slmgr_product(
            *WIN_ENT, status="Initial grace period", dlv=True, act_id=SKU["win-ent"], partial="2YT43",
            after_status=[minutes_line("Time remaining", 29450)], trusted=f.end,
            kms_client=kms_client_block(cmid, "Registered KMS machine name: kms-old.contoso.com:1688")))),
        (f"{folder}/slmgr-ato.txt", crlf(slmgr_ato(WIN_ENT[0], SKU["win-ent"], "0x8007232B"))),
    ]
    return f, ("A PC set by hand (slmgr /skms) to the retired kms-old.contoso.com: `slmgr /ato` fails with 0x8007232B "
               "because that name no longer resolves, not because an SRV record is missing.",
               [cause("host-unreachable"), cause("never-activated", "host-unreachable")], [])


def case_retail_media_dns_error():
    f = Fleet("retail-media-dns-error", 130)
    folder = "clients/PC-MKT-019"
    f.files += [
        (f"{folder}/slmgr-ato.txt", crlf(slmgr_ato(WIN_PRO[0], SKU["win-retail-a"], "0x8007007B"))),
        (f"{folder}/slmgr-dlv.txt", dlv_file(slmgr_product(
            "Windows(R), Professional edition", "Windows(R) Operating System, RETAIL channel",
            status="Initial grace period", dlv=True, act_id=SKU["win-retail-a"], partial="3V66T",
            key_channel="Retail", after_status=[minutes_line("Time remaining", 40210)], trusted=f.end,
            epid="00330-80000-00000-AA000-03-1033-22621.0000-0742024"))),
    ]
    return f, ("A PC installed from retail media (RETAIL channel) fails `slmgr /ato` with 0x8007007B: it cannot use "
               "KMS at all; no SRV record is missing.", [cause("not-volume-channel", findings=1)], [])


def folder_log_with_8198(f, name, sku_key, hr, *, sku=None):
    """One machine's Application log, saved in its own folder next to its slmgr output, whose only KMS
    evidence is slui's 8198 with hr (every 8 hours for two days)."""
    start = f.end - dt.timedelta(days=2)
    c = Client(f, name, sku_key, installed=start - dt.timedelta(days=1))
    c.log = Log(f"clients/{name}/Application.xml", c.fqdn, "Application", f.rng.randint(5000, 400000))
    f.logs.append((c.log, "wevtutil"))
    f.noise(c.log, start, f.end, 8)
    t = f.jitter(start, 60)
    while t < f.end:
        slui_failure(c, t, hr, trigger="TimerEvent", sku=sku)
        t = f.jitter(t + dt.timedelta(hours=8), 30)
    return c


def case_registered_host_unresolvable_8198():
    f = Fleet("registered-host-unresolvable-8198", 142)
    c = folder_log_with_8198(f, "PC-LAB-311", "win-ent", "0x8007232B")
    f.files.append((f"clients/{c.name}/slmgr-dlv.txt", dlv_file(slmgr_product(
        *WIN_ENT, status="Initial grace period", dlv=True, act_id=SKU["win-ent"], partial="2YT43",
        after_status=[minutes_line("Time remaining", 41020)], trusted=f.end,
        kms_client=kms_client_block(f.uuid(), "Registered KMS machine name: kms-old.contoso.com:1688")))))
    return f, ("The same story as registered-host-unresolvable, told by the PC's Application log (8198 with "
               "0x8007232B) next to its `slmgr /dlv` in one folder: the registered kms-old.contoso.com does not "
               "resolve.", [cause("host-unreachable"), cause("never-activated", "host-unreachable")], [])


def case_retail_media_dns_error_8198():
    f = Fleet("retail-media-dns-error-8198", 143)
    c = folder_log_with_8198(f, "PC-MKT-023", "win-pro", "0x8007007B", sku=SKU["win-retail-a"])
    f.files.append((f"clients/{c.name}/slmgr-dlv.txt", dlv_file(slmgr_product(
        "Windows(R), Professional edition", "Windows(R) Operating System, RETAIL channel",
        status="Initial grace period", dlv=True, act_id=SKU["win-retail-a"], partial="3V66T",
        key_channel="Retail", after_status=[minutes_line("Time remaining", 41470)], trusted=f.end,
        epid="00330-80000-00000-AA000-03-1033-22621.0000-0742024"))))
    return f, ("The same story as retail-media-dns-error, told by the PC's Application log (8198 with 0x8007007B) "
               "next to its `slmgr /dlv` (RETAIL channel) in one folder.",
               [cause("not-volume-channel", findings=1)], [])


def case_mak_rejected():
    f = Fleet("mak-rejected", 131)
    folder = "clients/PC-FLD-004"
    f.files += [
        (f"{folder}/slmgr-ato.txt", crlf(slmgr_ato(WIN_PRO[0], SKU["win-pro"], "0xC004B100"))),
        (f"{folder}/slmgr-dlv.txt", dlv_file(slmgr_product(
            "Windows(R), Professional edition", "Windows(R) Operating System, VOLUME_MAK channel",
            status="Initial grace period", dlv=True, act_id=SKU["win-pro"], partial="VK7JG",
            key_channel="Volume:MAK", after_status=[minutes_line("Time remaining", 41800)], trusted=f.end))),
    ]
    return f, ("A field laptop with a MAK: Microsoft's activation server rejects the key (`slmgr /ato` 0xC004B100).",
               [cause("product-key-invalid")], [])


def case_adba_no_activation_object():
    f = Fleet("adba-no-activation-object", 132)
    f.files.append(("clients/PC-FIN-140/slmgr-dlv.txt", dlv_file(slmgr_product(
        *WIN_ENT, status="Notification", dlv=True, act_id=SKU["win-ent"], partial="2YT43",
        after_status=["Notification Reason: 0xC004F056."], trusted=f.end, activation_type="AD"))))
    return f, ("`slmgr /dlv` of a PC set to Active Directory activation only (Configured Activation Type: AD), in "
               "Notification and with no AD activation object.",
               [cause("adba-misconfigured", findings=1), cause("never-activated", "adba-misconfigured", findings=1)],
               [])


def case_adba_error_code():
    f = Fleet("adba-error-code", 133)
    f.files.append(("clients/PC-FIN-151/slmgr-ato.txt", crlf(slmgr_ato(WIN_ENT[0], SKU["win-ent"], "0xC004F081"))))
    return f, ("`slmgr /ato` fails with 0xC004F081: Active Directory-based activation found no usable activation "
               "object for the product.", [cause("adba-misconfigured")], [])


def case_avma_failed():
    f = Fleet("avma-failed", 134, domain="hv.contoso.com")
    start = f.end - dt.timedelta(days=2)
    for name in ("VM-WEB-01", "VM-WEB-02"):
        c = Client(f, name, "ws2022-std", installed=start - dt.timedelta(days=1))
        f.client_log(c)
        f.noise(c.log, start, f.end, 8)
        t = f.jitter(start, 60)
        while t < f.end:
            slui_failure(c, t, "0xC004FD01")
            t = f.jitter(t + dt.timedelta(hours=8), 30)
    return f, ("Two Windows Server 2022 VMs with AVMA keys on a Hyper-V host that is not an activated Datacenter: "
               "8198 with 0xC004FD01.", [cause("avma-failed")], [])


def case_license_store_damaged():
    f = Fleet("license-store-damaged", 135)
    f.files.append(("clients/PC-HR-066/slmgr-ato.txt", crlf(slmgr_ato(WIN_ENT[0], SKU["win-ent"], "0xC004E015"))))
    return f, ("`slmgr /ato` fails with 0xC004E015 (license consumption failed): the licence store is damaged.",
               [cause("license-store-damaged")], [])


def case_evaluation_edition():
    f = Fleet("evaluation-edition", 136)
    f.files.append(("clients/SRV-TEST01/slmgr-dlv.txt", dlv_file(slmgr_product(
        "Windows(R), ServerStandardEval edition", "Windows(R) Operating System, TIMEBASED_EVAL channel",
        status="Licensed", dlv=True, act_id=f.uuid(), partial="MFY9F", key_channel="Retail:TB:Eval",
        after_status=[minutes_line("Timebased activation expiration", 214560)], trusted=f.end,
        epid="00454-50000-00001-AT000-03-1033-20348.0000-0502024"))))
    return f, ("`slmgr /dlv` of a server installed from evaluation media (ServerStandardEval, TIMEBASED_EVAL): it "
               "must be converted before a KMS or MAK key can activate it.", [cause("evaluation-edition")], [])


def case_host_failed_requests():
    f = Fleet("host-failed-requests", 137)
    f.files.append(("host/slmgr-dli.txt", crlf(slmgr_product(
        "Windows(R), ServerStandard edition", "Windows(R) Operating System, VOLUME_KMS_2012R2 channel",
        status="Licensed", partial="RGTQ7",
        kms_host=kms_host_block(38, 400, 57, licensed=311, grace=89)))))
    return f, ("`slmgr /dli` of a Windows Server 2012 R2 KMS host: 57 of 400 requests failed, those of products its "
               "CSVLK is too old for.", [cause("host-key-mismatch") | {"severity": "warning"}], [])


def evtx_of(log):
    """The log as Windows writes an .evtx (tests/tools/gen_evtx.py). Classic providers without a GUID
    are left out: gen_evtx's Event template always carries a provider GUID."""
    import gen_evtx  # noqa: E402 (only this case needs it)
    timed = []
    for e in sorted(log.events, key=lambda e: e.time):
        if not e.provider[1]:
            continue
        pairs = e.data if e.named else [(None, v) for v in e.data]
        data = [(k, gen_evtx.STRING, gen_evtx.s(v), False) for k, v in pairs]
        event = gen_evtx.Event(e.provider, e.source, e.channel, e.computer, e.event_id, int(e.qualifiers or 0),
                               e.level, data)
        unix = int((e.time - dt.datetime(1970, 1, 1)).total_seconds())
        # The same 100 ns tick as Event.xml writes (it is set when the log is rendered).
        timed.append((event, gen_evtx.filetime(unix, e.time.microsecond * 10 + e.record_id % 10)))
    return gen_evtx.build_log(timed)


def case_duplicate_log_copies():
    f = Fleet("duplicate-log-copies", 138)
    host = Host(f, "KMS01")
    f.host_log(host)
    start = f.end - dt.timedelta(days=21)
    clients = [Client(f, n, "win-ent") for n in pc_names(f, "HR", 28)]
    # PC-HR renamed half way: same machine (one CMID), a new name from then on.
    renamed = clients[0]
    old_name = renamed.name
    renamed_at = f.end - dt.timedelta(days=10)
    renamed.log = Log(f"clients/{old_name}/Application.xml", renamed.fqdn, "Application", 81234)
    f.noise(renamed.log, start, f.end, 10)
    second = clients[1]
    # Given as .evtx and .xml: both must hold the same records with the same EventRecordIDs, and gen_evtx
    # numbers records from 1 and writes only providers with a GUID.
    second.log = Log(f"clients/{second.name}/Application.xml", second.fqdn, "Application", 1)
    f.noise(second.log, start, f.end, 10)
    second.log.events = [e for e in second.log.events if e.provider[1]]
    for c in clients:
        c.activated = start - dt.timedelta(days=f.rng.uniform(1, 7))
        host.cmids[c.cmid] = c.activated
    for c in clients:
        for t in f.working_times(c.activated + RENEWAL, f.end, RENEWAL):
            if c is renamed and t >= renamed_at and c.name == old_name:
                c.name = "PC-HR-PAYROLL"
                c.fqdn = f"{c.name}.{f.domain}"
                c.log.computer = c.fqdn
            exchange(c, host, t)
    for e in renamed.log.events:  # the noise logged after the rename carries the new name too
        if e.time >= renamed_at:
            e.computer = renamed.fqdn
    # The customer exported each log twice: the renamed PC's as Application.xml and "Application (1).xml",
    # the other PC's as .evtx and as XML.
    f.logs += [(renamed.log, "wevtutil"), (second.log, "wevtutil")]
    copy = Log(f"clients/{old_name}/Application (1).xml", renamed.log.computer, "Application", 81234)
    copy.events = renamed.log.events
    f.logs.append((copy, "wevtutil"))
    f.files.append((f"clients/{second.name}/Application.evtx", lambda: evtx_of(second.log)))
    return f, ("Each client log was given twice: PC-HR-003's (renamed PC-HR-PAYROLL 10 days ago) as Application.xml "
               "and \"Application (1).xml\", PC-HR-011's as .evtx and .xml. One machine each, no duplicate CMID; the "
               "fleet is healthy.",
               [], [])


def case_host_log_only_low_count():
    f = Fleet("host-log-only-low-count", 139, domain="branch.contoso.com")
    host = Host(f, "KMS-BR2")
    f.host_log(host)
    start = f.end - dt.timedelta(days=2, hours=4)
    clients = [Client(f, n, "win-ent") for n in pc_names(f, "BR2", 8)]
    first_activations(f, host, clients, start, 0.4)
    return f, ("Only the Key Management Service log of a new branch host: 8 Windows 11 clients keep asking every 2 "
               "hours in their initial grace period; the count stays at 8 of 25.",
               [cause("count-below-threshold")], [])


def case_host_log_clients_stopped_renewing():
    f = Fleet("host-log-clients-stopped-renewing", 140)
    host = Host(f, "KMS01")
    f.host_log(host)
    start = f.end - dt.timedelta(days=61)
    clients = [Client(f, n, "win-ent") for n in pc_names(f, "SLS", 40)]
    stopped = set(c.name for c in f.rng.sample(clients, 12))  # moved to a site whose link drops TCP 1688
    cut = f.end - dt.timedelta(days=21)
    for c in clients:
        c.activated = start - dt.timedelta(days=f.rng.uniform(1, 7))
        host.cmids[c.cmid] = c.activated
    for c in clients:
        until = cut if c.name in stopped else f.end
        for t in f.working_times(c.activated + RENEWAL, until, RENEWAL):
            exchange(c, host, t)
    return f, ("Only KMS01's Key Management Service log: 40 clients renew weekly for 2 months, 12 of them stop "
               "3 weeks before the log ends.", [cause("renewal-overdue") | {"severity": "warning"}], [])


def case_office_versions_count_separately():
    f = Fleet("office-versions-count-separately", 142, domain="design.contoso.com")
    host = Host(f, "KMS-OFF")
    f.host_log(host)
    start = f.end - dt.timedelta(days=2, hours=4)
    # Three new PCs get Office 2016, three Office 2019: six Office clients, but each version is its own
    # count on the host (one Office host key per version), so both stay at 3 of the 5 needed.
    for version, dept in (("office2016", "ARC"), ("office2019", "ENG")):
        clients = [Client(f, n, version) for n in pc_names(f, dept, 3)]
        first_activations(f, host, clients, start, 0.4)
    return f, ("Only the Key Management Service log of KMS-OFF, an Office host with the 2016 and 2019 host keys: 3 new "
               "PCs with Office 2016 and 3 with Office 2019 keep asking every 2 hours. Six Office clients, but each "
               "version counts on its own and stays at 3 of 5.",
               # The lines below their threshold come in the order they first asked (each line's evidence is
               # its first 12290, with that request's time): an Office 2019 PC asked first.
               [cause("count-below-threshold") | {"says": ["Office 2019, Office 2016 never reached the threshold",
                                                          "Office 2016 3/5", "Office 2019 3/5"]}], [])


def case_windows_count_capped_office_below():
    f = Fleet("windows-count-capped-office-below", 143)
    host = Host(f, "KMS01")
    f.host_log(host)
    start = f.end - dt.timedelta(days=14)
    names = pc_names(f, "FIN", 20) + pc_names(f, "HR", 15) + pc_names(f, "OPS", 25)
    clients = [Client(f, n, f.rng.choice(["win-ent", "win-ent", "win-pro"])) for n in names]
    for c in clients[:2]:
        f.client_log(c)
        f.noise(c.log, start, f.end, 10)
    renewing_fleet(f, host, clients, start)
    # The design team's 3 new PCs got Office LTSC 2021: its own count on KMS01, 3 of the 5 it needs.
    office = [Client(f, n, "office2021") for n in pc_names(f, "DES", 3)]
    first_activations(f, host, office, f.end - dt.timedelta(days=1, hours=6), 0.3)
    return f, ("KMS01 serves 60 Windows 10/11 PCs that renew weekly (the host reports 50, its cap for Windows; their "
               "12289s say 50) and 3 new design PCs with Office LTSC 2021, which keep asking: the Windows count does "
               "not help them, their version's count stays at 3 of 5.",
               [cause("count-below-threshold") | {"says": ["Office LTSC 2021 never reached the threshold",
                                                          "Windows 50/25 (capped: 60 CMIDs)",
                                                          "Office LTSC 2021 3/5"]}], [])


def case_pasted_kb_style_event():
    f = Fleet("pasted-kb-style-event", 141)
    t = dt.datetime(2024, 3, 15, 9, 12, 44)
    cmid = f.uuid()
    payload = (f"0xC004F074, 0x00000000, KMS01.{f.domain}:1688, {cmid}, {fmt_client_time(t)}, 0, 2, 39100, "
               f"{SKU['win-ent']}, 25")
    text = [
        "Subject: Windows not activated on warehouse PC",
        "",
        "Hi,",
        "",
        "PC-WH-014 shows 'Activate Windows' since it was set up. The event log shows this:",
        "",
        "Source: Microsoft-Windows-Security-SPP",
        f"Date: {us_time(t)}",
        "Event ID: 12288",
        "Task Category: None",
        "Level: Information",
        "Keywords: Classic",
        "User: N/A",
        f"Computer: PC-WH-014.{f.domain}",
        "Description:",
        "The client has sent an activation request to the key management service machine.",
        "Info:",
        payload,
        "",
        "There is no 12289 after it. Other PCs activate fine.",
        "",
        "Thanks,",
        "Maria",
    ]
    f.files.append(("ticket.txt", crlf(text)))
    return f, ("A ticket with one 12288 pasted in Microsoft's KB style (no \"Log Name:\" line) showing 0xC004F074: the "
               "client cannot reach KMS01.",
               [cause("host-unreachable"), cause("never-activated", "host-unreachable")], [])


NEW_CASES = [
    case_ato_count_below_threshold, case_ato_unrecognised_error, case_spp_8198_count_only,
    case_host_key_mismatch_count_zero, case_healthy_server_only_host, case_renewal_running_out_dli,
    case_kms_license_expired, case_notification_other_reason, case_registered_host_unresolvable,
    case_retail_media_dns_error, case_mak_rejected, case_adba_no_activation_object, case_adba_error_code,
    case_avma_failed, case_license_store_damaged, case_evaluation_edition, case_host_failed_requests,
    case_duplicate_log_copies, case_host_log_only_low_count, case_host_log_clients_stopped_renewing,
    case_pasted_kb_style_event, case_registered_host_unresolvable_8198, case_retail_media_dns_error_8198,
    case_dns_server_failure_nslookup,
    case_office_versions_count_separately, case_windows_count_capped_office_below,
]


CASES = [
    case_healthy_windows_fleet, case_healthy_server_fleet, case_count_below_threshold, case_duplicate_cmid,
    case_count_split_across_hosts, case_host_unreachable, case_srv_record_missing, case_dns_server_failure,
    case_time_skew, case_host_key_mismatch, case_host_not_activated, case_dns_publish_failed,
    case_activation_limit_exceeded, case_product_key_invalid, case_not_volume_channel, case_never_activated,
    case_online_activation_failed, case_renewal_overdue, case_evidence_gap_no_host_log,
    case_evidence_gap_empty_host_log,
] + NEW_CASES


def expected_yaml(description, expect, info, inputs=()):
    lines = [f"description: {json.dumps(description)}", "expect:" + ("" if expect else " []")]
    for e in expect:
        lines.append(f"  - cause: {e['cause']}")
        if "severity" in e:
            lines.append(f"    severity: {e['severity']}")
        if "explained_by" in e:
            lines.append(f"    explained_by: [{', '.join(e['explained_by'])}]")
        if "findings" in e:
            lines.append(f"    findings: {e['findings']}")
        if "says" in e:
            lines.append(f"    says: [{', '.join(json.dumps(text) for text in e['says'])}]")
    if info:
        lines.append(f"info: [{', '.join(info)}]")
    if inputs:
        lines.append(f"inputs: [{', '.join(inputs)}]")
    return "\n".join(lines) + "\n"


README_HEAD = """# Sample fleets

Each folder is one activation story as an administrator would export it: `host/` holds the KMS host's
logs (`Key Management Service.xml`, sometimes its `Application.xml` or `slmgr /dli` output), `clients/` the
Application logs of a few clients. Files are either `wevtutil qe <log> /f:xml` output (bare `<Event>`
elements) or an Event Viewer "Save as XML" file (`<Events>` root, newest first, with rendered messages).
Command output (`slmgr /ato`, `/dli`, `/dlv`, as `cscript //nologo slmgr.vbs ... > file` saves it) sits in
`clients/<machine>/`: slmgr prints no computer name, so kmsdiag joins one machine's files by their folder.
A case without `host/` and `clients/` is a ticket text on its own. `expected.yaml` lists
the causes `kmsdiag analyze <folder>` must report at warning or worse (`expect`, exact set; an entry's
`findings: N` says how many findings of the cause there must be, e.g. 1 where several rules or sources show
one cause about one subject; `says` lists texts its explanation must contain) and info-level causes that must
also appear (`info`); `ctest -R scenario` checks them.

Everything here is written by `tests/tools/make_samples.py` (deterministic); edit the generator, not
the files. Names, CMIDs and times are invented.

| case | what it shows |
|---|---|
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parents[2] / "samples"))
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for make in CASES:
        fleet, (description, expect, info) = make()
        shutil.rmtree(out / fleet.case, ignore_errors=True)
        size = fleet.write(out)
        # The newer cases also pin how each input is read (the older ones predate `inputs`).
        pins = fleet.input_pins() if make in NEW_CASES else ()
        (out / fleet.case / "expected.yaml").write_text(expected_yaml(description, expect, info, pins))
        rows.append(f"| {fleet.case} | {description} |")
        print(f"{fleet.case}: {size // 1024} KB")
    # The mixed-format bundle is written by make_bundle.py (it reuses this fleet simulation).
    rows.append("| customer-bundle | A zip as a customer sends it: host EVTX and UTF-16 `slmgr /dlv`, a Japanese CP932 "
                "Event Viewer CSV and `slmgr /dli`, a client EVTX, nslookup output and a pasted ticket; the count is "
                "split between KMS01 and a retired host still in DNS (see customer-bundle/README.md). |")
    (out / "README.md").write_text(README_HEAD + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
