#!/usr/bin/env python3
"""Grows an EVTX file to a target size by repeating its chunks, for benchmarks.

The generator (tests/tools/gen_evtx.py) is a faithful but slow Python writer; repeating its 64 KiB
chunks gives a large file whose records every reader decodes the same way. The file header's chunk
count, last chunk number and checksum are rewritten so evtxexport reads every chunk too.
usage: grow_evtx.py SOURCE.evtx OUT.evtx SIZE_MB
"""
import struct
import sys
import zlib

HEADER, CHUNK = 4096, 65536


def main():
    src, out, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
    data = open(src, "rb").read()
    chunks = [data[o:o + CHUNK] for o in range(HEADER, len(data) - CHUNK + 1, CHUNK)]
    if not chunks:
        sys.exit(f"{src}: no complete chunk")
    want = max(1, min(65535, (size_mb << 20) // CHUNK))
    header = bytearray(data[:HEADER])
    struct.pack_into("<Q", header, 16, want - 1)   # last chunk number
    struct.pack_into("<H", header, 42, want)       # number of chunks
    struct.pack_into("<I", header, 120, struct.unpack_from("<I", header, 120)[0] & ~1)  # not dirty
    struct.pack_into("<I", header, 124, zlib.crc32(bytes(header[:120])) & 0xFFFFFFFF)
    with open(out, "wb") as f:
        f.write(header)
        for i in range(want):
            f.write(chunks[i % len(chunks)])


if __name__ == "__main__":
    main()
