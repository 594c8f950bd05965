import Foundation
import SurveyModel
import Testing

@testable import SurveyExport

struct SchemaTests {
    @Test func tablesFollowRosterNestingWithParentKeys() throws {
        let schema = try ExportSchema(definition: Fixture.definition)
        #expect(schema.tables.map(\.name) == ["fixture", "fixture_mem", "fixture_trip"])
        let trip = try #require(schema.table(for: "trip"))
        #expect(trip.variables.prefix(3).map(\.name) == ["interview_id", "mem_row", "trip_row"])
        #expect(trip.keyCount == 3)
        let main = schema.tables[0]
        #expect(
            main.variables.map(\.name).prefix(13) == [
                "interview_id", "iv_def_hash", "iv_version", "iv_device", "iv_start", "iv_end",
                "iv_minutes", "iv_outcome", "iv_conflict", "iv_visits", "iv_final", "iv_review", "life_sat",
            ], "without a pseudonym function the interviewer is left out")
    }

    @Test func multipleChoiceBecomesLabelledIndicatorsPlusOtherText() throws {
        let schema = try ExportSchema(definition: Fixture.definition, options: ExportOptions(language: "en"))
        let names = schema.tables[0].variables.map(\.name)
        #expect(names.contains("nb_prob_1") && names.contains("nb_prob_2") && names.contains("nb_prob_96"))
        #expect(names.contains("nb_prob_oth"))
        let v = try #require(schema.tables[0].variables.first { $0.name == "nb_prob_96" })
        #expect(v.label == "Which problems are there?: Other")
        #expect(v.type == .integer(0...1) && v.declaresSpecials)
        #expect(schema.valueLabelSets[v.valueLabels ?? ""]?.label(for: .code(1)) == "selected")
    }

    @Test func specialAnswersAreLabelledInEveryAnswerSet() throws {
        let schema = try ExportSchema(definition: Fixture.definition, options: ExportOptions(language: "en"))
        let sat = try #require(schema.valueLabelSets["SAT10"])
        #expect(sat.label(for: .special(.dontKnow)) == "don't know")
        #expect(sat.label(for: .special(.refused)) == "refused")
        #expect(sat.label(for: .special(.notApplicable)) == "not applicable")
        let text = try #require(schema.tables[0].variables.first { $0.name == "comment" })
        #expect(text.declaresSpecials, "strings keep the codes as text, declared user-missing in SPSS")
    }

    @Test func piiIsDroppedByDefault() throws {
        let schema = try ExportSchema(definition: Fixture.definition)
        let all = schema.tables.flatMap { $0.variables.map(\.name) }
        #expect(!all.contains("resp_name") && !all.contains("m_name"))
        #expect(schema.droppedPII == ["resp_name", "phone", "addr_key", "m_name"])
    }

    @Test func piiCanBePseudonymisedWithAnInjectedKeyedHash() throws {
        let options = ExportOptions(pii: .pseudonymise(width: 8) { "h" + String($0.unicodeScalars.count) })
        let schema = try ExportSchema(definition: Fixture.definition, options: options)
        let rows = try Fixture.rows(schema)
        let i = try #require(schema.tables[0].variables.firstIndex { $0.name == "resp_name" })
        #expect(rows[0][0][i] == .text("h10"))
        #expect(rows[0][1][i] == .special(.refused))
    }

    @Test func identifiersArePseudonymisedByDefaultAndDirectPersonalDataLeftOut() throws {
        let schema = try ExportSchema(definition: Fixture.definition, options: ExportOptions(identifiers: Fixture.pseudonyms))
        let main = schema.tables[0]
        #expect(schema.droppedPII == ["resp_name", "phone", "m_name"])
        let rows = try Fixture.rows(schema)
        func column(_ name: String) throws -> [Cell] {
            let i = try #require(main.variables.firstIndex { $0.name == name })
            #expect(main.variables[i].isPseudonym && main.variables[i].pii, "\(name)")
            #expect(main.variables[i].declaresSpecials == (name == "addr_key"), "\(name): a question's codes are declared missing")
            #expect(main.variables[i].type == .string(width: 11))
            return rows[0].map { $0[i] }
        }
        #expect(try column("addr_key") == [.text(Fixture.pseudonyms.make("A-0042")), .special(.dontKnow)])
        #expect(try column("iv_interviewer") == [.text(Fixture.pseudonyms.make("int07")), .text(Fixture.pseudonyms.make("int09"))])
        #expect(Fixture.pseudonyms.make("int07") != "int07")
    }

    @Test func withoutAPseudonymFunctionIdentifiersAreLeftOutToo() throws {
        let schema = try ExportSchema(definition: Fixture.definition)
        let names = schema.tables[0].variables.map(\.name)
        #expect(!names.contains("addr_key") && !names.contains("iv_interviewer"))
        #expect(schema.droppedPII == ["resp_name", "phone", "addr_key", "m_name"])
    }

    @Test func pseudonymiseModeCoversEveryPersonalDataVariableAndKeepKeepsThem() throws {
        let all = try ExportSchema(
            definition: Fixture.definition, options: ExportOptions(pii: .pseudonymise(width: 11, Fixture.pseudonyms.make)))
        #expect(all.tables[0].variables.filter(\.isPseudonym).map(\.name) == ["iv_interviewer", "resp_name", "phone", "addr_key"])
        #expect(all.tables[0].variables.filter { $0.isPseudonym && $0.source.question != nil }.allSatisfy { $0.declaresSpecials })
        let kept = try ExportSchema(definition: Fixture.definition, options: ExportOptions(pii: .keep, identifiers: Fixture.pseudonyms))
        #expect(kept.tables[0].variables.filter(\.pii).map(\.name) == ["iv_interviewer", "resp_name", "phone", "addr_key"])
        #expect(!kept.tables[0].variables.contains { $0.isPseudonym })
    }

    @Test func theLogNeverShowsAValueOfALeftOutVariableAndShowsPseudonymsForPseudonymisedOnes() throws {
        let schema = try ExportSchema(definition: Fixture.definition, options: ExportOptions(identifiers: Fixture.pseudonyms))
        #expect(schema.logText(.value(.text("+36 30 123 4567")), of: "phone") == "(withheld: personal data left out of this export)")
        #expect(schema.logText(.special(.refused), of: "phone") == "(withheld: personal data left out of this export)")
        #expect(schema.logText(.value(.text("A-0042")), of: "addr_key") == Fixture.pseudonyms.make("A-0042"))
        #expect(schema.logText(.special(.dontKnow), of: "life_sat") == "dk (-8)")
        #expect(schema.logText(.value(.integer(7)), of: "life_sat") == "7")
        #expect(schema.logText(nil, of: "life_sat") == "(no answer)")
    }

    @Test func aLabelLanguageTheQuestionnaireDoesNotHaveIsAnError() throws {
        #expect(throws: ExportError.unknownLanguage("de", available: ["hu", "en"])) {
            try ExportSchema(definition: Fixture.definition, options: ExportOptions(language: "de"))
        }
        #expect(throws: ExportError.unknownLanguage("de", available: ["hu", "en"])) {
            try ExportSchema(versions: [("abc123", Fixture.definition)], options: ExportOptions(language: "de"))
        }
    }

    @Test func otherTextsAndCheckLabelsAreInTheExportLanguageWithoutPipes() throws {
        var def = Fixture.definition
        guard case .group(var section) = def.items[0] else { return }
        section.children.append(
            .question(
                Question(
                    name: "district", kind: .integer(min: nil, max: nil), text: t("Városrész", "District"),
                    label: t("Városrész", "District"),
                    checks: [
                        Check(
                            id: "chk_district", severity: .warning, condition: .literal(.boolean(true)),
                            message: t("Biztosan helyes az új városrész ({district})?", "Is the new district ({district:code}) right?"))
                    ])))
        def.items[0] = .group(section)
        for (lang, oth, chk) in [
            ("hu", "Milyen problémák vannak a környéken?: egyéb, éspedig", "Biztosan helyes az új városrész ([Városrész])?"),
            ("en", "Which problems are there?: other, specified", "Is the new district ([District]) right?"),
        ] {
            let schema = try ExportSchema(definition: def, options: ExportOptions(language: LanguageCode(lang)))
            let labels = Dictionary(uniqueKeysWithValues: schema.tables[0].variables.map { ($0.name, $0.label) })
            #expect(labels["nb_prob_oth"] == oth)
            #expect(labels["chk_district"] == chk)
        }
    }

    func t(_ hu: String, _ en: String) -> LocalizedText { Fixture.t(hu, en) }

    @Test func piiIsKeptOnlyWhenAskedFor() throws {
        let schema = try ExportSchema(definition: Fixture.definition, options: ExportOptions(pii: .keep))
        let rows = try Fixture.rows(schema)
        let i = try #require(schema.tables[1].variables.firstIndex { $0.name == "m_name" })
        #expect(rows[1].map { $0[i] } == [.text("Kovács Éva"), .text("Kovács Ádám"), .text("Nagy Ödön")])
    }

    @Test func namesEqualIgnoringCaseAreRejected() throws {
        var def = Fixture.definition
        def.items.append(.question(Question(name: "Life_Sat", kind: .integer(min: nil, max: nil), text: Fixture.t("x", "x"))))
        #expect(throws: ExportError.duplicateName(table: "fixture", name: "Life_Sat", other: "life_sat")) {
            try ExportSchema(definition: def)
        }
    }

    @Test func aQuestionNamedLikeAProvenanceColumnIsRejected() throws {
        var def = Fixture.definition
        def.items.append(.question(Question(name: "iv_minutes", kind: .integer(min: nil, max: nil), text: Fixture.t("x", "x"))))
        let error = ExportError.duplicateName(table: "fixture", name: "iv_minutes", other: "iv_minutes")
        #expect(throws: error) { try ExportSchema(definition: def) }
        #expect(error.description.contains("used twice"))
    }

    @Test func indicatorNamesLongerThan32AreRejected() throws {
        var def = Fixture.definition
        let long = VariableName(String(repeating: "p", count: 30))
        def.items.append(
            .question(
                Question(
                    name: long, kind: .multipleChoice(ChoiceSpec(answerSet: "PROB"), min: nil, max: nil), text: Fixture.t("x", "x"))))
        #expect(throws: ExportError.invalidName(table: "fixture", name: "\(long)_96", reason: "is longer than 32 characters")) {
            try ExportSchema(definition: def)
        }
    }

    @Test func textNormalisedToNFCAndTrimmed() throws {
        let decomposed = "  Sze\u{0301}p napot  "
        #expect(RowBuilder.textForm(.text(decomposed)) == "Szép napot")
        #expect(RowBuilder.textForm(.text(decomposed)).unicodeScalars.count == 10)
    }

    @Test func observedStringWidthsReplaceTheWorstCase() throws {
        let wide = try ExportSchema(definition: Fixture.definition)
        let narrow = try ExportSchema(definition: Fixture.definition, options: ExportOptions(stringWidths: ["comment": 400]))
        #expect(wide.tables[0].variables.first { $0.name == "comment" }?.type == .string(width: 1200))
        #expect(narrow.tables[0].variables.first { $0.name == "comment" }?.type == .string(width: 400))
    }

    @Test(arguments: ["sav", "dta"])
    func tooWideTextIsAnErrorNotASilentCut(kind: String) throws {
        let schema = try ExportSchema(definition: Fixture.definition, options: ExportOptions(stringWidths: ["comment": 10]))
        let rows = try Fixture.rows(schema)
        let error = ExportError.valueTooWide(variable: "comment", bytes: Fixture.longComment.utf8.count, width: 10)
        #expect(throws: error) {
            if kind == "sav" {
                var w = try SavWriter(table: schema.tables[0], schema: schema, sink: MemorySink())
                try w.write(rows[0][0])
            } else {
                var w = try DtaWriter(table: schema.tables[0], schema: schema, sink: MemorySink())
                try w.write(rows[0][0])
            }
        }
    }

    @Test func rowsOfTheWrongShapeAreRejected() throws {
        let schema = try ExportSchema(definition: Fixture.definition)
        var w = try CSVWriter(table: schema.tables[0], specialCodes: schema.specialCodes, sink: MemorySink())
        #expect(throws: ExportError.rowShape(table: "fixture", expected: schema.tables[0].variables.count, got: 1)) {
            try w.write([.empty])
        }
    }

    @Test func rosterRowCountsAreInferredFromAnswersWhenNotGiven() throws {
        let schema = try ExportSchema(definition: Fixture.definition)
        let rows = try Fixture.rows(schema)
        #expect(rows[1].count == 3, "two members in the first interview (inferred), one in the second (given)")
        #expect(rows[2].count == 3, "trips 1.1, 1.2 and 2.1 of the first interview")
    }

    @Test func aRosterWithNestedRostersCannotBeWide() throws {
        #expect(throws: ExportError.cannotWiden(roster: "mem", reason: "only a top-level roster without nested rosters can be wide")) {
            try ExportSchema(definition: Fixture.definition, options: ExportOptions(wideRosters: ["mem"]))
        }
    }

    @Test func aSmallRosterCanBeExportedWideInTheInterviewTable() throws {
        var def = Fixture.definition
        // The fixture without the nested trip roster, and with at most 3 members.
        for (i, node) in def.items.enumerated() {
            if case .group(var g) = node, g.id == "mem" {
                g.children.removeAll { if case .group = $0 { true } else { false } }
                g.kind = .roster(RosterSpec(count: nil, maxRows: 3))
                def.items[i] = .group(g)
            }
        }
        let schema = try ExportSchema(definition: def, options: ExportOptions(wideRosters: ["mem"]))
        #expect(schema.tables.map(\.name) == ["fixture"])
        let names = schema.tables[0].variables.map(\.name)
        #expect(Array(names.suffix(6)) == ["m_age_1", "m_rel_1", "m_age_2", "m_rel_2", "m_age_3", "m_rel_3"])
        let rows = try Fixture.rows(schema)
        func cell(_ name: String, _ interview: Int) -> Cell? {
            names.firstIndex(of: name).map { rows[0][interview][$0] }
        }
        #expect(cell("m_age_1", 0) == .number(44) && cell("m_age_2", 0) == .special(.refused))
        #expect(cell("m_age_3", 0) == .empty && cell("m_rel_2", 0) == .number(2))
        #expect(cell("m_age_1", 1) == .number(71) && cell("m_age_2", 1) == .empty)
        #expect(schema.tables[0].variables.first { $0.name == "m_age_2" }?.label == "Életkor [2]")
    }
}
