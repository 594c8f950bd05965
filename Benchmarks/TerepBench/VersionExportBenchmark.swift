import Foundation
import SurveyExport
import SurveyModel

/// The cost of exporting several questionnaire versions into one merged schema.
///
/// `swift run -c release TerepBench export-versions`: `TEREP_BENCH_VERSION_INTERVIEWS` interviews
/// (default 100,000; 40 answers and 3 roster rows each) to CSV and Stata, once with the schema of
/// one version (every record of that version), once with the schema merging two versions (half
/// the records of each: 10 questions changed type and are kept apart, 10 exist in one version
/// only); and, to isolate the per-cell version check, the merged columns with records of the new
/// version only, with and without the versions' restrictions (identical files; without them an
/// old record's text would meet a number column). Also times deriving the merged schema.
enum VersionExportBenchmark {
    static func run() throws {
        let count = ProcessInfo.processInfo.environment["TEREP_BENCH_VERSION_INTERVIEWS"].flatMap { Int($0) } ?? 100_000
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("terep-version-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (old, new) = (definition(old: true), definition(old: false))
        let single = try ExportSchema(definition: new)
        var merged = single
        let mergeSeconds = try time {
            for _ in 0..<100 { merged = try ExportSchema(versions: [("new", new), ("old", old)]) }
        }
        let separated = merged.versionNotes.count { if case .separated = $0.kind { true } else { false } }
        print(
            String(
                format: "merged schema of 2 versions: %.2f ms each (%d variables, %d kept apart, %d notes)",
                mergeSeconds * 10, merged.tables[0].variables.count, separated, merged.versionNotes.count))
        // The same columns and records without the per-version check: isolates its cost.
        var unchecked = merged
        for t in unchecked.tables.indices {
            for i in unchecked.tables[t].variables.indices { unchecked.tables[t].variables[i].versions = nil }
        }
        for format in [ExportFormat.csv, .dta] {
            let one = try export(single, format: format, count: count, dir: dir) { record($0, old: false) }
            let mixed = try export(merged, format: format, count: count, dir: dir) { record($0, old: $0 % 2 == 0) }
            // Identical files (new-version records only), with and without the check.
            let plain = try export(unchecked, format: format, count: count, dir: dir) { record($0, old: false) }
            let checked = try export(merged, format: format, count: count, dir: dir) { record($0, old: false) }
            print(
                String(
                    format: "%@, %d interviews: one version (%d columns) %.2f s = %.0f interviews/s; two versions merged"
                        + " (%d columns) %.2f s = %.0f interviews/s; merged columns without the version check %.2f s, with it %.2f s"
                        + " (the check costs %.1f%%)",
                    format.rawValue, count, single.tables[0].variables.count, one, Double(count) / one,
                    merged.tables[0].variables.count, mixed, Double(count) / mixed, plain, checked, 100 * (checked - plain) / plain))
        }
    }

    private static func export(
        _ schema: ExportSchema, format: ExportFormat, count: Int, dir: URL, _ make: (Int) -> InterviewRecord
    ) throws -> Double {
        let out = dir.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: out) }
        return try time {
            var run = try DirectoryExport(schema: schema, format: format, directory: out)
            for i in 0..<count { try run.write(make(i)) }
            try run.finish()
        }
    }

    /// 40 questions; the old version has q0–q9 as text instead of numbers and z0–z9 instead of q30–q39.
    private static func definition(old: Bool) -> SurveyDefinition {
        let t = { (s: String) in LocalizedText(["en": s]) }
        let set = AnswerSet(id: "SAT", options: (0...10).map { Option(code: $0, label: t("point \($0)")) })
        var items: [Node] = []
        for q in 0..<40 {
            let name = old && q >= 30 ? "z\(q - 30)" : "q\(q)"
            let kind: QuestionKind =
                old && q < 10
                ? .text(maxLength: 20, pattern: nil)
                : q % 3 == 0
                    ? .singleChoice(ChoiceSpec(answerSet: "SAT")) : .integer(min: .literal(.integer(0)), max: .literal(.integer(10_000)))
            items.append(.question(Question(name: VariableName(name), kind: kind, text: t("Question \(q)"))))
        }
        items.append(
            .group(
                Group(
                    id: "mem", kind: .roster(RosterSpec(count: nil, maxRows: 15)),
                    children: [
                        .question(
                            Question(
                                name: "m_age", kind: .integer(min: .literal(.integer(0)), max: .literal(.integer(120))), text: t("Age"))),
                        .question(Question(name: "m_sex", kind: .singleChoice(ChoiceSpec(answerSet: "SAT")), text: t("Sex"))),
                    ])))
        return SurveyDefinition(
            id: "bench", version: old ? "1" : "2", title: t("Bench"), languages: ["en"], answerSets: [set], items: items)
    }

    private static func record(_ i: Int, old: Bool) -> InterviewRecord {
        var answers: [Address: Answer] = [:]
        for q in 0..<40 {
            let name = old && q >= 30 ? "z\(q - 30)" : "q\(q)"
            let value: Value =
                old && q < 10 ? .text("answer \(i % 97)") : q % 3 == 0 ? .choice((i + q) % 11) : .integer((i * 31 + q) % 10_000)
            answers[Address(VariableName(name))] = .value(value)
        }
        for m in 1...3 {
            answers[Address("m_age", rows: [m])] = .value(.integer((i + m * 17) % 100))
            answers[Address("m_sex", rows: [m])] = .value(.choice(m % 2))
        }
        return InterviewRecord(
            id: InterviewID(String(format: "00000000-0000-4000-8000-%012d", i)), definition: old ? "old" : "new",
            surveyVersion: old ? "1" : "2", device: "dev-1", interviewer: "int-1", startedAt: 1_780_000_000_000,
            endedAt: 1_780_000_900_000, outcome: 11, answers: answers, rosterRows: [RosterInstance("mem"): 3])
    }

    private static func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
