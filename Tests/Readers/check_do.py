"""Checks a terep .do file as far as possible without Stata: every line must be one of the
commands terep writes, in Stata's syntax (compound quotes closed, no macro expansion left in a
text, names of at most 32 characters, variable labels of at most 80); then the commands are
carried out here on the CSV, and the result must equal the .dta as pyreadstat reads it — every
cell (.a/.b/.c included), variable label, value label and display format.

    python3 check_do.py TABLE.do TABLE.dta

Stata itself is not available to the tests; this is the substitute. Prints "ok N cells" or the
problems and exits 1. Used by ReaderAgreementTests.
"""
import datetime, math, os, re, sys

NAME = r"[A-Za-z_][A-Za-z0-9_]{0,31}"
TEXT = r"`\"((?:[^\"\\]|\\[$`\\]|\"(?!'))*)\"'"   # compound double quotes; \$ and \` escaped
DAY0 = datetime.date(1960, 1, 1)
MS0 = datetime.datetime(1960, 1, 1)
LETTERS = {".a": "a", ".b": "b", ".c": "c"}


def unescape(s):
    return re.sub(r"\\([$`])", r"\1", s)


def stata_date(text):
    try:
        return (datetime.date.fromisoformat(text) - DAY0).days
    except ValueError:
        return None


