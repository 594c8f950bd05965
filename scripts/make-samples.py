#!/usr/bin/env python3
"""Writes the synthetic sample files of questionnaires/samples/ (docs/coordinator.md, "The sample").

Every street name and address is invented for these files: none is a real Miskolc address. The
files are reproducible (a fixed seed): run `python3 scripts/make-samples.py` from the package root.
"""
import csv
import io
import random

random.seed(20261001)

# Invented street names (not Miskolc's), in the forms Hungarian addresses take.
STREETS = [
    "Borsóvirág utca", "Kékfény sor", "Napkorong köz", "Szélrózsa utca", "Holdsugár tér", "Csillagpor köz",
    "Mécses utca", "Felhőjáró sor", "Harmatcsepp utca", "Lámpás köz", "Kőrózsa utca", "Tölgyfalevél sor",
    "Gyertyaláng utca", "Szivárvány köz", "Hajnalpír utca", "Fenyőtoboz sor", "Pitypang köz", "Vadkörte utca",
    "Kútkáva tér", "Malomkerék utca", "Szőlőinda sor", "Cserépkályha köz", "Kalászfény utca", "Hóvirágdomb sor",
]


def address(street, number, block=None):
    if block:
        return f"{street} {number}. {block}"
    return f"{street} {number}."


def hexkey(rng, n=6):
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(n))


def write(path, header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())


def wellbeing():
    """Brief 1 §2: stratified two-stage address sample, 8 addresses per PSU, about 100 interviews
    per stratum (so about 2 addresses per interview), plus the City evenings event booster."""
    rng = random.Random(1)
    rows = []
    n = 0
    keys = set()
    for district in range(1, 12):
        for p in range(1, 19):  # 18 PSUs of 8 addresses per district: 1,584 addresses
            psu = f"W{district:02d}-{p:03d}"
            street = rng.choice(STREETS)
            number = rng.randint(1, 140)
            panel = rng.random() < 0.5
            for a in range(8):
                n += 1
                key = hexkey(rng)
                while key in keys:
                    key = hexkey(rng)
                keys.add(key)
                block = f"{rng.randint(1, 10)}/{rng.randint(1, 40)}" if panel else None
                num = number if panel else number + 2 * a
                rows.append([f"W-{n:05d}", 1, psu, key, address(street, num, block), district, ""])
    for e in range(1, 121):
        date = ["2026-10-14", "2026-11-04", "2026-11-25"][(e - 1) // 40]
        rows.append([f"E-{e:04d}", 2, f"EV-{date}", f"E{e:05d}", "", "",
                     f"Városi esték, {date}: a résztvevő a helyszínen egyezett bele"])
    write("questionnaires/samples/wellbeing.csv",
          ["case_id", "sample_source", "cluster_id", "address_id", "address", "district", "note"], rows)


def energy():
    """Brief 2 §2: staircases of at most 4 dwellings (blocks) or street segments (houses), 150
    interviews per district, Bulgárföld houses oversampled: about 2 dwellings per interview."""
    rng = random.Random(2)
    rows = []
    n = 0
    for district, blocks, houses in [(1, 40, 35), (2, 70, 5), (3, 55, 20)]:
        for s in range(blocks):
            street = rng.choice(STREETS)
            number = rng.randint(1, 60)
            for d in range(4):
                n += 1
                rows.append([f"N-{n:05d}", district, f"L{district}-{s + 1:03d}", hexkey(rng, 8),
                             address(street, number, f"{rng.randint(1, 10)}/{rng.randint(1, 44)}"), ""])
        for s in range(houses):
            street = rng.choice(STREETS)
            start = rng.randint(1, 80)
            for d in range(4):
                n += 1
                rows.append([f"N-{n:05d}", district, f"U{district}-{s + 1:03d}", hexkey(rng, 8),
                             address(street, start + 2 * d), "családi ház" if d == 0 else ""])
    write("questionnaires/samples/energy.csv", ["case_id", "district", "cluster_id", "address_id", "address", "note"], rows)


def stakeholders():
    """Brief 3 §1: the programme team's list, a census (n about 60-120)."""
    rng = random.Random(3)
    kinds = [(1, 30), (2, 14), (3, 8), (4, 18), (5, 6), (6, 6), (7, 10), (96, 3)]
    rows = []
    n = 0
    for kind, count in kinds:
        for _ in range(count):
            n += 1
            street = rng.choice(STREETS)
            rows.append([f"S-{n:03d}", f"ORG-{n:03d}", kind, address(street, rng.randint(1, 90)),
                         "előre telefonon egyeztetni" if rng.random() < 0.3 else ""])
    write("questionnaires/samples/stakeholders.csv", ["case_id", "org_id", "frame_type", "address", "note"], rows)


wellbeing()
energy()
stakeholders()
