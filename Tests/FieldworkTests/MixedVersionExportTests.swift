import Foundation
import SurveyExport
import SurveyModel
import Testing

import enum SurveyTestSupport.PythonReader

@testable import Fieldwork

/// Interviews of three questionnaire versions exported together (docs/exports.md, "Several
/// questionnaire versions"): the union of the variables, types widened or values kept apart,
/// never a value changed or dropped.
struct MixedVersionExportTests {
    typealias F = MixedVersionFixture

    /// The question columns of the interview table, in the merged order.
    static let interviewColumns = [
        "outcome", "hh_size", "pet", "income", "income_v2", "worry", "comment", "comment_v2", "sat", "sat_v2", "trust",
        "prob_1", "prob_2", "prob_2_v1", "cars", "prob_3",
    ]

    /// Expected interview-table cells (CSV text; "" = empty) of the answered interviews.
    static let expected: [InterviewID: [String: String]] = [
        F.a1: [
            "iv_version": "1", "iv_outcome": "11", "hh_size": "2", "pet": "1", "income": "", "income_v2": "250000", "worry": "4",
            "comment": "", "comment_v2": "old text", "sat": "", "sat_v2": "1", "trust": "2", "prob_1": "0", "prob_2": "",
            "prob_2_v1": "1", "prob_3": "", "cars": "1",
        ],
        F.a2: ["iv_version": "1", "iv_outcome": "23"],
        F.a3: [
            "iv_version": "1", "hh_size": "1", "pet": "0", "income": "", "income_v2": "0", "worry": "1", "comment": "",
            "comment_v2": "", "sat": "", "sat_v2": "2", "trust": "1", "prob_1": "1", "prob_2": "", "prob_2_v1": "0", "cars": "0",
        ],
        F.b1: [
            "iv_version": "2", "hh_size": "11", "pet": "", "income": "", "income_v2": "3000000", "worry": "", "comment": "",
            "comment_v2": "v2 text", "sat": "", "sat_v2": "2", "trust": "9", "prob_1": "0", "prob_2": "1", "prob_2_v1": "",
            "prob_3": "1", "cars": "",
        ],
        F.c1: [
            "iv_version": "3", "hh_size": "1", "pet": "", "income": "2", "income_v2": "", "worry": "", "comment": "42",
            "comment_v2": "", "sat": "1", "sat_v2": "", "trust": "1", "prob_1": "1", "prob_2": "1", "prob_2_v1": "", "prob_3": "0",
            "cars": "",
        ],
    ]

    /// Expected `mem` rows: interview, row → m_age, pet, m_job.
    static let expectedMembers: [String] =
        [
            "\(F.a1),1,40,,", "\(F.a1),2,9,,", "\(F.a3),1,50,,", "\(F.b1),1,33,0,",
        ] + (2...11).map { "\(F.b1),\($0),,," } + ["\(F.c1),1,25,1,nurse"]

