import Foundation
import SurveyCompiler
import SurveyModel
import Testing

@testable import SurveyExport

/// The merge rule for one question whose declaration changed between two versions
/// (``ExportSchema/init(versions:options:)``): merged when every value fits unchanged with the
/// same meaning, else the older values kept apart in `q_v1`.
struct VersionMergeTests {
    /// A survey of `version` with question `q` declared as `question` (type, then `|` and its
    /// properties if any) and answer set `A`.
    static func definition(_ question: String, version: Int, a: String = #"1 en "x" 2 en "y""#, extra: String = "") throws -> (
        DefinitionHash, SurveyDefinition
    ) {
        let parts = question.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let source = """
            survey t {
              title en "T"
              version "\(version)"
              languages en
            }
            answers A { \(a) }
            question q \(parts[0]) { \(parts.count > 1 ? parts[1] : "") text en "Q?" }
            \(extra)
            """
        let loader = InMemoryLoader(["t.survey": source])
        let result = SurveyCompiler.compile(try loader.root("t.survey"), loader: loader)
        let compiled = try #require(result.compiled, "\(result.diagnostics)")
        return (compiled.hash, compiled.definition)
    }

    static func merged(old: String, new: String, oldSet: String = #"1 en "x" 2 en "y""#, newSet: String = #"1 en "x" 2 en "y""#) throws
        -> ExportSchema
    {
        let older = try definition(old, version: 1, a: oldSet), newer = try definition(new, version: 2, a: newSet)
        return try ExportSchema(versions: [newer, older])
    }

    static func names(_ schema: ExportSchema) -> [String] {
        schema.tables[0].variables.filter { $0.source.question != nil }.map(\.name)
    }

    @Test(arguments: [
        ("integer 0..10", "integer 0..99", ExportType.integer(0...99)),
        ("integer 0..500", "integer 0..99", .integer(0...500)),
        ("integer 0..10", "decimal 0.0..99.5", .decimal(places: 1)),
        ("decimal 0.00..1.00", "decimal 0.0..9.0", .decimal(places: 2)),
        ("text | maxlength 10", "text | maxlength 30", .string(width: 120)),
        ("time", "text | maxlength 3", .string(width: 12)),
        ("date", "date", .date),
    ])
    func compatibleTypesMergeIntoTheWiderType(old: String, new: String, type: ExportType) throws {
        let schema = try Self.merged(old: old, new: new)
        #expect(Self.names(schema) == ["q"])
        #expect(schema.tables[0].variables.last?.type == type)
        #expect(schema.tables[0].variables.last?.versions == nil, "filled by both versions")
    }

    @Test(arguments: [
        ("text", "integer 0..9", "it is integer 0–9 in version 2"),
        ("date", "integer 0..9", "it is integer 0–9 in version 2"),
        ("integer 0..9", "single A", "it is a coded answer (with value labels) in version 2"),
        ("single A", "integer 0..9", "it is a number in version 2"),
    ])
    func incompatibleTypesKeepTheOlderValuesApart(old: String, new: String, reason: String) throws {
        let schema = try Self.merged(old: old, new: new)
        #expect(Self.names(schema) == ["q", "q_v1"])
        let note = try #require(schema.versionNotes.first { $0.variable == "q_v1" })
        #expect(note.description.contains(reason), "\(note)")
        let kept = try #require(schema.tables[0].variables.last)
        #expect(kept.versions?.count == 1 && kept.label == "Q? [v1]")
        #expect(schema.tables[0].variables.first { $0.name == "q" }?.versions?.count == 1)
    }

    @Test func aQuestionThatBecameMultipleChoiceKeepsBothShapesAndANameClashIsKeptApart() throws {
        let older = try Self.definition("integer 0..5", version: 1, extra: #"question q_1 integer 0..9 { text en "Q1?" }"#)
        let newer = try Self.definition("multiple A", version: 2)
        let schema = try ExportSchema(versions: [newer, older])
        #expect(Self.names(schema) == ["q", "q_1", "q_1_v1", "q_2"])
        let note = try #require(schema.versionNotes.first { $0.variable == "q_1_v1" })
        #expect(note.description.contains("holds a different kind of answer in version 1"))
        let q = try #require(schema.tables[0].variables.first { $0.name == "q" })
        #expect(q.versions == [older.0] && q.source == .answer("q"))
    }

    @Test func codesMergeWhenNoCodeChangesMeaningAndSeparateWhenOneDoes() throws {
        let grown = try Self.merged(old: "single A", new: "single A", oldSet: #"1 en "x" 2 en "y" 4 en "w""#)
        #expect(Self.names(grown) == ["q"])
        let set = try #require(grown.tables[0].variables.last?.valueLabels.flatMap { grown.valueLabelSets[$0] })
        #expect(set.labels.compactMap { if case .code(let c) = $0.value { c } else { nil } } == [1, 2, 4])
        #expect(grown.tables[0].variables.last?.type == .integer(1...4))
        #expect(grown.valueLabelSets["A"]?.labels.count == 2 + 3, "the newest set itself is unchanged")

        let swapped = try Self.merged(old: "single A", new: "single A", oldSet: #"1 en "y" 2 en "x""#)
        #expect(Self.names(swapped) == ["q", "q_v1"])
        let old = try #require(swapped.tables[0].variables.last?.valueLabels.flatMap { swapped.valueLabelSets[$0] })
        #expect(old.name == "A_v1" && old.label(for: .code(1)) == "y")
        #expect(swapped.valueLabelSets["A"]?.label(for: .code(1)) == "x")
    }

    @Test func anOlderOnlyVariableKeepsItsOwnLabelsWhenTheNewerVersionReusesTheSetName() throws {
        let older = try Self.definition("single A", version: 1, a: #"1 en "x" 2 en "y""#, extra: #"question w single A { text en "W?" }"#)
        let newer = try Self.definition("single A", version: 2, a: #"1 en "x" 2 en "y" 3 en "z""#)
        let schema = try ExportSchema(versions: [newer, older])
        #expect(Self.names(schema) == ["q", "w"])
        let w = try #require(schema.tables[0].variables.last)
        #expect(w.versions == [older.0])
        let set = try #require(w.valueLabels.flatMap { schema.valueLabelSets[$0] })
        #expect(set.name == "A_v1" && set.label(for: .code(3)) == nil)
    }

    @Test func wideRostersOfDifferentSizesMergeRowByRowAndAnAbsentRosterIsAnError() throws {
        func version(_ n: Int, rows: Int) throws -> (DefinitionHash, SurveyDefinition) {
            try Self.definition(
                "integer 1..\(rows)", version: n,
                extra: """
                    roster mem count q max \(rows) {
                      title en "M"
                      question m_age integer 0..110 { text en "Age?" }
                    }
                    """)
        }
        let (small, large) = (try version(1, rows: 2), try version(2, rows: 3))
        let schema = try ExportSchema(versions: [large, small], options: ExportOptions(wideRosters: ["mem"]))
        #expect(schema.tables.count == 1)
        #expect(Self.names(schema) == ["q", "m_age_1", "m_age_2", "m_age_3"])
        #expect(schema.tables[0].variables.first { $0.name == "m_age_3" }?.versions == [large.0])
        #expect(schema.tables[0].variables.first { $0.name == "m_age_2" }?.versions == nil)
        var record = InterviewRecord(
            id: "i1", definition: small.0, surveyVersion: "1", device: "d", interviewer: "a",
            answers: [Address("m_age", rows: [1]): .value(.integer(30)), Address("m_age", rows: [2]): .value(.integer(5))])
        let builder = RowBuilder(schema: schema)
        let cells = try builder.row(schema.tables[0], record: record, rows: [])
        #expect(Array(cells.suffix(3)) == [.number(30), .number(5), .empty])
        record.definition = large.0
        #expect(try builder.row(schema.tables[0], record: record, rows: []).suffix(3) == [.number(30), .number(5), .empty])

        let flat = try Self.definition("integer 1..3", version: 3)
        #expect(throws: ExportError.cannotWiden(roster: "trip", reason: "there is no roster of that name")) {
            try ExportSchema(versions: [flat, small], options: ExportOptions(wideRosters: ["trip"]))
        }
    }

    @Test func definitionsSharingAVersionTextAreToldApartByTheirHash() throws {
        let older = try Self.definition("integer 0..9", version: 1)
        let newer = try Self.definition("single A", version: 1)
        let schema = try ExportSchema(versions: [newer, older])
        let tag = String(older.0.rawValue.prefix(6))
        #expect(Self.names(schema) == ["q", "q_v\(tag)"])
        #expect(schema.tables[0].variables.last?.label == "Q? [v1 \(tag)]")
    }

    @Test func singleVersionSchemaHasNoVersionRestrictions() throws {
        let only = try Self.definition("single A", version: 1)
        let schema = try ExportSchema(versions: [only])
        let plain = try ExportSchema(definition: only.1)
        #expect(schema.tables == plain.tables && schema.valueLabelSets == plain.valueLabelSets)
        #expect(schema.tables.allSatisfy { $0.variables.allSatisfy { $0.versions == nil } })
    }
}
