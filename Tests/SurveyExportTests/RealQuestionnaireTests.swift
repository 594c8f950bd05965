import Foundation
import SurveyCompiler
import SurveyModel
import Testing

import enum SurveyTestSupport.PythonReader

@testable import SurveyExport

/// The two study questionnaires (compiled here, in tests only): their schemas obey SPSS/Stata
/// limits, and simulated interviews survive a round trip through pyreadstat cell by cell.
struct RealQuestionnaireTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let surveys = ["wellbeing", "energy"]

    static func definition(_ name: String) throws -> SurveyDefinition {
        try SurveyLoader.load(path: root.appendingPathComponent("questionnaires/\(name).survey").path).definition
    }

    @Test(arguments: surveys, ["hu", "en"])
    func schemasStayWithinSPSSAndStataLimits(survey: String, language: String) throws {
        let def = try Self.definition(survey)
        for pii in [PIIMode.drop, .keep, .pseudonymise(width: 64) { _ in String(repeating: "0", count: 64) }] {
            let schema = try ExportSchema(definition: def, options: ExportOptions(language: LanguageCode(language), pii: pii))
            #expect(schema.tables.count >= 1)
            for table in schema.tables {
                let names = table.variables.map(\.name)
                #expect(names.allSatisfy { $0.utf8.count <= 32 && NameRules.problem($0) == nil })
                #expect(Set(names.map { $0.lowercased() }).count == names.count)
                #expect(table.variables.allSatisfy { !$0.label.isEmpty })
            }
            if case .drop = pii { #expect(schema.tables.allSatisfy { $0.variables.allSatisfy { !$0.pii } }) }
        }
    }

    @Test(arguments: surveys, ["sav", "dta"])
    func simulatedInterviewsRoundTripThroughPyreadstat(survey: String, kind: String) throws {
        let def = try Self.definition(survey)
        let schema = try ExportSchema(definition: def)
        let records = (0..<12).map { i in
            var sim = Simulator(definition: def, seed: UInt64(i + 1))
            return sim.record(index: i)
        }
        let dir = try Fixture.temporaryDirectory()
        var run = try DirectoryExport(schema: schema, format: kind == "sav" ? .sav : .dta, directory: dir)
        var expected = [[ExportRow]](repeating: [], count: schema.tables.count)
        let builder = RowBuilder(schema: schema)
        for r in records {
            try run.write(r)
            try builder.rows(of: r) { t, row in expected[t].append(row) }
        }
        try run.finish()
        for (t, table) in schema.tables.enumerated() {
            let read = try PythonReader.read(kind, run.files[t])
            #expect(read.columns == table.variables.map(\.name), "\(table.name)")
            #expect(read.rowCount == expected[t].count, "\(table.name)")
            for (i, v) in table.variables.enumerated() {
                let got = (read.data[v.name] ?? []).map(Self.canonical)
                let want = expected[t].map { Self.canonical($0[i], v, kind: kind, codes: schema.specialCodes) }
                #expect(got == want, "\(table.name).\(v.name)")
                let label = kind == "sav" ? NameRules.cut(v.label, maxBytes: 255) : NameRules.cut(v.label, maxBytes: 320, maxChars: 80)
                #expect(read.labels[v.name] == label.trimmingCharacters(in: .whitespaces), "\(table.name).\(v.name) label")
                if kind == "sav", v.declaresSpecials, !v.type.isCalendar {
                    #expect(read.missing[v.name]?.count == 3, "\(v.name) declares -7/-8/-9 user-missing")
                }
                if kind == "sav", v.declaresSpecials, v.type.isCalendar {
                    #expect(read.missing[v.name]?.count == 1, "\(v.name) declares one range, 5–12 Oct 1582")
                }
                if let set = v.valueLabels.flatMap({ schema.valueLabelSets[$0] }), !v.type.isString {
                    #expect(read.valueLabels[v.name]?.count == set.labels.count, "\(table.name).\(v.name) value labels")
                }
            }
        }
    }

    /// The reader's value as text: numbers without trailing `.0`, missing as `∅`.
    static func canonical(_ value: Any) -> String {
        if value is NSNull { return "∅" }
        if let s = value as? String { return s }
        if let n = value as? NSNumber { return NumberText.decimal(n.doubleValue) }
        return "\(value)"
    }

    /// What the reader should see for a cell.
    static func canonical(_ cell: Cell, _ v: ExportVariable, kind: String, codes: SpecialCodes) -> String {
        switch (cell, v.type) {
        case (.empty, .string): return ""
        case (.empty, _): return "∅"
        case (.special(let s), .string): return String(codes.code(for: s))
        case (.special(let s), .date) where kind == "sav":
            // A special answer in a date: that many days before 14 Oct 1582 (-8 → 6 Oct 1582).
            return LocalDate(daysSinceEpoch: -141_428 + codes.code(for: s)).description
        case (.special(let s), .localDatetime) where kind == "sav":
            // Likewise at midnight (docs/exports.md, dates in SPSS).
            return LocalDateTime(seconds: (-141_428 + codes.code(for: s)) * 86_400).description
        case (.special(let s), _):
            return kind == "sav" ? String(codes.code(for: s)) : String(StataMissing.letter(s))
        case (.number(let d), .date): return LocalDate(daysSinceEpoch: Int(d)).description
        case (.number(let d), .datetime): return String(Calendar1970.isoDateTime(milliseconds: Int64(d)).dropLast())
        case (.number(let d), .localDatetime): return Calendar1970.isoDateTime(milliseconds: Int64(d), zone: "")
        case (.number(let d), _): return NumberText.decimal(d)
        case (.text(let s), _): return s
        }
    }
}

