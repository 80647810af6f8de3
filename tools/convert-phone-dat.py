#!/usr/bin/env python3
"""One-time converter: `phone.dat` from the PyPI package `phone` -> data/phone-regions.bin.

Usage:
    pip download phone==0.4.5 --no-deps -d /tmp/phone
    tar xzf /tmp/phone/phone-0.4.5.tar.gz -C /tmp/phone
    python3 tools/convert-phone-dat.py /tmp/phone/phone-0.4.5/phone/phone.dat data/phone-regions.bin \
        [--dump /tmp/phone-expected.tsv]

Source layout (read from phone/phone.py of the package, all little-endian):
    header  "<4si": 4-byte ASCII version ("2312") and the offset of the first index entry;
    records "province|city|zip|area_code\\0" strings, from byte 8 up to that offset;
    index   "<iiB" entries sorted by prefix: 7-digit mobile prefix, record offset, carrier code
            (1 移动, 2 联通, 3 电信, 4 电信虚拟, 5 联通虚拟, 6 移动虚拟, 7 广电, 8 广电虚拟).

Output layout (VXPR version 1) is documented in crates/domain/src/phone_region.rs. The output is
decoded again here and compared with the source entry by entry before this script succeeds.
`--dump` also writes every source entry as TSV for the ignored Rust test `matches_source_dump`.
"""

import struct
import sys

FIRST_PREFIX = 1_300_000
SLOT_COUNT = 700_000  # prefixes 130_0000..=199_9999
REGION_BITS = 9  # region field of a run token; 0 means "prefix not in the dataset"
MAX_INLINE_LEN = (1 << (16 - REGION_BITS)) - 1
VALID_CARRIERS = range(1, 9)

# Known defects of the source, corrected here so that the shipped file is usable as is.
AREA_CODE_FIXES = {
    "00479": "0479",  # 内蒙古|锡林郭勒: a stray leading zero in phone.dat 2312
}


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_varint(buf, pos):
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def runs(values):
    out = []
    for v in values:
        if out and out[-1][0] == v:
            out[-1][1] += 1
        else:
            out.append([v, 1])
    return out


def read_source(path):
    buf = open(path, "rb").read()
    version, first_index = struct.unpack("<4si", buf[:8])
    records = {}  # offset -> (province, city, area_code), in file order
    pos = 8
    while pos < first_index:
        end = buf.index(b"\0", pos)
        province, city, _zip, area = buf[pos:end].decode("utf-8").split("|")
        area = AREA_CODE_FIXES.get(area, area)
        records[pos] = (province, city, area)
        pos = end + 1
    entries = []
    for pos in range(first_index, len(buf), 9):
        prefix, offset, carrier = struct.unpack("<iiB", buf[pos : pos + 9])
        entries.append((prefix, records[offset], carrier))
    return version.decode("ascii"), list(records.values()), entries


def check_area_code(area):
    # 010 and 02x are three digits, every other mainland area code four.
    ok = area.isdigit() and area[0] == "0" and len(area) == (3 if area[1] in "12" else 4)
    if not ok:
        sys.exit(f"unexpected area code {area!r}; add a fix to AREA_CODE_FIXES")


def convert(src, dst, dump=None):
    version, records, entries = read_source(src)
    # Keep regions in source order but only those some prefix uses.
    used = {region for _, region, _ in entries}
    regions = [r for r in dict.fromkeys(records) if r in used]
    region_index = {r: i + 1 for i, r in enumerate(regions)}
    if len(regions) >= 1 << REGION_BITS:
        sys.exit(f"{len(regions)} regions do not fit {REGION_BITS} bits")

    region_slots = [0] * SLOT_COUNT
    carrier_slots = [0] * SLOT_COUNT
    for prefix, region, carrier in entries:
        slot = prefix - FIRST_PREFIX
        if not 0 <= slot < SLOT_COUNT or carrier not in VALID_CARRIERS:
            sys.exit(f"unexpected entry {prefix} {region} {carrier}")
        check_area_code(region[2])
        region_slots[slot] = region_index[region]
        carrier_slots[slot] = carrier

    out = bytearray(b"VXPR")
    out.append(1)
    out += version.encode("ascii")
    out += struct.pack("<IIH", FIRST_PREFIX, SLOT_COUNT, len(regions))
    for region in regions:
        for field in region:
            raw = field.encode("utf-8")
            out.append(len(raw))
            out += raw
    region_runs = runs(region_slots)
    out += struct.pack("<I", len(region_runs))
    for value, length in region_runs:
        inline = length if length <= MAX_INLINE_LEN else 0
        out += struct.pack("<H", (inline << REGION_BITS) | value)
        if not inline:
            out += varint(length)
    carrier_runs = runs(carrier_slots)
    out += struct.pack("<I", len(carrier_runs))
    for value, length in carrier_runs:
        out.append(value)
        out += varint(length)

    verify(bytes(out), entries)
    open(dst, "wb").write(out)
    print(
        f"{src}: version {version}, {len(entries)} prefixes, {len(regions)} regions, "
        f"{len(region_runs)} region runs, {len(carrier_runs)} carrier runs -> {dst} ({len(out)} bytes)"
    )
    if dump:
        with open(dump, "w", encoding="utf-8") as f:
            for prefix, (province, city, area), carrier in entries:
                f.write(f"{prefix}\t{province}\t{city}\t{area}\t{carrier}\n")


def verify(buf, entries):
    """Decode the output like the Rust reader does and compare with the source."""
    assert buf[:5] == b"VXPR\x01"
    first, count, nregions = struct.unpack("<IIH", buf[9:19])
    pos = 19
    regions = [None]
    for _ in range(nregions):
        fields = []
        for _ in range(3):
            n = buf[pos]
            fields.append(buf[pos + 1 : pos + 1 + n].decode("utf-8"))
            pos += 1 + n
        regions.append(tuple(fields))
    slots = []
    (nruns,) = struct.unpack("<I", buf[pos : pos + 4])
    pos += 4
    for _ in range(nruns):
        (token,) = struct.unpack("<H", buf[pos : pos + 2])
        pos += 2
        length = token >> REGION_BITS
        if not length:
            length, pos = read_varint(buf, pos)
        slots += [token & ((1 << REGION_BITS) - 1)] * length
    carriers = []
    (nruns,) = struct.unpack("<I", buf[pos : pos + 4])
    pos += 4
    for _ in range(nruns):
        value = buf[pos]
        length, pos = read_varint(buf, pos + 1)
        carriers += [value] * length
    assert pos == len(buf) and len(slots) == count and len(carriers) == count
    expected = {prefix: (region, carrier) for prefix, region, carrier in entries}
    for slot in range(count):
        got = (regions[slots[slot]], carriers[slot]) if slots[slot] else None
        assert got == expected.get(first + slot), (first + slot, got)


if __name__ == "__main__":
    args = sys.argv[1:]
    dump = None
    if "--dump" in args:
        i = args.index("--dump")
        dump = args[i + 1]
        del args[i : i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    convert(args[0], args[1], dump)
