import Foundation
import SurveyModel
import Testing

import enum SurveyTestSupport.PythonReader

@testable import SurveyExport

/// A `datetime` answer (local time, no zone) in every format: ISO text without `Z` in CSV and
/// JSON Lines, SPSS DATETIME and Stata %tc read back by pyreadstat, and the codebook's type.
/// pyreadstat and pandas must be installed (`pip install pyreadstat pandas`); missing, these tests fail with that instruction.
struct DateTimeExportTests {
    static let definition = SurveyDefinition(
        id: "dt", version: "1", title: LocalizedText(["hu": "Teszt", "en": "Test"]), languages: ["hu", "en"],
        answerSets: [],
        items: [
            .question(
                Question(
                    name: "visit_ts", kind: .datetime(min: nil, max: nil), text: LocalizedText(["hu": "Kezdés", "en": "Start"]),
                    label: LocalizedText(["hu": "A látogatás kezdete", "en": "Visit start"])))
        ])

    static func records() throws -> [InterviewRecord] {
        let first = try #require(LocalDateTime(iso: "2026-11-26T14:05:09"))
        return [
            InterviewRecord(
                id: "a", definition: "h", surveyVersion: "1", device: "d", interviewer: "i", outcome: 11,
                answers: [Address("visit_ts"): .value(.datetime(first))]),
            InterviewRecord(
                id: "b", definition: "h", surveyVersion: "1", device: "d", interviewer: "i", outcome: 11,
                answers: [Address("visit_ts"): .special(.dontKnow)]),
        ]
    }

    func export(_ format: ExportFormat) throws -> [URL] {
        let schema = try ExportSchema(definition: Self.definition, options: ExportOptions())
        #expect(schema.tables[0].variables.first { $0.name == "visit_ts" }?.type == .localDatetime)
        let dir = try Fixture.temporaryDirectory()
        var run = try DirectoryExport(schema: schema, format: format, directory: dir, createdAt: Date(timeIntervalSince1970: 0))
        for r in try Self.records() { try run.write(r) }
        try run.finish()
        return run.files
    }

    @Test(arguments: ["sav", "dta"])
    func binaryFormatsHoldTheLocalTime(kind: String) throws {
        let files = try export(kind == "sav" ? .sav : .dta)
        let main = try PythonReader.read(kind, files[0])
        #expect(main.data["visit_ts"]?.first as? String == "2026-11-26T14:05:09")
        if kind == "sav" {
            // -8 whole days before SPSS day zero (1582-10-14), user-missing (docs/exports.md, dates in SPSS).
            #expect(main.data["visit_ts"]?.last as? String == "1582-10-06T00:00:00", "\(main.data["visit_ts"] ?? [])")
        } else {
            #expect(main.data["visit_ts"]?.last as? String == "b")
        }
    }

    @Test func textFormatsWriteIsoLocalTimeWithoutAZone() throws {
        let csv = try String(contentsOf: try export(.csv)[0], encoding: .utf8)
        #expect(csv.contains("2026-11-26T14:05:09") && !csv.contains("2026-11-26T14:05:09Z"), "\(csv)")
        let jsonl = try String(contentsOf: try export(.jsonl)[0], encoding: .utf8)
        #expect(jsonl.contains("\"visit_ts\":\"2026-11-26T14:05:09\""), "\(jsonl)")
    }
}