def stata_clock(text):
    try:
        stamp = datetime.datetime.strptime(text.replace("T", " ", 1).replace("Z", "", 1), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return (stamp - MS0) / datetime.timedelta(milliseconds=1)


def real(text):
    try:
        return float(text)
    except ValueError:
        return None


class Problem(Exception):
    pass


def run(do_path):
    import pandas
    folder = os.path.dirname(os.path.abspath(do_path))
    frame, order = {}, []
    labels, formats, defined, values, chars = {}, {}, {}, {}, {}
    patterns = [
        ("comment", r"\*.*"),
        ("version", r"version 1[4-9]"),
        ("import", r'import delimited using "([^"]+)", varnames\(1\) stringcols\(_all\) encoding\("utf-8"\) bindquote\(strict\) clear'),
        ("generate", rf"generate (byte|int|long|double) ({NAME}) = (real|date|clock)\((.*)\)"),
        ("replace", rf'replace ({NAME}) = (\.[abc]) if ({NAME}) == "(-?[0-9]+)"'),
        ("drop", rf"drop ({NAME})"),
        ("rename", rf"rename ({NAME}) ({NAME})"),
        ("order", rf"order ((?:{NAME} ?)+)"),
        ("label variable", rf"label variable ({NAME}) {TEXT}"),
        ("label define", rf"label define ({NAME}) ((?:(?:-?[0-9]+|\.[a-z]) {TEXT} ?)+), replace"),
        ("label values", rf"label values ({NAME}) ({NAME})"),
        ("format", rf"format ({NAME}) (%[-0-9.]*[a-z]+)"),
        ("char", rf"char ({NAME})\[({NAME})\] {TEXT}"),
    ]
    with open(do_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        for kind, pattern in patterns:
            m = re.fullmatch(pattern, line)
            if m:
                break
        else:
            raise Problem(f"line {number}: not a command terep writes, or bad syntax: {line[:120]}")
        g = m.groups()
        if kind == "import":
            df = pandas.read_csv(os.path.join(folder, g[0]), dtype=str, keep_default_na=False, encoding="utf-8")
            frame = {c: df[c].tolist() for c in df.columns}
            order = list(df.columns)
        elif kind == "generate":
            storage, new, fn, argument = g
            source = re.match(rf"(?:subinstr\(subinstr\()?({NAME})", argument).group(1)
            convert = {"real": real, "date": stata_date, "clock": stata_clock}[fn]
            if fn == "date" and argument != f'{source}, "YMD"':
                raise Problem(f"line {number}: date() needs the mask \"YMD\"")
            frame[new] = [convert(v) for v in frame[source]]
            order.append(new)
        elif kind == "replace":
            target, letter, source, code = g
            frame[target] = [LETTERS[letter] if s == code else t for t, s in zip(frame[target], frame[source])]
        elif kind == "drop":
            del frame[g[0]]
            order.remove(g[0])
        elif kind == "rename":
            if g[1] in frame:
                raise Problem(f"line {number}: {g[1]} already exists")
            frame[g[1]] = frame.pop(g[0])
            order[order.index(g[0])] = g[1]
        elif kind == "order":
            wanted = g[0].split()
            if sorted(wanted) != sorted(order):
                raise Problem(f"line {number}: order names other variables than the dataset has")
            order = wanted
        elif kind == "label variable":
            text = unescape(g[1])
            if len(text) > 80:
                raise Problem(f"line {number}: a variable label of {len(text)} characters (Stata keeps 80)")
            labels[g[0]] = text
        elif kind == "label define":
            pairs = re.findall(rf"(-?[0-9]+|\.[a-z]) {TEXT}", g[1])
            defined[g[0]] = {(LETTERS.get(k) or float(k)): unescape(t) for k, t in pairs}
        elif kind == "label values":
            if g[1] not in defined:
                raise Problem(f"line {number}: value label {g[1]} used before it is defined")
            values[g[0]] = g[1]
        elif kind == "format":
            formats[g[0]] = g[1]
        elif kind == "char":
            chars[(g[0], g[1])] = unescape(g[2])
        if kind not in ("comment", "version", "import") and not frame:
            raise Problem(f"line {number}: a command before the data is imported")
    return frame, order, labels, formats, defined, values


def same(mine, theirs):
    if isinstance(mine, str) or isinstance(theirs, str):
        return (mine or "") == (theirs or "") if isinstance(theirs, str) or theirs is None else False
    if mine is None:
        return theirs is None or (isinstance(theirs, float) and math.isnan(theirs))
    if isinstance(theirs, datetime.datetime):
        theirs = (theirs - MS0) / datetime.timedelta(milliseconds=1)
    elif isinstance(theirs, datetime.date):
        theirs = (theirs - DAY0).days
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return False
    return abs(float(mine) - float(theirs)) <= 1e-6 * max(1.0, abs(float(theirs)))


def main():
    import pyreadstat
    do_path, dta = sys.argv[1], sys.argv[2]
    try:
        frame, order, labels, formats, defined, values = run(do_path)
    except Problem as p:
        sys.exit(f"{do_path}: {p}")
    data, meta = pyreadstat.read_dta(dta, user_missing=True)
    plain, _ = pyreadstat.read_dta(dta)
    problems, cells = [], 0
    if order != list(data.columns):
        problems.append("the variables are not in the .dta's order")
    for c in data.columns:
        theirs = [x if isinstance(x, str) or not (isinstance(y, float) and y != y) else None
                  for x, y in zip(data[c].tolist(), plain[c].tolist())]
        if meta.original_variable_types.get(c, "").endswith("s"):
            theirs = plain[c].tolist()
        for i, (a, b) in enumerate(zip(frame.get(c, []), theirs)):
            cells += 1
            if not same(a, b):
                problems.append(f"row {i + 1} {c}: the .do gives {a!r}, the .dta holds {b!r}")
        if (labels.get(c) or "").rstrip() != (meta.column_names_to_labels.get(c) or "").rstrip():
            problems.append(f"{c}: label {labels.get(c)!r} vs {meta.column_names_to_labels.get(c)!r}")
        fmt = meta.original_variable_types.get(c)
        if formats.get(c) != fmt and not (fmt and fmt.endswith("s") and (formats.get(c) or "").endswith("s")):
            problems.append(f"{c}: format {formats.get(c)} vs {fmt}")
        if c in values:
            want = {(k if isinstance(k, str) else float(k)): v for k, v in meta.variable_value_labels.get(c, {}).items()}
            if defined[values[c]] != want:
                problems.append(f"{c}: value labels differ")
    if problems or cells == 0:
        print(f"{len(problems)} problems in {do_path}:")
        print("\n".join(problems[:25]))
        sys.exit(1)
    print(f"ok {cells} cells")


if __name__ == "__main__":
    try:
        import pyreadstat, pandas  # noqa: F401
    except ImportError:
        sys.exit("pyreadstat and pandas are not installed: pip install pyreadstat pandas (.ci/run does)")
    main()
