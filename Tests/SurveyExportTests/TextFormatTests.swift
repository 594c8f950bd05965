import Foundation
import SurveyModel
import Testing

@testable import SurveyExport

/// Golden files for the fixture's CSV and codebook; `RECORD_GOLDEN=1` re-records them.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "differs from Golden/\(name); RECORD_GOLDEN=1 re-records", sourceLocation: sourceLocation)
    }
}

struct TextFormatTests {
    func csv(_ table: ExportTable, _ schema: ExportSchema, _ rows: [ExportRow]) throws -> String {
        var w = try CSVWriter(table: table, specialCodes: schema.specialCodes, sink: MemorySink())
        for r in rows { try w.write(r) }
        try w.finish()
        return w.sink.text
    }

    @Test func csvOfTheFixtureMatchesGoldenFiles() throws {
        let schema = try ExportSchema(definition: Fixture.definition)
        let rows = try Fixture.rows(schema)
        for (t, table) in schema.tables.enumerated() {
            try Golden.check(try csv(table, schema, rows[t]), "\(table.name).csv")
        }
    }

    @Test func csvQuotesSeparatorsQuotesAndLineBreaksOnly() throws {
        let table = ExportTable(
            name: "t", roster: nil, rosterPath: [], label: "t",
            variables: [
                ExportVariable(name: "a", label: "", type: .string(width: 50), measure: .nominal, source: .answer("a"))
            ])
        let text = try csv(table, ExportSchema.fixtureLike, [[.text("plain")], [.text("a,b")], [.text("say \"hi\"")], [.text("x\ny")]])
        #expect(text == "a\r\nplain\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n\"x\ny\"\r\n")
    }

    @Test func codebookMarkdownAndHTMLMatchGoldenFiles() throws {
        let schema = try ExportSchema(definition: Fixture.definition)
        var freq = Frequencies()
        let rows = try Fixture.rows(schema)
        for (t, table) in schema.tables.enumerated() { for r in rows[t] { freq.add(r, of: table) } }
        let book = Codebook(schema: schema, definition: Fixture.definition, frequencies: freq)
        try Golden.check(book.markdown(), "fixture.codebook.md")
        try Golden.check(book.html(), "fixture.codebook.html")
    }

    @Test func codebookCountsCodesAndSpecials() throws {
        let schema = try ExportSchema(definition: Fixture.definition, options: ExportOptions(language: "en"))
        var freq = Frequencies()
        let rows = try Fixture.rows(schema)
        for (t, table) in schema.tables.enumerated() { for r in rows[t] { freq.add(r, of: table) } }
        let rely = try #require(freq.stats(table: "fixture", variable: "rely_on"))
        #expect(rely.codes == [1: 1, 0: 1])
        let age = try #require(freq.stats(table: "fixture_mem", variable: "m_age"))
        #expect(age.valid == 2 && age.specials[.refused] == 1 && age.min == 44 && age.max == 71)
        let md = Codebook(schema: schema, definition: Fixture.definition, frequencies: freq).markdown()
        #expect(md.contains("| Route | tenure_yrs > 1 |"))
        #expect(md.contains("| -8 | don't know | 1 |"))
    }

    @Test(arguments: [
        (Expr.binary(.and, .binary(.or, .variable("a"), .variable("b")), .variable("c")), "(a or b) and c"),
        (.binary(.subtract, .variable("a"), .binary(.subtract, .variable("b"), .variable("c"))), "a - (b - c)"),
        (.unary(.not, .binary(.in, .variable("x"), .list([.literal(.integer(1)), .literal(.integer(2))]))), "not x in (1, 2)"),
        (
            .aggregate(.count, roster: "mem", body: .binary(.greaterOrEqual, .variable("m_age"), .literal(.integer(16)))),
            "count(mem, m_age >= 16)"
        ),
        (.call(.yearsBetween, [.variable("dob"), .call(.today, [])]), "years_between(dob, today())"),
    ])
    func expressionsRenderWithMinimalParentheses(expr: Expr, text: String) {
        #expect(ExprText.render(expr) == text)
    }

    @Test func jsonLinesNestRosterRowsUnderTheirParents() throws {
        let schema = try ExportSchema(definition: Fixture.definition)
        var w = JSONLinesWriter(schema: schema, sink: MemorySink())
        for r in Fixture.records { try w.write(r) }
        try w.finish()
        let lines = w.sink.text.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["life_sat"] as? Int == 7)
        #expect(first["visit_date"] as? String == "2026-05-28")
        let mem = try #require(first["mem"] as? [[String: Any]])
        #expect(mem.count == 2)
        #expect(mem[1]["m_age"] as? Int == -9)
        #expect(mem[0]["interview_id"] == nil, "nested rows keep only their own row number")
        let trips = try #require(mem[0]["trip"] as? [[String: Any]])
        #expect(trips.map { $0["trip_row"] as? Int } == [1, 2])
        #expect(trips[0]["t_km"] as? Double == 12.5)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(second["iv_end"] is NSNull)
        #expect(
            (second["mem"] as? [[String: Any]])?.first?["trip"] as? [Any] == nil
                || ((second["mem"] as? [[String: Any]])?.first?["trip"] as? [Any])?.isEmpty == true)
    }
}

extension ExportSchema {
    static var fixtureLike: ExportSchema {
        get throws { try ExportSchema(definition: Fixture.definition) }
    }
}
