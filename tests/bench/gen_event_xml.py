#!/usr/bin/env python3
"""Writes a large, deterministic `wevtutil qe <log> /f:xml` style stream for benchmarking the event-xml reader.

Two modes:
  client  Application log noise (MSI, WER, ESENT, SPP service events, Restart Manager UserData) with a small
          fraction of Security-SPP KMS client events 12288/12289, activation failures 8198 and service 902.
  kms     A KMS host's "Key Management Service" log: 12290 requests from many clients.
  host-fleet  The same log for the fleet tests/tools/gen_evtx.py --mix host-fleet simulates (--clients,
          --months, --failing; --size is ignored): healthy clients renew weekly, refused ones retry every 2 hours.
          --truth FILE also writes what an exact analysis must report of it, as JSON: requests, the most
          distinct CMIDs in any 30-day window, and those in the 30 days up to the newest request.
Events follow each other without newlines, as wevtutil writes them. Same arguments -> same bytes.
"""
import argparse
import collections
import itertools
import json
import pathlib
import random
import sys
import uuid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / 'tools'))
import gen_evtx  # noqa: E402  (the simulated KMS fleet is shared with the EVTX generator)

NS = "http://schemas.microsoft.com/win/2004/08/events/event"
SPP = ('Microsoft-Windows-Security-SPP', '{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}',
       'Software Protection Platform Service')
ACT_IDS = ['ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03', '73111121-5638-40f6-bc11-f1d7b0d64300',
           '2de67392-b7a7-462a-b1ca-108dd189f588', 'fb0ee0ab-c2a3-4d0c-a8a2-e4e4b1b4e3a0']
ERRORS = ['0xC004F074', '0x8007232B', '0xC004F038', '0xC004F06C']


def parse_size(text):
    units = {'k': 1 << 10, 'm': 1 << 20, 'g': 1 << 30}
    text = text.strip().lower().rstrip('ib').rstrip('i')
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def system(provider, event_id, qualifiers, level, record_id, when, channel, computer):
    name, guid, source = provider
    guid_attr = f" Guid='{guid}'" if guid else ''
    source_attr = f" EventSourceName='{source}'" if source else ''
    qual = f" Qualifiers='{qualifiers}'" if qualifiers is not None else ''
    return (f"<Event xmlns='{NS}'><System><Provider Name='{name}'{guid_attr}{source_attr}/>"
            f"<EventID{qual}>{event_id}</EventID><Version>0</Version><Level>{level}</Level><Task>0</Task>"
            f"<Opcode>0</Opcode><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime='{when}'/>"
            f"<EventRecordID>{record_id}</EventRecordID><Correlation/><Execution ProcessID='0' ThreadID='0'/>"
            f"<Channel>{channel}</Channel><Computer>{computer}</Computer><Security/></System>")


def data(*values):
    return '<EventData>' + ''.join(f'<Data>{v}</Data>' for v in values) + '</EventData></Event>'


def stamps(seconds, frac):
    """TimeCreated (ISO, 100 ns) and the short client time of the KMS payloads, for a Unix time."""
    days, rem = divmod(seconds, 86400)
    # Civil date from days since 1970-01-01 (proleptic Gregorian).
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (1 if m <= 2 else 0)
    return (f'{y:04d}-{m:02d}-{d:02d}T{rem // 3600:02d}:{rem % 3600 // 60:02d}:{rem % 60:02d}.{frac:07d}Z',
            f'{y:04d}/{m:02d}/{d:02d} {rem // 3600:02d}:{rem % 3600 // 60:02d}')


