#!/usr/bin/env python3
"""Writes the hostile event inputs of issue 10 (deep nesting, events with huge payloads), small or full size.

  wide-xml N       one KMS host 12290 event whose EventData holds N <Data Name="..."> items
  wide-json N      the same event as `Get-WinEvent | ConvertTo-Json` with N Properties
  deep-xml N       an event whose <UserData> nests N elements deep (followed by a normal event)
  deep-json N      an event whose "Message" is N nested arrays (followed by a normal event)
  chain-json N     an event whose "TimeCreated" is N nested {"value": ...} objects (followed by a normal event)

Every input ends with an ordinary 12290 event, so a reader that recovers still delivers it. Same arguments ->
same bytes. Used by the unit tests (small N), the fuzz seeds (tests/fuzz/seeds) and tests/bench/run_wide_events.sh.
"""
import json
import sys

NS = "http://schemas.microsoft.com/win/2004/08/events/event"
PAYLOAD = ["0x0", "5", "pc01.corp.example", "ae3b3f44-4b5d-4a6c-9d3f-52f1f2a9a1b4", "2024/03/15 10:00:00", "0", "2",
           "43200", "73111121-5638-40f6-bc11-f1d7b0d64300"]


def system(record_id):
    return (f'<System><Provider Name="Microsoft-Windows-Security-SPP" EventSourceName="Software Protection '
            f'Platform Service"/><EventID Qualifiers="16384">12290</EventID><Level>4</Level>'
            f'<TimeCreated SystemTime="2024-03-15T10:00:00.000Z"/><EventRecordID>{record_id}</EventRecordID>'
            f'<Channel>Key Management Service</Channel><Computer>kms01.corp.example</Computer></System>')


def xml_event(record_id, body):
    return f'<Event xmlns="{NS}">{system(record_id)}{body}</Event>\n'


def normal_xml(record_id):
    return xml_event(record_id, "<EventData>" + "".join(f"<Data>{v}</Data>" for v in PAYLOAD) + "</EventData>")


def json_event(record_id, message, properties, time='"/Date(1710496800000)/"'):
    # Written by hand, not json.dumps: the nested values are too deep for Python's own encoder.
    return ('{"Id": 12290, "ProviderName": "Microsoft-Windows-Security-SPP", "LogName": "Key Management Service", '
            f'"RecordId": {record_id}, "MachineName": "kms01.corp.example", "TimeCreated": {time}, '
            f'"Message": {message}, "Properties": [' + ", ".join('{"Value": %s}' % json.dumps(p) for p in properties)
            + "]}")


def main():
    kind, n = sys.argv[1], int(sys.argv[2])
    out = sys.stdout
    if kind == "wide-xml":
        items = "".join(f'<Data Name="D{i}">{i}</Data>' for i in range(n))
        out.write(xml_event(1, f"<EventData>{items}</EventData>") + normal_xml(2))
    elif kind == "wide-json":
        out.write("[" + json_event(1, '"Info: x"', [str(i) for i in range(n)]) + ",\n" +
                  json_event(2, '"Info: x"', PAYLOAD) + "]\n")
    elif kind == "deep-xml":
        out.write(xml_event(1, "<UserData>" + "<n>" * n + "leaf" + "</n>" * n + "</UserData>") + normal_xml(2))
    elif kind == "deep-json":
        out.write("[" + json_event(1, "[" * n + '"x"' + "]" * n, PAYLOAD) + ",\n" +
                  json_event(2, '"Info: x"', PAYLOAD) + "]\n")
    elif kind == "chain-json":
        chain = '{"value": ' * n + '"/Date(1710496800000)/"' + "}" * n
        out.write("[" + json_event(1, '"Info: x"', PAYLOAD, chain) + ",\n" + json_event(2, '"Info: x"', PAYLOAD) +
                  "]\n")
    else:
        sys.exit(f"unknown kind {kind}")


if __name__ == "__main__":
    main()
