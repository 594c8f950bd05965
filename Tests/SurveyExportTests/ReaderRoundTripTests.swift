import Foundation
import SurveyModel
import Testing

import enum SurveyTestSupport.PythonReader

@testable import SurveyExport

/// Every binary and CSV export of the fixture is read back by pyreadstat / pandas and compared.
/// pyreadstat and pandas must be installed (`pip install pyreadstat pandas`; `.ci/run` does): a
/// missing reader fails these tests with that instruction, it never skips them.
struct ReaderRoundTripTests {
    static let created = Date(timeIntervalSince1970: 1_780_000_000)

    func export(_ format: ExportFormat, options: ExportOptions = ExportOptions()) throws -> (ExportSchema, [URL]) {
        let schema = try ExportSchema(definition: Fixture.definition, options: options)
        let dir = try Fixture.temporaryDirectory()
        var run = try DirectoryExport(schema: schema, format: format, directory: dir, createdAt: Self.created)
        for r in Fixture.records { try run.write(r) }
        try run.finish()
        return (schema, run.files)
    }

    @Test(arguments: ["sav", "dta"])
    func binaryFormatsKeepValuesLabelsAndMissingCodes(kind: String) throws {
        let (_, files) = try export(kind == "sav" ? .sav : .dta)
        let main = try PythonReader.read(kind, files[0])
        #expect(main.rowCount == 2)
        #expect(main.headerRows == 2, "the count patched into the header at finish")
        #expect(main.columns.contains("life_sat") && main.columns.contains("nb_prob_96"))
        #expect(!main.columns.contains("resp_name"), "PII is dropped by default")
        #expect(main.labels["life_sat"] == "Élettel való elégedettség")
        #expect(main.valueLabels["life_sat"]?["10.0"] ?? main.valueLabels["life_sat"]?["10"] == "Teljes mértékben elégedett")
        let comment = main.data["comment"]?.first as? String
        #expect(comment == Fixture.longComment)
        #expect(main.data["nb_prob_oth"]?.first as? String == "Kóbor kutyák, \"sok\"")
        #expect(main.data["visit_date"]?.first as? String == "2026-05-28")
        #expect(main.data["start_t"]?.first as? String == "09:05")
        #expect(main.data["nb_prob_1"]?.first as? Double == 1)
        #expect(main.data["nb_prob_2"]?.first as? Double == 0)
        #expect(main.data["chk_tenure_yrs"] as? [Double] == [1, 0])
        #expect(main.data["start_t"]?.last as? String == "-9")
        if kind == "sav" {
            #expect(main.data["life_sat"]?.last as? Double == -8)
            #expect(main.data["floor_m2"]?.last as? Double == -7)
            #expect(main.data["nb_prob_1"]?.last as? Double == -9)
            #expect(main.missing["life_sat"]?.sorted { $0[0] < $1[0] } == [[-9, -9], [-8, -8], [-7, -7]])
            #expect(main.measures["life_sat"] == "ordinal")
            #expect(main.measures["floor_m2"] == "scale")
            #expect(main.measures["rely_on"] == "nominal")
        } else {
            #expect(main.data["life_sat"]?.last as? String == "b")
            #expect(main.data["floor_m2"]?.last as? String == "a")
            #expect(main.data["nb_prob_1"]?.last as? String == "c")
            #expect(main.valueLabels["life_sat"]?["b"] == "nem tudja")
        }
        #expect(main.data["iv_end"]?.last is NSNull)
    }

    @Test(arguments: ["sav", "dta"])
    func nestedRosterTablesKeepParentKeys(kind: String) throws {
        let (schema, files) = try export(kind == "sav" ? .sav : .dta)
        let tripIndex = try #require(schema.tables.firstIndex { $0.roster == "trip" })
        let trip = try PythonReader.read(kind, files[tripIndex])
        #expect(Array(trip.columns.prefix(3)) == ["interview_id", "mem_row", "trip_row"])
        #expect(trip.data["mem_row"] as? [Double] == [1, 1, 2])
        #expect(trip.data["trip_row"] as? [Double] == [1, 2, 1])
        #expect(trip.data["t_km"]?.first as? Double == 12.5)
        let memIndex = try #require(schema.tables.firstIndex { $0.roster == "mem" })
        let mem = try PythonReader.read(kind, files[memIndex])
        #expect(mem.rowCount == 3)
        #expect(mem.data["m_age"]?.first as? Double == 44)
    }