    static func export(_ built: MixedVersionFixture.Built, formats: [ExportFormat], codebook: Bool = false) throws -> (
        URL, ExportReport, ExportSchema
    ) {
        let dir = try CentralFixture.temporaryDirectory()
        let dataset = try CleanedDataset(central: built.central, survey: "t", statuses: .all)
        let report = try SurveyExportRun.run(dataset, ExportRequest(formats: formats, codebook: codebook, directory: dir))
        return (dir, report, try #require(report.schema))
    }

    /// A CSV file as its header and rows of fields (the fixture's texts need no quoting).
    static func csv(_ url: URL) throws -> (header: [String], rows: [[String]]) {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        return (lines.first ?? [], Array(lines.dropFirst()))
    }

    @Test func newestVersionIsTheOneThatCameIntoUseLastNotTheLastInterviewsVersion() throws {
        let built = try F.build()
        let dataset = try CleanedDataset(central: built.central, survey: "t", statuses: .all)
        #expect(dataset.schemaDefinition.hash == built.versions[2].hash, "A3 on a device still on version 1 started last")
        #expect(dataset.exportDefinitions.map(\.hash) == built.versions.reversed().map(\.hash))
        let only1 = try CleanedDataset(central: built.central, survey: "t", version: .hash(built.versions[0].hash.rawValue))
        #expect(only1.exportDefinitions.map(\.hash) == [built.versions[0].hash])
    }

    @Test func schemaIsTheUnionInTheNewestOrderWithOlderValuesKeptApartWhereTheyDiffer() throws {
        let built = try F.build()
        let versions = built.versions.reversed().map { ($0.hash, $0.definition) }
        let schema = try ExportSchema(versions: versions)
        #expect(schema.tables.map(\.name) == ["t", "t_mem", "t_car"])
        let t = schema.tables[0]
        #expect(t.variables.filter { $0.source.question != nil }.map(\.name) == Self.interviewColumns)
        #expect(schema.tables[1].variables.map(\.name) == ["interview_id", "mem_row", "m_age", "pet", "m_job"])
        func variable(_ name: String, table: Int = 0) throws -> ExportVariable {
            try #require(schema.tables[table].variables.first { $0.name == name })
        }
        let (v1, v2, v3) = (built.versions[0].hash, built.versions[1].hash, built.versions[2].hash)
        #expect(try variable("income").versions == [v3])
        #expect(try variable("income_v2").versions == [v1, v2])
        #expect(try variable("income_v2").type == .integer(0...5_000_000))
        #expect(try variable("income_v2").label == "Income? [v2]")
        #expect(try variable("comment_v2").type == .string(width: 160))
        #expect(try variable("hh_size").type == .integer(1...15), "widened from version 3's 1–10")
        #expect(try variable("mem_row", table: 1).type == .integer(1...15))
        #expect(try variable("pet").versions == [v1])
        #expect(try variable("pet", table: 1).versions == [v2, v3])
        #expect(try variable("m_age", table: 1).versions == nil, "in every version")
        #expect(try variable("interview_id", table: 2).versions == [v1])

        func labels(_ name: String) throws -> [String] {
            let set = try #require(try variable(name).valueLabels.flatMap { schema.valueLabelSets[$0] })
            return set.labels.compactMap { if case .code(let c) = $0.value { "\(c)=\($0.label)" } else { nil } }
        }
        #expect(try labels("sat") == ["1=bad", "2=good"])
        #expect(try labels("sat_v2") == ["1=good", "2=bad"])
        #expect(try labels("trust") == ["1=no", "2=yes", "9=can't say"])
        #expect(try labels("iv_outcome") == ["11=Complete", "21=Refusal", "23=Vacant"])
        #expect(try variable("prob_2_v1").label == "Problems?: noise [v1]")
        #expect(schema.droppedPII == ["phone"], "pii in version 3 only, dropped for every version")

        let notes = schema.versionNotes.map(\.description)
        let expectedNotes = [
            "t.income_v2: the values of 'income' from version 2", "because it is a coded answer (with value labels) in version 3",
            "t.sat_v2: the values of 'sat' from version 2", "code 1 means 'bad' in version 3",
            "t.prob_2_v1: the values of 'prob_2' from version 1", "t.trust: value labels merged; code(s) 9",
            "t.hh_size: integer 1–10 in newer versions but integer 1–15 in version 2", "table t_car: only in version 1",
            "t.worry: only in version 1",
            "t_mem.m_job: only in version 3", "t.comment_v2: the values of 'comment' from version 2",
        ]
        for text in expectedNotes { #expect(notes.contains { $0.contains(text) }, "no note with \(text): \(notes)") }
    }

    @Test func csvAndJSONLinesCellsFollowTheRule() throws {
        let built = try F.build()
        let (dir, report, schema) = try Self.export(built, formats: [.csv, .jsonl], codebook: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(report.summary.included == 5)
        #expect(report.separatedVariables == ["t.income_v2", "t.comment_v2", "t.sat_v2", "t.prob_2_v1"])
        let (header, rows) = try Self.csv(dir.appendingPathComponent("t.csv"))
        #expect(header == schema.tables[0].variables.map(\.name))
        #expect(rows.map { $0[0] } == [F.a1, F.a2, F.a3, F.b1, F.c1].map(\.rawValue))
        let hashes = Dictionary(uniqueKeysWithValues: built.versions.map { ($0.definition.version, $0.hash) })
        for row in rows {
            let cells = Dictionary(uniqueKeysWithValues: zip(header, row))
            let id = InterviewID(row[0])
            for (name, value) in Self.expected[id] ?? [:] { #expect(cells[name] == value, "\(id) \(name)") }
            // The rule for every cell: a variable of other versions is empty for this interview.
            let version = try #require(cells["iv_version"].flatMap { hashes[$0] })
            #expect(cells["iv_def_hash"] == version.rawValue)
            for v in schema.tables[0].variables where !v.holds(version) { #expect(cells[v.name] == "", "\(id) \(v.name)") }
        }
        let members = try Self.csv(dir.appendingPathComponent("t_mem.csv"))
        #expect(members.rows.map { $0.joined(separator: ",") } == Self.expectedMembers)
        let cars = try Self.csv(dir.appendingPathComponent("t_car.csv"))
        #expect(cars.rows == [[F.a1.rawValue, "1", "12000"]])

        // JSON Lines holds the same cells, rosters nested.
        let lines = try String(contentsOf: dir.appendingPathComponent("t.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == rows.count)
        for (line, row) in zip(lines, rows) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for (name, cell) in zip(header, row) { #expect(Self.text(object[name]) == cell, "\(row[0]) \(name)") }
        }
        let c1 = try #require(try JSONSerialization.jsonObject(with: Data(lines[4].utf8)) as? [String: Any])
        let c1Members = try #require(c1["mem"] as? [[String: Any]])
        #expect(c1Members.count == 1 && c1Members[0]["m_job"] as? String == "nurse" && c1Members[0]["pet"] as? Int == 1)
        let a1 = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect((a1["car"] as? [[String: Any]])?.first?["c_km"] as? Int == 12_000)
        #expect((a1["mem"] as? [[String: Any]])?.first?["pet"] is NSNull, "version 1 asked pet at the interview level")

        for file in report.files {
            let bytes = try Data(contentsOf: file)
            for phone in F.phones { #expect(bytes.range(of: Data(phone.utf8)) == nil, "\(phone) in \(file.lastPathComponent)") }
        }
        let log = try String(contentsOf: report.log, encoding: .utf8)
        #expect(log.contains("## Versions") && log.contains("3 questionnaire versions in one schema, newest first: version 3"))
        #expect(log.contains("t.income_v2: the values of 'income' from version 2"))
        #expect(log.contains("(merged into the schema)"))
        let codebook = try String(contentsOf: dir.appendingPathComponent("t_codebook.md"), encoding: .utf8)
        #expect(codebook.contains("Worry?"), "an older-only question shows its own text")
        #expect(codebook.contains("only interviews of version 2"))
        #expect(codebook.contains("Questionnaire versions, newest first: version 3"))
    }

    @Test(arguments: ["sav", "dta"])
    func spssAndStataReadersSeeTheSameCellsAndLabels(kind: String) throws {
        let built = try F.build()
        let (dir, _, schema) = try Self.export(built, formats: [.csv, kind == "sav" ? .sav : .dta])
        defer { try? FileManager.default.removeItem(at: dir) }
        for table in schema.tables {
            let (header, rows) = try Self.csv(dir.appendingPathComponent("\(table.name).csv"))
            let read = try PythonReader.read(kind, dir.appendingPathComponent("\(table.name).\(kind)"))
            #expect(read.columns == header)
            #expect(read.rowCount == rows.count)
            for (c, name) in header.enumerated() {
                guard let variable = table.variables.first(where: { $0.name == name }) else { continue }
                let values = read.data[name] ?? []
                for (r, row) in rows.enumerated() where r < values.count {
                    #expect(Self.agrees(values[r], csv: row[c], type: variable.type, kind: kind), "\(table.name) \(row[0]) \(name)")
                }
            }
        }
        let main = try PythonReader.read(kind, dir.appendingPathComponent("t.\(kind)"))
        func label(_ name: String, _ code: Int) -> String? {
            main.valueLabels[name]?["\(code).0"] ?? main.valueLabels[name]?["\(code)"]
        }
        #expect(label("sat", 1) == "bad" && label("sat_v2", 1) == "good")
        #expect(label("trust", 9) == "can't say" && label("iv_outcome", 23) == "Vacant")
        #expect(label("income", 2) == "middle" && label("income_v2", 2) == nil)
        #expect(main.labels["income_v2"] == "Income? [v2]")
    }

    @Test func correctionsAreCheckedAgainstTheVersionOfTheirInterview() throws {
        let built = try F.build()
        func dataset(_ line: String) throws -> CleanedDataset {
            try CleanedDataset(central: built.central, survey: "t", statuses: .all, correctionsText: line, correctionsFile: "t.corrections")
        }
        let ok = try dataset("set \(F.a1) income = 300000 : typo\nset \(F.a1) worry = 3 : re-read\nset \(F.c1) income = 3 : re-read")
        var incomes: [InterviewID: Answer] = [:]
        _ = try ok.forEach { incomes[$0.id] = $0.answers[Address("income")] }
        #expect(incomes[F.a1] == .value(.integer(300_000)) && incomes[F.c1] == .value(.choice(3)))
        #expect { _ = try dataset("set \(F.c1) income = 300000 : typo") } throws: { "\($0)".contains("300000 is not a code of 'income'") }
        #expect { _ = try dataset("set \(F.c1) worry = 3 : typo") } throws: { "\($0)".contains("unknown variable 'worry'") }
    }

    @Test func aRosterMovedIntoAnotherIsRefusedWithTheVersionsToExportAlone() throws {
        let flat = try CentralFixture.compile(Self.trips(nested: false, version: 1))
        let nested = try CentralFixture.compile(Self.trips(nested: true, version: 2))
        #expect {
            _ = try ExportSchema(versions: [(nested.hash, nested.definition), (flat.hash, flat.definition)])
        } throws: { error in
            let text = "\(error)"
            return text.contains("roster 'trip' is inside 'mem' in the newer version but at the top level in version 1")
                && text.contains("--survey-version \(flat.hash.rawValue.prefix(12))")
        }
    }

    @Test(arguments: ["wellbeing", "energy"])
    func oneVersionGivesExactlyTheSingleDefinitionSchema(survey: String) throws {
        let compiled = try CentralFixture.questionnaire(survey)
        for options in [ExportOptions(), ExportOptions(language: "en", pii: .keep)] {
            let single = try ExportSchema(definition: compiled.definition, options: options)
            let merged = try ExportSchema(versions: [(compiled.hash, compiled.definition)], options: options)
            #expect(merged.tables == single.tables)
            #expect(merged.valueLabelSets == single.valueLabelSets)
            #expect(merged.versionNotes.isEmpty && merged.versions.map(\.hash) == [compiled.hash])
        }
    }

    // MARK: Helpers

    static func trips(nested: Bool, version: Int) -> String {
        let trip = #"roster trip max 5 { title en "Trips" question t_km integer 0..999 { text en "Km?" } }"#
        return """
            survey t {
              title en "T"
              version "\(version)"
              languages en
            }
            question n integer 1..5 { text en "N?" }
            roster mem count n max 5 {
              title en "Members"
              question m_age integer 0..110 { text en "Age?" }
              \(nested ? trip : "")
            }
            \(nested ? "" : trip)
            """
    }

    /// A JSON value in the CSV's text form.
    static func text(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: ""
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: "\(value ?? "")"
        }
    }

    /// Whether a pyreadstat value shows the same cell as the CSV text.
    static func agrees(_ value: Any, csv: String, type: ExportType, kind: String) -> Bool {
        if type.isString { return (value as? String ?? "") == csv }
        if csv.isEmpty { return value is NSNull }
        if kind == "dta", let special = ["-7": "a", "-8": "b", "-9": "c"][csv] { return value as? String == special }
        switch type {
        case .date, .datetime: return value is String
        default: return (value as? Double).map { $0 == Double(csv) } ?? ((value as? Int).map { Double($0) == Double(csv) } ?? false)
        }
    }
}
