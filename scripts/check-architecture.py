#!/usr/bin/env python3
"""Checks docs/architecture.md's table of targets against the imports in the code.

For every row of the table (`| `Target` | may import | external |`), the project's own
targets the row names under "may import" must be exactly the ones the target's Swift files
import (no import missing from the document, none listed that the code does not make), and every
other module the target imports must be named in the row (Foundation, Glibc and Darwin
excepted; system modules such as `CZlib` count as other modules). Rows naming several targets (`FuzzParser`, `FuzzBundle`) check each; "all of the
above" means any of the project's library targets. A target folder without a row fails too.

    scripts/check-architecture.py     # prints nothing and exits 0 when the document is true

Run by .ci/run.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
FOLDERS = ["Sources", "Benchmarks", "Fuzz"]
SYSTEM = {"Foundation", "Glibc", "Darwin", "SwiftGlibc", "FoundationEssentials", "Dispatch"}
# Module names that the table names by their package (a row naming either is enough).
PACKAGE_OF = {
    "Crypto": "swift-crypto",
    "PostgresNIO": "postgres-nio",
    "AsyncHTTPClient": "async-http-client",
    "ArgumentParser": "swift-argument-parser",
    "Logging": "swift-log",
    "NIOSSL": "swift-nio-ssl",
}
IMPORT = re.compile(
    r"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*import\s+(?:(?:struct|class|enum|protocol|func|typealias|var|let)\s+)?([A-Za-z_][A-Za-z_0-9]*)",
    re.M,
)


def targets():
    """The Swift targets by name: folders holding Swift files (system-library targets, with a
    module.modulemap, are not; nor are data folders such as Fuzz/campaigns, with no Swift file)."""
    found = {}
    for folder in FOLDERS:
        for d in sorted((ROOT / folder).iterdir()):
            if d.is_dir() and not (d / "module.modulemap").exists() and any(d.rglob("*.swift")):
                found[d.name] = d
    return found


def system_modules():
    return {d.name for folder in FOLDERS for d in (ROOT / folder).iterdir() if (d / "module.modulemap").exists()}


def imports(folder):
    names = set()
    for f in folder.rglob("*.swift"):
        names.update(IMPORT.findall(f.read_text(encoding="utf-8")))
    return names


def rows():
    for number, line in enumerate(DOC.read_text(encoding="utf-8").splitlines(), 1):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        yield number, re.findall(r"`([A-Za-z_][A-Za-z_0-9]*)`", cells[0]), cells[1], cells[2]


def main():
    all_targets = targets()
    own = set(all_targets) | {"TestSupportFixtures", "SurveyTestSupport"}
    libraries = {name for name, d in all_targets.items() if d.parent.name == "Sources" and name != "terep"}
    problems = []
    documented = set()
    for number, names, may, external in rows():
        for name in names:
            documented.add(name)
            if name not in all_targets:
                if not (ROOT / "Tests" / name).is_dir():
                    problems.append(f"docs/architecture.md:{number}: `{name}` is not a target folder")
                continue  # the test helpers in Tests/ import what they exercise
            used = imports(all_targets[name]) - {name}
            used_own = used & own
            if "all of the above" in may:
                allowed = libraries
                listed = used_own
            else:
                listed = {n for n in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", may) if n in own}
                allowed = listed
            for missing in sorted(used_own - allowed):
                problems.append(f"docs/architecture.md:{number}: {name} imports {missing}, which its row does not list")
            for unused in sorted(listed - used_own):
                problems.append(f"docs/architecture.md:{number}: {name}'s row lists {unused}, which it does not import")
            row = may + " " + external
            for module in sorted(used - own - SYSTEM):
                if module not in row and PACKAGE_OF.get(module, "\0") not in row and not (
                    module.startswith("NIO") and "SwiftNIO" in row
                ) and not (module.startswith("Hummingbird") and "Hummingbird" in row):
                    problems.append(f"docs/architecture.md:{number}: {name} imports {module}, which its row does not name")
    for name in sorted(set(all_targets) - documented):
        problems.append(f"docs/architecture.md: the target {name} has no row in the table")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
