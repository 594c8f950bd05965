#!/usr/bin/env python3
"""Writes the XLSForm equivalent of TestSupportFixtures' SyntheticSurvey, the baseline of
`TerepBench compile-process` (pyxform's xls2xform on the same form terep compiles).

    scripts/xlsform-synthetic.py QUESTIONS OUT.xlsx

The same shape as SyntheticSurvey.source(): QUESTIONS questions in sections of 50 (each
section shown only when the last integer before it is not 99), the same seven question kinds
in turn, two languages with a pipe of the previous integer in every label, a relevance on every
third question, the checks of a question as one constraint (XLSForm has one per question and
no soft checks), and QUESTIONS / 2 calculations chained as in the .survey form.
"""
import sys

from openpyxl import Workbook

KINDS = ["integer", "single", "integer2", "yesno", "multiple", "decimal", "text"]


def kind(i):
    return KINDS[i % len(KINDS)]


def is_integer(i):
    return kind(i) in ("integer", "integer2")


def main():
    questions, out = int(sys.argv[1]), sys.argv[2]
    calculations, checks, section_size = questions // 2, questions * 2, 50
    survey = [["type", "name", "label::hu", "label::en", "relevant", "constraint",
               "constraint_message::hu", "constraint_message::en", "calculation", "required"]]
    checks_per_question, extra = checks // questions, checks % questions
    calc_every = max(1, questions // calculations)
    calcs, last, previous = 0, None, None

    def calculation(j, a, b):
        if j % 2 == 1:
            return ["calculate", f"c{j}", "", "", "", "", "", "", f"${{c{j - 1}}} * 2 + ${{q{a}}}", ""]
        return ["calculate", f"c{j}", "", "", "", "", "", "", f"${{q{a}}} + ${{q{b}}}", ""]

    for i in range(questions):
        if i % section_size == 0:
            if i > 0:
                survey.append(["end group"] + [""] * 9)
            s = i // section_size
            relevant = f"${{q{last}}} != 99 or ${{q{last}}} = ''" if last is not None else ""
            survey.append(["begin group", f"s{s}", f"Blokk {s}", f"Block {s}", relevant] + [""] * 5)
        name, k = f"q{i}", kind(i)
        xtype, cond = {
            "integer": ("integer", f". > 90"), "integer2": ("integer", f". > 90"),
            "single": ("select_one agree", ". = 3"), "yesno": ("select_one yesno", ". = 0"),
            "multiple": ("select_multiple problems", "selected(., '1') and selected(., '2')"),
            "decimal": ("decimal", ". > 999.5"), "text": ("text", "string-length(.) > 150"),
        }[k]
        pipe = f" (${{q{last}}})" if last is not None else ""
        relevant = f"${{q{last}}} < 95" if i % 3 == 2 and last is not None else ""
        n = checks_per_question + (1 if i < extra else 0)
        parts = []
        for c in range(n):
            extra_cond = f" and ${{q{last}}} > {c}" if c > 0 and last is not None else ""
            parts.append(f"not({cond}{extra_cond})")
        bounds = {"integer": ". >= 0 and . <= 100", "integer2": ". >= 0 and . <= 100",
                  "decimal": ". >= 0 and . <= 1000", "text": "string-length(.) <= 200"}.get(k)
        constraint = " and ".join(([bounds] if bounds else []) + parts)
        survey.append([xtype, name, f"Ez a(z) {i}. kérdés{pipe}?", f"This is question {i}{pipe}?", relevant,
                       constraint, f"{i}. kérdés: ellenőrzés", f"Question {i}: check",
                       "", "no" if k == "text" else "yes"])
        if is_integer(i):
            previous, last = last, i
        if calcs < calculations and (i + 1) % calc_every == 0 and last is not None:
            survey.append(calculation(calcs, last, previous if previous is not None else last))
            calcs += 1
    if questions > 0:
        survey.append(["end group"] + [""] * 9)
    while calcs < calculations:
        survey.append(calculation(calcs, last, previous if previous is not None else last))
        calcs += 1

    choices = [["list_name", "name", "label::hu", "label::en"]]
    for code, hu, en in [(1, "Egyáltalán nem", "Not at all"), (2, "Inkább nem", "Rather not"), (3, "Is-is", "Neither"),
                         (4, "Inkább igen", "Rather yes"), (5, "Teljesen", "Completely")]:
        choices.append(["agree", code, hu, en])
    for code, hu, en in [(1, "zaj", "noise"), (2, "forgalom", "traffic"), (3, "szemét", "litter"),
                         (96, "egyéb", "other"), (97, "nincs", "none")]:
        choices.append(["problems", code, hu, en])
    choices += [["yesno", 1, "igen", "yes"], ["yesno", 0, "nem", "no"]]

    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    sheet = book.create_sheet("choices")
    for row in choices:
        sheet.append(row)
    sheet = book.create_sheet("settings")
    sheet.append(["form_title", "form_id", "version", "default_language"])
    sheet.append(["Synthetic questionnaire", "synthetic", "1", "hu"])
    book.save(out)


if __name__ == "__main__":
    main()