class Generator:
    def __init__(self, mode, seed):
        self.rnd = random.Random(seed)
        self.mode = mode
        self.record_id = 1000
        self.written = 0  # bytes handed out so far (size-bounded modes stop at --size)
        self.seconds = 1_684_000_000  # May 2023
        self.computer = ('CLIENT-%04d' if mode == 'client' else 'KMS%02d') % self.rnd.randrange(100) + '.corp.example'
        self.cmid = str(uuid.UUID(int=self.rnd.getrandbits(128)))

    def when(self):
        self.seconds += self.rnd.randrange(1, 90)
        return stamps(self.seconds, self.rnd.randrange(10_000_000))

    def head(self, provider, event_id, qualifiers, level, channel='Application', when=None):
        self.record_id += 1
        iso, short = when or self.when()
        return system(provider, event_id, qualifiers, level, self.record_id, iso, channel, self.computer), short

    def client_event(self):
        r = self.rnd.random()
        if r < 0.004:
            h, t = self.head(SPP, 12288, 16384, 4)
            return h + data(f'0x00000000, 0x00000000, kms1.corp.example:1688, {self.cmid}, {t}, 1, 2, 43200, '
                            f'{self.rnd.choice(ACT_IDS)}, 25')
        if r < 0.008:
            h, t = self.head(SPP, 12289, 16384, 4)
            # hr, status, activated, unused, count, activation interval, renewal interval, client time
            return h + data(f'0x00000000, 0x00000000, 1, 0, {self.rnd.randrange(1, 60)}, 120, 10080, {t}')
        if r < 0.010:
            h, _ = self.head(SPP, 8198, 49152, 2)
            return h + data(f'hr={self.rnd.choice(ERRORS)}', 'Software Protection Platform Service',
                            f'55c92734-d682-4d71-983e-d6ec3f16059f;{self.rnd.choice(ACT_IDS)}')
        if r < 0.015:
            h, _ = self.head(SPP, 902, 16384, 4)
            return h + data('10.0.20348.1')
        if r < 0.30:
            h, _ = self.head(SPP, self.rnd.choice([16384, 16394, 1003, 1033, 903]), 16384, 4)
            return h + data('2023-05-11T05:58:06Z', 'RulesEngine')
        if r < 0.45:
            h, _ = self.head(('Microsoft-Windows-RestartManager', '{0888E5EF-9B98-4695-979D-E92CE4247224}', ''),
                             self.rnd.choice([10000, 10001]), None, 4)
            return (h + "<UserData><RmSessionEvent xmlns='http://www.microsoft.com/2005/08/Windows/Reliability/"
                    "RestartManager/'><RmSessionId>%d</RmSessionId><UTCStartTime>2023-05-11T05:56:55.1046264Z"
                    "</UTCStartTime></RmSessionEvent></UserData></Event>" % self.rnd.randrange(100))
        if r < 0.65:
            h, _ = self.head(('MsiInstaller', '', ''), 1040, 0, 4)
            return h + data('C:\\Windows\\Installer\\%x.msi' % self.rnd.getrandbits(24), '(NULL)', '(NULL)',
                            '(NULL)', '(NULL)', '(NULL)', '') .replace('</EventData>',
                                                                      '<Binary>7B36323336333631302D</Binary>'
                                                                      '</EventData>')
        if r < 0.85:
            h, _ = self.head(('Application Error', '', ''), 1000, 0, 2)
            return h + data('svchost.exe_Schedule', '10.0.20348.1', '%08x' % self.rnd.getrandbits(32),
                            'ntdll.dll', '10.0.20348.1906', '%08x' % self.rnd.getrandbits(32), 'c0000005',
                            '%016x' % self.rnd.getrandbits(64), '%x' % self.rnd.getrandbits(16),
                            '01d%013x' % self.rnd.getrandbits(52), 'C:\\Windows\\system32\\svchost.exe',
                            'C:\\Windows\\SYSTEM32\\ntdll.dll', str(uuid.UUID(int=self.rnd.getrandbits(128))), '', '')
        h, _ = self.head(('ESENT', '{478EA8A8-00BE-4BA6-8E75-8B9DC7DB9F78}', ''), 326, 0, 4)
        return h + data('svchost', '%d' % self.rnd.randrange(9000), 'SRUJet: ', 'C:\\Windows\\system32\\SRU\\SRUDB.dat',
                        '0', '10.0.20348.0')

    def kms_event(self):
        h, _ = self.head((SPP[0], SPP[1], 'KmsRequests'), 12290, 16384, 4, 'Key Management Service')
        client = 'PC-%05d.corp.example' % self.rnd.randrange(3000)
        cmid = str(uuid.UUID(int=self.rnd.getrandbits(128)))
        status, minutes = self.rnd.choice([(1, 259200 - self.rnd.randrange(200000)), (2, 43200), (5, 0)])
        return h + data(f'0x0,25,{client},{cmid},2023/5/{self.rnd.randrange(1, 29)} {self.rnd.randrange(24)}:'
                        f'{self.rnd.randrange(60):02d},{self.rnd.randrange(2)},{status},{minutes},'
                        f'{self.rnd.choice(ACT_IDS)}')


    def fleet_events(self, clients, months, failing, seed, truth):
        """The KMS host log of gen_evtx's simulated fleet (the same requests as its host-fleet mix)."""
        for r in gen_evtx.fleet_requests(clients, months, failing, seed):
            frac = r['time'] * 7919 % 10_000_000
            truth.add(r['time'] * 1000 + frac // 10_000, r['cmid'])
            h, _ = self.head((SPP[0], SPP[1], 'KmsRequests'), 12290, 16384, 4, 'Key Management Service',
                             stamps(r['time'], frac))
            yield h + data(','.join([r['hr'], r['n_policy'], r['client'], r['cmid'], gen_evtx.client_time(r['time']),
                                     r['vm'], r['status'], r['minutes'], r['act_id']]))


class CountTruth:
    """A KMS host's count over requests given in time order: a CMID counts for 30 days after each request."""
    WINDOW_MS = 30 * 86400 * 1000

    def __init__(self):
        self.requests = 0
        self.window = collections.deque()  # (time ms, cmid) of the requests in the current window
        self.in_window = collections.Counter()
        self.most = 0

    def add(self, t_ms, cmid):
        self.requests += 1
        while self.window and self.window[0][0] < t_ms - self.WINDOW_MS:
            _, old = self.window.popleft()
            self.in_window[old] -= 1
            if not self.in_window[old]:
                del self.in_window[old]
        self.window.append((t_ms, cmid))
        self.in_window[cmid] += 1
        self.most = max(self.most, len(self.in_window))

    def write(self, path):
        with open(path, 'w') as f:
            json.dump({'requests': self.requests, 'distinct_cmids_30d': self.most,
                       'current_cmids_30d': len(self.in_window)}, f)
            f.write('\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--size', default='1G', help='bytes to write at least (suffixes K, M, G)')
    ap.add_argument('--mode', choices=['client', 'kms', 'host-fleet'], default='client')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--clients', type=int, default=2000, help='host-fleet: number of KMS clients')
    ap.add_argument('--months', type=int, default=12, help='host-fleet: 30-day months of requests')
    ap.add_argument('--failing', type=float, default=0.02, help='host-fleet: fraction of clients refused')
    ap.add_argument('--truth', help='host-fleet: write the counts an exact analysis reports here (JSON)')
    ap.add_argument('out', help="output file ('-' for stdout)")
    args = ap.parse_args()
    gen = Generator('kms' if args.mode == 'host-fleet' else args.mode, args.seed)
    truth = CountTruth()
    if args.mode == 'host-fleet':
        events = gen.fleet_events(args.clients, args.months, args.failing, args.seed, truth)
    else:
        target = parse_size(args.size)
        make = gen.client_event if args.mode == 'client' else gen.kms_event
        events = itertools.takewhile(lambda _: gen.written < target, iter(make, None))
    out = sys.stdout.buffer if args.out == '-' else open(args.out, 'wb')
    batch = []
    batch_bytes = 0
    for event in events:
        chunk = event.encode()
        batch.append(chunk)
        batch_bytes += len(chunk)
        gen.written += len(chunk)
        if batch_bytes >= 1 << 20:
            out.write(b''.join(batch))
            batch, batch_bytes = [], 0
    out.write(b''.join(batch) + b'\r\n')
    if out is not sys.stdout.buffer:
        out.close()
    if args.truth:
        truth.write(args.truth)


if __name__ == '__main__':
    main()
