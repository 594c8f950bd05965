import Foundation
import SurveyModel
import Testing

import enum SurveyTestSupport.PythonReader

@testable import SurveyExport

/// Text variables in SPSS declare the special codes ("-7", "-8", "-9") as discrete user-missing
/// values: in the variable record up to 8 bytes, in record 7.22 above (long and very long strings).
struct SavStringMissingTests {
    /// The fixture plus a 1-character text (A4), a 20-character text (A80); `comment` is A1200
    /// (very long) and `start_t` (time) is A5.
    static let schema: ExportSchema = {
        var def = Fixture.definition
        def.items.append(.question(Question(name: "short_t", kind: .text(maxLength: 1, pattern: nil), text: Fixture.t("Betű", "Letter"))))
        def.items.append(.question(Question(name: "mid_t", kind: .text(maxLength: 20, pattern: nil), text: Fixture.t("Szó", "Word"))))
        return try! ExportSchema(definition: def)
    }()

    static let textVariables = ["short_t", "start_t", "mid_t", "nb_prob_oth", "comment"]

    static var records: [InterviewRecord] {
        var records = Fixture.records
        records[0].answers[Address("short_t")] = .value(.text("x"))
        records[0].answers[Address("mid_t")] = .special(.notApplicable)
        records[1].answers[Address("short_t")] = .special(.dontKnow)
        records[1].answers[Address("mid_t")] = .special(.refused)
        records[1].answers[Address("comment")] = .special(.dontKnow)
        var third = records[1]
        third.id = "0b7e4a52-5a55-4c4b-9a53-2f0f3c7d9e03"
        third.answers[Address("short_t")] = .special(.refused)
        third.answers[Address("mid_t")] = .value(.text("valami"))
        third.answers[Address("comment")] = .special(.refused)
        third.answers[Address("start_t")] = .special(.dontKnow)
        third.answers[Address("nb_prob_oth")] = .special(.dontKnow)
        records.append(third)
        return records
    }

    static func export() throws -> (URL, [ExportRow]) {
        let dir = try Fixture.temporaryDirectory()
        var run = try DirectoryExport(schema: schema, format: .sav, directory: dir)
        var rows: [ExportRow] = []
        let builder = RowBuilder(schema: schema)
        for r in records {
            try run.write(r)
            try builder.rows(of: r) { t, row in if t == 0 { rows.append(row) } }
        }
        try run.finish()
        return (run.files[0], rows)
    }

    @Test(arguments: textVariables)
    func textVariablesDeclareTheCodesAndKeepEveryCell(name: String) throws {
        let (url, rows) = try Self.export()
        let table = Self.schema.tables[0]
        let column = try #require(table.variables.firstIndex { $0.name == name })
        let variable = table.variables[column]
        let want = rows.map { RealQuestionnaireTests.canonical($0[column], variable, kind: "sav", codes: Self.schema.specialCodes) }
        #expect(want.contains("-8") || want.contains("-9"), "the fixture gives \(name) a special answer")

        let kept = try PythonReader.read("sav", url)
        #expect(kept.missingTexts[name] == ["-7", "-8", "-9"], "\(name) declares the three codes")
        #expect(kept.data[name]?.map(RealQuestionnaireTests.canonical) == want, "user_missing=True keeps the codes")

        let plain = try PythonReader.read("sav", url, userMissing: false)
        let wantPlain = rows.map { row -> String in
            if case .special = row[column] { return "∅" }
            return RealQuestionnaireTests.canonical(row[column], variable, kind: "sav", codes: Self.schema.specialCodes)
        }
        #expect(plain.data[name]?.map(RealQuestionnaireTests.canonical) == wantPlain, "a default read treats them as missing")
    }

    @Test
    func widthsCoverShortLongAndVeryLongStrings() throws {
        let (url, _) = try Self.export()
        let read = try PythonReader.read("sav", url)
        #expect(read.formats["short_t"] == "A4")
        #expect(read.formats["start_t"] == "A5")
        #expect(read.formats["mid_t"] == "A80")
        #expect(read.formats["comment"] == "A1200")
        #expect(read.missing["life_sat"]?.count == 3, "numeric declarations unchanged")
        #expect(read.missingTexts["iv_device"] == nil, "provenance texts declare nothing")
    }

    @Test func longStringMissingRecordListsWideTextsByLongName() throws {
        let table = Self.schema.tables[0]
        var dictionary = SavDictionary(layout: SavLayout(table: table), schema: Self.schema, table: table)
        let bytes = dictionary.encode(compressed: true, createdAt: Date(timeIntervalSince1970: 0))
        let found = Self.record22(in: bytes)
        let entries = try #require(found, "the dictionary has a 7.22 record")
        #expect(entries.map(\.name) == ["nb_prob_oth", "comment", "mid_t"])
        for entry in entries {
            #expect(entry.valueLength == 8)
            #expect(entry.values == ["-7      ", "-8      ", "-9      "])
        }
    }

    @Test func noRecord22WithoutWideTexts() {
        let v = ExportVariable(
            name: "code", label: "", type: .string(width: 8), measure: .nominal,
            declaresSpecials: true, source: .answer("code"))
        let table = ExportTable(name: "t", roster: nil, rosterPath: [], label: "t", variables: [v])
        var schema = Self.schema
        schema.tables = [table]
        var dictionary = SavDictionary(layout: SavLayout(table: table), schema: schema, table: table)
        let bytes = dictionary.encode(compressed: true, createdAt: Date(timeIntervalSince1970: 0))
        let found = Self.record22(in: bytes)
        #expect(found == nil, "an 8-byte text declares in its variable record")
        // The one variable record: type, width, no label, 3 missing values, formats, name, then the values.
        let record = Array(bytes[176..<(176 + 32 + 24)])
        #expect(Self.int32(record, 12) == 3)
        #expect(String(decoding: record[32..<56], as: UTF8.self) == "-7      -8      -9      ")
    }

    struct Entry: Equatable {
        var name: String
        var valueLength: Int
        var values: [String]
    }

    static func int32(_ b: [UInt8], _ at: Int) -> Int {
        Int(Int32(bitPattern: UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24))
    }

    /// The entries of the first 7.22 record (found by its 16-byte header), or nil.
    static func record22(in b: [UInt8]) -> [Entry]? {
        var at = 0
        while at + 16 <= b.count {
            if int32(b, at) == 7, int32(b, at + 4) == 22, int32(b, at + 8) == 1 { break }
            at += 1
        }
        guard at + 16 <= b.count else { return nil }
        let end = at + 16 + int32(b, at + 12)
        var p = at + 16
        var entries: [Entry] = []
        while p < end {
            let n = int32(b, p)
            let name = String(decoding: b[(p + 4)..<(p + 4 + n)], as: UTF8.self)
            p += 4 + n
            let count = Int(b[p])
            let length = int32(b, p + 1)
            p += 5
            let values = (0..<count).map { i in String(decoding: b[(p + i * length)..<(p + (i + 1) * length)], as: UTF8.self) }
            p += count * length
            entries.append(Entry(name: name, valueLength: length, values: values))
        }
        return entries
    }
}