    @Test func csvParsedByPandasMatchesTheCells() throws {
        let (_, files) = try export(.csv)
        let main = try PythonReader.read("csv", files[0])
        #expect(main.rowCount == 2)
        #expect(main.data["life_sat"] as? [String] == ["7", "-8"])
        #expect(main.data["comment"]?.first as? String == Fixture.longComment)
        #expect(main.data["nb_prob_oth"]?.first as? String == "Kóbor kutyák, \"sok\"")
        #expect(main.data["visit_date"] as? [String] == ["2026-05-28", "-8"])
        #expect(main.data["floor_m2"] as? [String] == ["62.5", "-7"])
        #expect(main.data["iv_end"] as? [String] == ["2026-05-28T20:51:40Z", ""])
    }

    @Test func excelCSVUsesSemicolonsBOMAndDecimalComma() throws {
        let (_, files) = try export(.excel)
        let bytes = try Data(contentsOf: files[0])
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let main = try PythonReader.read("excel", files[0])
        #expect(main.data["floor_m2"] as? [String] == ["62,5", "-7"])
        #expect(main.data["nb_prob_oth"]?.first as? String == "Kóbor kutyák, \"sok\"")
    }

    @Test func defaultExportsContainNoPersonalData() throws {
        for format in ExportFormat.allCases {
            let (_, files) = try export(format)
            for file in files {
                let bytes = try Data(contentsOf: file)
                for secret in ["Kovács", "Nagy Ödön", "+36 30 123 4567", "123 4567"] {
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) found in \(file.lastPathComponent)")
                }
            }
        }
    }

    @Test func keptPersonalDataIsFoundSoTheSearchCanFail() throws {
        let (_, files) = try export(.csv, options: ExportOptions(pii: .keep))
        let all = try files.map { try Data(contentsOf: $0) }
        #expect(all.contains { $0.range(of: Data("+36 30 123 4567".utf8)) != nil })
    }

    @Test(arguments: ["sav", "dta"])
    func labelsAreCutToTheFormatLimits(kind: String) throws {
        var def = Fixture.definition
        let long = String(repeating: "Hosszú kérdésszöveg árvíztűrő ", count: 12)
        def.items.append(.question(Question(name: "long_q", kind: .integer(min: nil, max: nil), text: Fixture.t(long, long))))
        let schema = try ExportSchema(definition: def)
        let dir = try Fixture.temporaryDirectory()
        var run = try DirectoryExport(schema: schema, format: kind == "sav" ? .sav : .dta, directory: dir)
        for r in Fixture.records { try run.write(r) }
        try run.finish()
        let read = try PythonReader.read(kind, run.files[0])
        let label = try #require(read.labels["long_q"])
        #expect(long.hasPrefix(label))
        if kind == "sav" {
            #expect(label.utf8.count <= 255 && label.utf8.count > 240)
        } else {
            #expect(label == String(long.prefix(80)).trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func stataStoresTextsLongerThan2045BytesAsStrL() throws {
        let schema = try ExportSchema(definition: Fixture.definition, options: ExportOptions(stringWidths: ["comment": 3000]))
        var records = Fixture.records
        let long = String(repeating: "ő", count: 1300) + " vége"
        records[0].answers[Address("comment")] = .value(.text(long))
        let dir = try Fixture.temporaryDirectory()
        var run = try DirectoryExport(schema: schema, format: .dta, directory: dir)
        for r in records { try run.write(r) }
        try run.finish()
        let main = try PythonReader.read("dta", run.files[0])
        #expect(main.formats["comment"] != nil)
        #expect(main.data["comment"]?.first as? String == long)
        #expect(main.data["comment"]?.last as? String == "")
        #expect(main.data["life_sat"] as? [AnyHashable] == [7.0, "b"], "columns after the strL stay aligned")
    }

    @Test func uncompressedSPSSReadsTheSameAsCompressed() throws {
        let schema = try ExportSchema(definition: Fixture.definition)
        let rows = try Fixture.rows(schema)
        let dir = try Fixture.temporaryDirectory()
        var results: [PythonReader.Result] = []
        for compressed in [true, false] {
            let url = dir.appendingPathComponent("fixture-\(compressed).sav")
            var w = try SavWriter(table: schema.tables[0], schema: schema, sink: try FileSink(path: url.path), compressed: compressed)
            for r in rows[0] { try w.write(r) }
            try w.finish()
            results.append(try PythonReader.read("sav", url))
        }
        #expect(results[1].rowCount == 2 && results[1].headerRows == 2)
        #expect(results[1].columns == results[0].columns)
        for c in results[0].columns {
            #expect(
                results[1].data[c].map { $0.map(RealQuestionnaireTests.canonical) }
                    == results[0].data[c].map { $0.map(RealQuestionnaireTests.canonical) }, "\(c)")
        }
    }
}
