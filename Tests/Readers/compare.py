"""Compares an exported .sav or .dta (read by pyreadstat, or by PSPP) with the CSV of the same
table, cell by cell, dates and the special codes -7/-8/-9 included.

    python3 compare.py pyreadstat TABLE.sav TABLE.csv
    python3 compare.py pyreadstat TABLE.dta TABLE.csv
    python3 compare.py pspp       TABLE.sav TABLE.csv     (PSPP writes the .sav's values as CSV)
    python3 compare.py sps        TABLE.sps TABLE.sav     (PSPP runs the .sps; the result must equal the .sav)

Prints "ok N cells" or the mismatches, and exits 1 on any. Used by ReaderAgreementTests.
"""
import csv, datetime, math, os, subprocess, sys, tempfile

SPECIAL = {"-7": "a", "-8": "b", "-9": "c"}
EPOCH_1582 = datetime.date(1582, 10, 14)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def kind_of(fmt):
    fmt = (fmt or "").upper().lstrip("%-")
    if fmt.startswith("DATETIME") or fmt.startswith("TC"):
        return "datetime"
    if fmt.startswith("DATE") or fmt.startswith("TD"):
        return "date"
    if fmt.startswith("A") or fmt.endswith("S"):
        return "text"
    return "number"


def expected_special_date(code):
    return EPOCH_1582 + datetime.timedelta(days=int(code))


def same(csv_value, value, kind, fmt, specials=True):
    """Whether a reader's cell equals the CSV's; `value` as pyreadstat gives it. Without
    `specials` (a computed number), -7/-8/-9 in the CSV are plain numbers."""
    if kind == "text":
        return (value or "") == csv_value
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    if csv_value == "":
        return missing
    if csv_value in SPECIAL and specials:
        if fmt == "dta":
            return value == SPECIAL[csv_value]
        if kind == "date":
            return value == expected_special_date(csv_value)
        if kind == "datetime":
            return value == datetime.datetime.combine(expected_special_date(csv_value), datetime.time())
        return not missing and float(value) == float(csv_value)
    if missing or isinstance(value, str):
        return False
    if kind == "date":
        return value == datetime.date.fromisoformat(csv_value)
    if kind == "datetime":
        return value == datetime.datetime.fromisoformat(csv_value.rstrip("Z"))
    return abs(float(value) - float(csv_value)) < 1e-9 * max(1.0, abs(float(csv_value)))


def compare(header, rows, columns, formats, style, plain=()):
    """columns: name -> list of values. Returns mismatch messages and the cell count."""
    problems, cells = [], 0
    if list(columns) != header:
        problems.append(f"columns differ: {list(columns)[:5]}… vs {header[:5]}…")
        return problems, 0
    for j, name in enumerate(header):
        kind = kind_of(formats.get(name))
        values = columns[name]
        if len(values) != len(rows):
            problems.append(f"{name}: {len(values)} rows, CSV has {len(rows)}")
            continue
        for i, row in enumerate(rows):
            cells += 1
            if not same(row[j], values[i], kind, style, name not in plain):
                problems.append(f"row {i + 1} {name} ({kind}): CSV {row[j]!r}, reader {values[i]!r}")
    return problems, cells


def read_pyreadstat(path):
    import pyreadstat
    if path.endswith(".dta"):
        df, meta = pyreadstat.read_dta(path, user_missing=True)
        plain, _ = pyreadstat.read_dta(path)
        columns = {}
        for c in df.columns:
            a, b = df[c].tolist(), plain[c].tolist()
            # pyreadstat 1.3 mixes up a plain "." in a column that also holds .a-.z: take "." from a plain read.
            columns[c] = [x if isinstance(x, str) or not (isinstance(y, float) and y != y) else None for x, y in zip(a, b)]
            if meta.original_variable_types.get(c, "").endswith("s"):
                columns[c] = b
        return columns, meta.original_variable_types, "dta", plain_numbers(meta)
    df, meta = pyreadstat.read_sav(path, user_missing=True)
    return {c: df[c].tolist() for c in df.columns}, meta.original_variable_types, "sav", plain_numbers(meta)


def plain_numbers(meta):
    """Numeric variables without special codes (no user-missing values nor .a-.c labels): computed numbers."""
    out = set()
    for name, fmt in meta.original_variable_types.items():
        labels = meta.variable_value_labels.get(name, {})
        declared = name in getattr(meta, "missing_ranges", {}) or "b" in labels
        if kind_of(fmt) == "number" and not declared:
            out.add(name)
    return out