/// Random but reproducible answers for every question (routing is not simulated: the export
/// layer takes whatever answers it is given).
struct Simulator {
    let definition: SurveyDefinition
    let index: SurveyIndex
    var state: UInt64

    init(definition: SurveyDefinition, seed: UInt64) {
        self.definition = definition
        self.index = SurveyIndex(definition)
        self.state = seed &* 0x9E37_79B9_7F4A_7C15
    }

    mutating func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(max(1, n)))
    }

    mutating func record(index i: Int) -> InterviewRecord {
        var answers: [Address: Answer] = [:]
        for name in index.questionsInOrder {
            guard let entry = index[name] else { continue }
            for rows in rowCombinations(depth: entry.rosters.count) {
                if let a = answer(entry.question) { answers[Address(name, rows: rows)] = a }
            }
        }
        return InterviewRecord(
            id: InterviewID("sim-\(i)"), definition: "sim", surveyVersion: definition.version, device: DeviceID("dev-\(i % 3)"),
            interviewer: "int-\(i % 4)", startedAt: 1_780_000_000_000 + Int64(i) * 3_600_000,
            endedAt: i % 5 == 0 ? nil : 1_780_000_000_000 + Int64(i) * 3_600_000 + 1_320_000, timeSpent: 1_320_000, outcome: 11,
            hadConflict: i % 7 == 0, answers: answers)
    }

    /// Two rows in every roster level.
    private func rowCombinations(depth: Int) -> [[Int]] {
        (0..<depth).reduce([[]]) { acc, _ in acc.flatMap { [$0 + [1], $0 + [2]] } }
    }

    private mutating func answer(_ q: Question) -> Answer? {
        let roll = next(20)
        if roll == 0 { return nil }
        if roll == 1 { return .special(.dontKnow) }
        if roll == 2 { return .special(.refused) }
        if roll == 3 { return .special(.notApplicable) }
        switch q.kind {
        case .note: return nil
        case .singleChoice(let spec):
            let codes = index.answerSets[spec.answerSet]?.options.map(\.code) ?? [1]
            return .value(.choice(codes[next(codes.count)]))
        case .multipleChoice(let spec, _, _):
            let codes = index.answerSets[spec.answerSet]?.options.map(\.code) ?? [1]
            return .value(.choices(normalizing: [codes[next(codes.count)], codes[next(codes.count)]]))
        case .integer(let min, let max):
            var lo = 0, hi = 100
            if case .literal(.integer(let l))? = min { lo = l }
            if case .literal(.integer(let h))? = max { hi = h } else { hi = lo + 100 }
            return .value(.integer(lo + next(hi - lo + 1)))
        case .decimal(_, _, let places):
            return .value(.decimal(Double(next(100_000)) / pow(10, Double(places))))
        case .text(let maxLength, _):
            return .value(.text(String("Árvíztűrő szöveg \(next(1000))".prefix(maxLength))))
        case .date: return .value(.date(LocalDate(year: 2026, month: 5, day: 1 + next(28))))
        case .time: return .value(.time(TimeOfDay(hour: next(24), minute: next(60))))
        case .datetime:
            return .value(
                .datetime(LocalDateTime(date: LocalDate(year: 2026, month: 5, day: 1 + next(28)), hour: next(24), minute: next(60))))
        case .scale(let lo, let hi, _): return .value(.integer(lo + next(hi - lo + 1)))
        case .calculated(_, let type):
            switch type {
            case .integer: return .value(.integer(next(500)))
            case .decimal: return .value(.decimal(Double(next(10_000)) / 4))
            case .boolean: return .value(.boolean(next(2) == 1))
            case .date: return .value(.date(LocalDate(year: 2025, month: 1 + next(12), day: 1 + next(28))))
            case .text: return .value(.text("calc \(next(10))"))
            case .time: return .value(.time(TimeOfDay(hour: 1, minute: 2)))
            case .datetime: return .value(.datetime(LocalDateTime(date: LocalDate(year: 2026, month: 5, day: 2), hour: 9, minute: 5)))
            case .choice: return .value(.choice(1 + next(3)))
            case .choices: return .value(.choices([1, 2]))
            }
        }
    }
}
