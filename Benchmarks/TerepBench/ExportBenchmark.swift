import Foundation
import SurveyExport
import SurveyModel

/// Export throughput and memory.
///
/// `swift run -c release TerepBench export`:
/// 1. Long-format CSV (one row per answer) of `TEREP_BENCH_EXPORT_ROWS` rows (default 1,000,000)
///    through `CSVWriter` + `FileSink`, beside `sqlite3 -csv` dumping the same rows from a table
///    in the same run (the files are compared, line ends aside).
/// 2. Whole interviews (`TEREP_BENCH_EXPORT_EVENTS` answer events, default 1,000,000) through
///    `DirectoryExport` to CSV, SPSS and Stata, then the process's peak RSS.
enum ExportBenchmark {
    static func run() throws {
        let env = ProcessInfo.processInfo.environment
        let rows = env["TEREP_BENCH_EXPORT_ROWS"].flatMap { Int($0) } ?? 1_000_000
        let events = env["TEREP_BENCH_EXPORT_EVENTS"].flatMap { Int($0) } ?? 1_000_000
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("terep-export-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        try interviews(events: events, dir: dir)
        print(String(format: "peak RSS after streaming exports: %.1f MB (target < 100 MB)", peakRSSMegabytes()))
        try longCSV(rows: rows, dir: dir)
    }

    // MARK: Long CSV vs sqlite3 -csv

    private static func longCSV(rows: Int, dir: URL) throws {
        let table = ExportTable(
            name: "answers", roster: nil, rosterPath: [], label: "answers",
            variables: [
                ExportVariable(name: "interview_id", label: "", type: .string(width: 36), measure: .nominal, source: .interviewID),
                ExportVariable(name: "variable", label: "", type: .string(width: 32), measure: .nominal, source: .answer("variable")),
                ExportVariable(name: "rows", label: "", type: .string(width: 16), measure: .nominal, source: .answer("rows")),
                ExportVariable(name: "value", label: "", type: .decimal(places: 0), measure: .scale, source: .answer("value")),
            ])
        let ours = dir.appendingPathComponent("ours.csv")
        let oursTime = try time {
            var w = try CSVWriter(table: table, specialCodes: SpecialCodes(), sink: try FileSink(path: ours.path))
            var row: ExportRow = [.empty, .empty, .empty, .empty]
            for i in 0..<rows {
                row[0] = .text("iv-\(i / 50)")
                row[1] = .text("q\(i % 50)")
                row[2] = .text(i % 5 == 0 ? "\(i % 7 + 1)" : "0")
                row[3] = i % 97 == 0 ? .special(.dontKnow) : .number(Double(i % 1000))
                try w.write(row)
            }
            try w.finish()
        }
        let db = dir.appendingPathComponent("answers.db")
        try shell("/usr/bin/sqlite3", [db.path, ".import --csv \(ours.path) answers"])
        let theirs = dir.appendingPathComponent("sqlite.csv")
        let sqliteTime = try time {
            try shell("/usr/bin/sqlite3", ["-csv", "-header", db.path, "SELECT * FROM answers"], output: theirs)
        }
        // sqlite3 ends rows with LF where RFC 4180 (and terep) use CRLF; compare modulo that.
        let same = try Data(contentsOf: ours).filter { $0 != 13 } == Data(contentsOf: theirs).filter { $0 != 13 }
        let size = Double((try? FileManager.default.attributesOfItem(atPath: ours.path)[.size] as? Int) ?? 0) / 1e6
        print(
            String(
                format: "long CSV, %d rows (%.0f MB): terep %.2f s = %.0f k rows/s; sqlite3 -csv %.2f s = %.0f k rows/s;"
                    + " terep at %.0f%% of sqlite3 (target ≥ 50%%); same rows (CRLF vs LF aside): %@",
                rows, size, oursTime, Double(rows) / oursTime / 1000, sqliteTime, Double(rows) / sqliteTime / 1000,
                100 * sqliteTime / oursTime, same ? "yes" : "no"))
    }

    // MARK: Whole interviews

    private static func interviews(events: Int, dir: URL) throws {
        let definition = syntheticDefinition()
        let schema = try ExportSchema(definition: definition, options: ExportOptions(stringWidths: ["note": 60]))
        let perInterview = 40 + 3 * 4  // 40 top-level answers, 3 members × 4 answers
        let count = max(1, events / perInterview)
        print("interviews: \(count) × \(perInterview) answers = \(count * perInterview) answer events")
        for format in [ExportFormat.csv, .sav, .dta] {
            let out = dir.appendingPathComponent(format.rawValue)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            var bytes = 0
            let seconds = try time {
                var run = try DirectoryExport(schema: schema, format: format, directory: out)
                for i in 0..<count { try run.write(record(i)) }
                try run.finish()
                bytes = run.files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
            }
            print(
                String(
                    format: "%@: %.2f s, %.0f k answer events/s, %.0f interviews/s, %.1f MB written",
                    format.rawValue, seconds, Double(count * perInterview) / seconds / 1000, Double(count) / seconds, Double(bytes) / 1e6))
        }
    }

    private static func syntheticDefinition() -> SurveyDefinition {
        let t = { (s: String) in LocalizedText(["hu": s, "en": s]) }
        let sat = AnswerSet(id: "SAT", options: (0...10).map { Option(code: $0, label: t("pont \($0)")) })
        var items: [Node] = []
        for q in 0..<36 {
            let kind: QuestionKind =
                q % 3 == 0
                ? .singleChoice(ChoiceSpec(answerSet: "SAT"))
                : .integer(min: .literal(.integer(0)), max: .literal(.integer(10_000)))
            items.append(.question(Question(name: VariableName("q\(q)"), kind: kind, text: t("Kérdés \(q)"))))
        }
        items.append(.question(Question(name: "d", kind: .date(min: nil, max: nil), text: t("Dátum"))))
        items.append(.question(Question(name: "amount", kind: .decimal(min: nil, max: nil, places: 2), text: t("Összeg"))))
        items.append(.question(Question(name: "note", kind: .text(maxLength: 200, pattern: nil), text: t("Megjegyzés"))))
        items.append(
            .question(Question(name: "multi", kind: .multipleChoice(ChoiceSpec(answerSet: "SAT"), min: nil, max: nil), text: t("Több"))))
        let mem = Group(
            id: "mem", kind: .roster(RosterSpec(count: nil, maxRows: 15)),
            children: [
                .question(
                    Question(name: "m_age", kind: .integer(min: .literal(.integer(0)), max: .literal(.integer(120))), text: t("Kor"))),
                .question(Question(name: "m_sex", kind: .singleChoice(ChoiceSpec(answerSet: "SAT")), text: t("Nem"))),
                .question(Question(name: "m_work", kind: .singleChoice(ChoiceSpec(answerSet: "SAT")), text: t("Munka"))),
                .question(Question(name: "m_note", kind: .text(maxLength: 40, pattern: nil), text: t("Megj."))),
            ])
        items.append(.group(mem))
        return SurveyDefinition(
            id: "bench", version: "1", title: t("Benchmark"), languages: ["hu", "en"], answerSets: [sat], items: items)
    }

    private static func record(_ i: Int) -> InterviewRecord {
        var answers: [Address: Answer] = [:]
        answers.reserveCapacity(52)
        for q in 0..<36 {
            answers[Address(VariableName("q\(q)"))] =
                q == 7 && i % 11 == 0
                ? .special(.dontKnow)
                : .value(q % 3 == 0 ? .choice((i + q) % 11) : .integer((i * 31 + q) % 10_000))
        }
        answers[Address("d")] = .value(.date(LocalDate(daysSinceEpoch: 20_500 + i % 300)))
        answers[Address("amount")] = .value(.decimal(Double(i % 100_000) / 100))
        answers[Address("note")] = .value(.text("Megjegyzés \(i) – árvíztűrő"))
        answers[Address("multi")] = .value(.choices([i % 11, (i + 3) % 11].sorted()))
        for m in 1...3 {
            answers[Address("m_age", rows: [m])] = .value(.integer((i + m * 17) % 100))
            answers[Address("m_sex", rows: [m])] = .value(.choice(m % 2))
            answers[Address("m_work", rows: [m])] = m == 3 ? .special(.notApplicable) : .value(.choice(m))
            answers[Address("m_note", rows: [m])] = .value(.text("tag \(m)"))
        }
        return InterviewRecord(
            id: InterviewID(String(format: "00000000-0000-4000-8000-%012d", i)), definition: "bench", surveyVersion: "1",
            device: "dev-1", interviewer: "int-1", startedAt: 1_780_000_000_000 + Int64(i) * 60_000,
            endedAt: 1_780_000_000_000 + Int64(i) * 60_000 + 1_500_000, outcome: 11, answers: answers,
            rosterRows: [RosterInstance("mem"): 3])
    }

    // MARK: Helpers

    private static func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    private static func shell(_ tool: String, _ args: [String], output: URL? = nil) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        if let output {
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: output)
        }
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(
                domain: "ExportBenchmark", code: Int(p.terminationStatus),
                userInfo: [NSLocalizedDescriptionKey: "\(tool) \(args.joined(separator: " ")) failed"])
        }
    }

    /// The process's peak resident set (VmHWM) in MB.
    static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kb / 1000
    }
}
