import Foundation
import SurveyExport
import SurveyModel
import Testing

@testable import Fieldwork

/// The report's figures equal those recomputed from `terep export --status all` CSV files of the
/// same dataset (the same cleaning: selection, replay, corrections).
struct ReportExportAgreementTests {
    /// One CSV file as rows of named cells.
    struct Table {
        var header: [String]
        var rows: [[String: String]]
    }

    /// RFC 4180 CSV: quoted cells may hold separators, doubled quotes and line breaks.
    static func parse(_ text: String) -> Table {
        var records: [[String]] = []
        var record: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = chars.next()
                    if next == "\"" { cell.append("\"") } else { quoted = false; pending = next }
                } else {
                    cell.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",": record.append(cell); cell = ""
            case "\n", "\r\n":
                record.append(cell)
                records.append(record)
                (record, cell) = ([], "")
            case "\r": break
            default: cell.append(c)
            }
        }
        if !cell.isEmpty || !record.isEmpty { record.append(cell); records.append(record) }
        let header = records.first ?? []
        return Table(header: header, rows: records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }

    /// Exports the fixture's survey (every status) to CSV and reads every table.
    static func export(_ f: ReportFixture) throws -> [String: Table] {
        let dir = try CentralFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try CleanedDataset(central: f.central, survey: "rep", statuses: try StatusSelection(parsing: "all"))
        // Kept, so the interviewers' logins compare with the report's (they are pseudonyms by default).
        let run = try SurveyExportRun.run(dataset, ExportRequest(formats: [.csv], pii: .keep, directory: dir))
        var tables: [String: Table] = [:]
        for file in run.files where file.pathExtension == "csv" {
            tables[file.deletingPathExtension().lastPathComponent] = parse(try String(contentsOf: file, encoding: .utf8))
        }
        return tables
    }

    @Test func reportFiguresEqualThoseRecomputedFromTheExportedCSV() throws {
        let f = try ReportFixture()
        defer { f.cleanUp() }
        let report = try FieldworkReportBuilder(central: f.central, survey: "rep", today: ReportFixture.today).build()
        var tables = try Self.export(f)
        let main = try #require(tables["rep"])
        #expect(tables.count == 2 + 4, "two tables, paradata, durations, comments, visits: \(tables.keys.sorted())")
        #expect(main.rows.count == report.selection.included)
        // The visits table has a row per visit each interview counts.
        let visits = try #require(tables["rep_visits"])
        tables["rep_visits"] = nil
        #expect(visits.rows.count == main.rows.compactMap { Int($0["iv_visits"] ?? "") }.reduce(0, +))
        #expect(visits.rows.count >= main.rows.count)

        // Visit outcomes.
        var outcomes: [Int: Int] = [:]
        for row in main.rows { if let code = Int(row["iv_outcome"] ?? "") { outcomes[code, default: 0] += 1 } }
        #expect(Dictionary(uniqueKeysWithValues: report.outcomes.codes.filter { $0.count > 0 }.map { ($0.code, $0.count) }) == outcomes)
        let completes = main.rows.filter { $0["iv_outcome"] == "11" }
        #expect(report.progress.completed == completes.count)

        // Completes per quota cell.
        for (quota, column) in zip(report.quotas, ["district", "sex", "iv_interviewer"]) {
            var cells: [String: Int] = [:]
            for row in completes {
                let v = row[column] ?? ""
                cells[v.isEmpty ? "." : v, default: 0] += 1
            }
            let reported = Dictionary(uniqueKeysWithValues: quota.cells.filter { $0.completed > 0 }.map { ($0.values[0], $0.completed) })
            #expect(reported == cells, "quota \(quota.name)")
        }

        // Per interviewer and per item, over every table's question columns.
        let questions = Set(
            SurveyIndex(f.compiled.definition).entries.values.compactMap { e -> String? in
                switch e.question.kind {
                case .note, .calculated: nil
                default: e.question.name.rawValue
                }
            })
        var who: [String: String] = [:]
        for row in main.rows { who[row["interview_id"] ?? ""] = row["iv_interviewer"] }
        var tally: [String: (answers: Int, dk: Int, rf: Int, checks: Int)] = [:]
        var items: [String: (answered: Int, dk: Int, rf: Int)] = [:]
        for table in tables.values {
            for row in table.rows {
                let name = who[row["interview_id"] ?? ""] ?? "?"
                var t = tally[name] ?? (0, 0, 0, 0)
                for (column, value) in row {
                    if column.hasPrefix("chk_"), value == "1" { t.checks += 1 }
                    guard questions.contains(column), !value.isEmpty, value != "-7" else { continue }
                    var item = items[column] ?? (0, 0, 0)
                    item.answered += 1
                    t.answers += 1
                    if value == "-8" { item.dk += 1; t.dk += 1 }
                    if value == "-9" { item.rf += 1; t.rf += 1 }
                    items[column] = item
                }
                tally[name] = t
            }
        }
        for i in report.interviewers {
            let mine = completes.filter { $0["iv_interviewer"] == i.interviewer }
            #expect(i.completed == mine.count, "\(i.interviewer)")
            #expect(i.medianMinutes == median(mine.compactMap { Double($0["iv_minutes"] ?? "") }), "\(i.interviewer)")
            let t = try #require(tally[i.interviewer])
            #expect(
                [i.answers, i.dontKnow, i.refused, i.softChecksConfirmed] as [Int] == [t.answers, t.dk, t.rf, t.checks], "\(i.interviewer)")
        }
        #expect(report.interviewers.map(\.softChecksConfirmed).reduce(0, +) > 0, "the simulations confirm soft checks")
        #expect(report.items.items.count == items.count)
        for item in report.items.items {
            let e = try #require(items[item.variable])
            #expect([item.answered, item.dontKnow, item.refused] as [Int] == [e.answered, e.dk, e.rf], "\(item.variable)")
        }
        #expect(report.items.items.map(\.variable).contains("m_age"), "roster questions aggregated over rows")
    }
}