def read_pspp(path):
    """PSPP opens the .sav and writes its values as CSV (dates as SPSS seconds)."""
    import pyreadstat
    _, meta = pyreadstat.read_sav(path, metadataonly=True)
    formats = meta.original_variable_types
    calendar = [n for n, f in formats.items() if kind_of(f) in ("date", "datetime")]
    numbers = [n for n, f in formats.items() if kind_of(f) == "number"]
    out = tempfile.mktemp(suffix=".csv")
    syntax = [f"GET FILE='{path}'."]
    if calendar:
        syntax.append(f"FORMATS {' '.join(calendar)} (F20.0).")
    if numbers:
        syntax.append(f"FORMATS {' '.join(numbers)} (F40.16).")
    syntax.append(f"SAVE TRANSLATE /OUTFILE='{out}' /TYPE=CSV /FIELDNAMES /CELLS=VALUES /MISSING=IGNORE /REPLACE.")
    run_pspp("\n".join(syntax) + "\n")
    header, rows = read_csv(out)
    os.remove(out)
    columns = {}
    for j, name in enumerate(header):
        kind = kind_of(formats.get(name))
        values = []
        for row in rows:
            v = row[j]
            if kind == "text":
                values.append(v.rstrip(" "))
            elif v.strip() in ("", "."):
                values.append(None)
            elif kind in ("date", "datetime"):
                seconds = float(v)
                stamp = datetime.datetime(1582, 10, 14) + datetime.timedelta(seconds=seconds)
                values.append(stamp.date() if kind == "date" else stamp)
            else:
                values.append(float(v))
        columns[name] = values
    return columns, formats, "sav", plain_numbers(meta)


def run_pspp(syntax):
    with tempfile.NamedTemporaryFile("w", suffix=".sps", delete=False, encoding="utf-8") as f:
        f.write(syntax)
    try:
        result = subprocess.run(["pspp", "--batch", "-O", "format=txt", f.name], capture_output=True, text=True)
    except FileNotFoundError:
        sys.exit("PSPP is not installed: apt-get install pspp (.ci/run does)")
    finally:
        os.remove(f.name)
    errors = [l for l in (result.stdout + result.stderr).splitlines() if " error:" in l or l.startswith("error:")]
    if result.returncode != 0 or errors:
        sys.exit("PSPP failed:\n" + result.stdout + result.stderr)
    return result.stdout


def check_sps(sps, sav):
    """Runs the .sps in its directory, saves what it builds and compares it with the .sav."""
    import pyreadstat
    folder = os.path.dirname(os.path.abspath(sps))
    rebuilt = tempfile.mktemp(suffix=".sav")
    with open(sps, encoding="utf-8") as f:
        text = f.read()
    run_pspp(f"CD '{folder}'.\n" + text + f"SAVE OUTFILE='{rebuilt}'.\n")
    a, ma = pyreadstat.read_sav(sav, user_missing=True)
    b, mb = pyreadstat.read_sav(rebuilt, user_missing=True)
    os.remove(rebuilt)
    problems = []
    if list(a.columns) != list(b.columns):
        problems.append("columns differ")
    for name in ("column_names_to_labels", "variable_value_labels", "missing_ranges", "original_variable_types",
                 "variable_measure", "mr_sets"):
        x, y = getattr(ma, name), getattr(mb, name)
        if x != y:
            keys = [k for k in set(x) | set(y) if x.get(k) != y.get(k)] if isinstance(x, dict) else []
            problems.append(f"{name} differ: {keys[:5]}")
    cells = 0
    for c in a.columns:
        for i, (x, y) in enumerate(zip(a[c].tolist(), b[c].tolist())):
            cells += 1
            if not (x == y or (x != x and y != y) or (x is None and y is None)):
                problems.append(f"row {i + 1} {c}: .sav {x!r}, from the .sps {y!r}")
    return problems, cells


def main():
    how, path, reference = sys.argv[1], sys.argv[2], sys.argv[3]
    if how == "sps":
        problems, cells = check_sps(path, reference)
    else:
        header, rows = read_csv(reference)
        columns, formats, style, plain = read_pyreadstat(path) if how == "pyreadstat" else read_pspp(path)
        problems, cells = compare(header, rows, columns, formats, style, plain)
    if problems or cells == 0:
        print(f"{len(problems)} mismatches in {path} ({how}):")
        print("\n".join(problems[:25]))
        sys.exit(1)
    print(f"ok {cells} cells")


if __name__ == "__main__":
    try:
        import pyreadstat, pandas  # noqa: F401
    except ImportError:
        sys.exit("pyreadstat and pandas are not installed: pip install pyreadstat pandas (.ci/run does)")
    main()
