import Foundation
import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@testable import Fieldwork

/// Sample files (docs/coordinator.md, "The sample"): CSV as spreadsheets write it, and one clear
/// `FILE:LINE: …` per problem, every problem at once.
@Suite("Sample files")
struct SampleFileTests {
    static let definition = Scenario.compile(source: FieldTrialSurvey.source)
    static let header = "case_id,sample_source,cluster_id,address_id,address,district\n"

    static func read(_ text: String) -> SampleFile {
        SampleFile(bytes: Array(text.utf8), file: "minta.csv", definition: definition)
    }

    @Test func theTrialSampleReadsWithItsValues() throws {
        let sample = Self.read(FieldTrialSurvey.sample)
        #expect(sample.problems.isEmpty, "\(sample.problems)")
        #expect(sample.cases.map(\.id.rawValue) == ["W-0001", "W-0002", "W-0003", "W-0004", "E-0001"])
        #expect(sample.cases[0].values["district"] == .choice(6))
        #expect(sample.cases[0].address == "Szondi György u. 3, 2/7" && sample.cases[0].values["address"] == nil)
        #expect(sample.cases[0].values["cluster_id"] == .text("B12"))
        #expect(sample.cases[4].values["district"] == nil, "an empty cell preloads nothing: the district is asked")
        #expect(sample.cases[4].line == 6)
    }

    @Test func spreadsheetCSVReadsTheSame() throws {
        // A byte order mark, semicolons, CRLF, quotes around a field with a separator, a line break and doubled quotes.
        let text =
            "\u{FEFF}case_id;sample_source;cluster_id;address_id;address;district\r\n"
            + "W-1;1;B12;\"A;\r\n\"\"1\"\"\";;6\r\n\r\nW-2;1;B12;A2;;6"
        let sample = Self.read(text)
        #expect(sample.problems.isEmpty, "\(sample.problems)")
        #expect(sample.cases.map(\.line) == [2, 5])
        #expect(sample.cases[0].values["address_id"] == .text("A;\r\n\"1\""))
        #expect(sample.cases[1].values["district"] == .choice(6))
    }

    @Test(
        arguments: [
            ("", "minta.csv:1: the file is empty"),
            ("sample_source,cluster_id,address_id\n1,B1,A1\n", "minta.csv:1: there is no 'case_id' column"),
            (
                "case_id,sample_source,cluster_id,address_id,distrikt\nW-1,1,B1,A1,6\n",
                "minta.csv:1: column 'distrikt' is not a preloaded question of field 1; its preloaded questions are sample_source, cluster_id, address_id, district (and the field-management columns address and note)"
            ),
            ("case_id,sample_source,cluster_id,address_id,age\nW-1,1,B1,A1,40\n", "minta.csv:1: column 'age' is not a preloaded question"),
            (
                "case_id,sample_source,sample_source,cluster_id,address_id\nW-1,1,1,B1,A1\n",
                "minta.csv:1: column 'sample_source' is named twice"
            ),
            (
                "case_id,int_id,sample_source,cluster_id,address_id\nW-1,K07,1,B1,A1\n",
                "minta.csv:1: column 'int_id' is filled in by the device itself"
            ),
            ("case_id,sample_source,address_id\nW-1,1,A1\n", "minta.csv:1: missing column 'cluster_id': a required preload"),
            (header + "W-1,1,B1,A1,,6,extra\n", "minta.csv:2: 7 fields, but the header has 6 columns"),
            (header + "W 1,1,B1,A1,,6\n", "minta.csv:2: case id 'W 1': a case id may hold only letters"),
            (header + "W-1,1,B1,A1,,6\nW-2,1,B1,A2,,6\nW-1,1,B1,A3,,6\n", "minta.csv:4: case id 'W-1' is already on line 2"),
            (header + "W-1,1,,A1,,6\n", "minta.csv:2: missing preload 'cluster_id'"),
            (header + "W-1,1,B1,A1,,9\n", "minta.csv:2: district: '9' is not one of its codes (1, 2, 6)"),
            (header + "W-1,1,B1,A0000000000001,,6\n", "minta.csv:2: address_id: a text of 14 characters, longer than its maxlength 12"),
            (header + "W-1,egy,B1,A1,,6\n", "minta.csv:2: sample_source: 'egy' is not one of its codes (1, 2)"),
            (header + "W-1,1,B1,A1,\"Szondi u. 3,6\n", "minta.csv:2: a quoted field is never closed"),
            (header + "W-1,1,B1,A1,\"Szondi u. 3\n2. lépcsőház\",6\n", "minta.csv:2: address: a line break inside"),
            (header + "W-1,1,B1,A1,\(String(repeating: "x", count: 201)),6\n", "minta.csv:2: address: 201 characters, more than 200"),
            (header + "W-1,1,B1,A1,Szondi \"u\" 3,6\n", "minta.csv:2: a '\"' in the middle of a field"),
        ] as [(String, String)])
    func eachKindOfBadFileGetsItsMessage(_ text: String, _ message: String) {
        let sample = Self.read(text)
        #expect(sample.problems.contains { $0.description.hasPrefix(message) }, "\(sample.problems.map(\.description))")
        #expect(sample.cases.isEmpty || !sample.problems.isEmpty)
    }

    @Test func bytesThatAreNotUTF8AreNamed() {
        var bytes = Array(Self.header.utf8)
        bytes += Array("W-1,1,B1,A1,Gy".utf8) + [0xF5, 0x72] + Array(",6\n".utf8)
        let sample = SampleFile(bytes: bytes, file: "minta.csv", definition: Self.definition)
        #expect(sample.problems.map(\.description) == ["minta.csv:2: the file is not UTF-8 text; save it as CSV UTF-8"])
    }

    @Test func everyProblemOfEveryLineIsReportedAtOnce() {
        let sample = Self.read(Self.header + "W-1,1,B1,A1,,9\nW-2,3,,A2,,6\nW-1,1,B1,A3,,1\n")
        #expect(
            sample.problems.map(\.description) == [
                "minta.csv:2: district: '9' is not one of its codes (1, 2, 6)",
                "minta.csv:3: sample_source: '3' is not one of its codes (1, 2)",
                "minta.csv:3: missing preload 'cluster_id': it is required and only the sample can give it",
                "minta.csv:4: case id 'W-1' is already on line 2",
            ])
    }

    @Test func aFileFullOfErrorsIsCappedAndCounted() {
        let lines = (1...1500).map { "W-\($0),7,B1,A1,,6" }.joined(separator: "\n")
        let sample = Self.read(Self.header + lines)
        #expect(sample.problems.count == SampleFile.maxProblems)
        #expect(sample.omittedProblems == 500)
    }

    /// The address and note checks read ASCII text by its bytes and other text by characters:
    /// both must find every line break `Character.isNewline` knows, and count characters, not bytes.
    @Test func addressLineBreaksOfEveryKindAndLengthsInCharacters() {
        let breaks = ["\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]
        for (i, lineBreak) in breaks.enumerated() {
            for prefix in ["Fő utca 1", "Main street 1"] {
                let sample = Self.read(Self.header + "W-\(i),1,B1,A1,\"\(prefix)\(lineBreak)2. emelet\",6\n")
                #expect(
                    sample.problems.map(\.message) == ["address: a line break inside; write the address on one line"],
                    "\(prefix) \(lineBreak.unicodeScalars.map { $0.value })")
            }
        }
        let long = [String(repeating: "ő", count: 200), String(repeating: "a", count: 200), String(repeating: "a", count: 201)]
        let sample = Self.read(Self.header + long.enumerated().map { "W-\($0),1,B1,A1,\($1),6" }.joined(separator: "\n"))
        #expect(sample.problems.map(\.description) == ["minta.csv:4: address: 201 characters, more than 200"])
        #expect(sample.cases.map(\.address) == [long[0], long[1]])
    }

    /// The address and note checks read bytes (`hasLineBreak`, `trimmed`); their oracles are
    /// `Character.isNewline` and `trimmingSpaces`, over texts of the scalars where bytes and
    /// Characters part: every newline, CR LF, combining marks and a joiner after spaces and
    /// breaks, a prepended mark before a space, letters whose bytes resemble a separator's.
    @Test func byteChecksOfAddressesAgreeWithCharacters() {
        let scalars = [
            " ", "\t", "\r", "\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}", "\u{301}", "\u{200D}", "\u{600}", "ő", "a",
            "😀", "\u{2000}", "\u{A8}", "\u{C2}", "\u{20A8}",
        ]
        var rng = SplitMix64(seed: 12)
        var differ: [[UInt32]] = []
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...6, using: &rng)).map { _ in scalars.randomElement(using: &rng)! }.joined()
            if SampleFile.hasLineBreak(text) != text.contains(where: \.isNewline)
                || Array(SampleFile.trimmed(text).utf8) != Array(text.trimmingSpaces.utf8)
            {
                differ.append(text.unicodeScalars.map(\.value))
            }
        }
        #expect(differ.isEmpty, "\(differ.prefix(5))")
    }

    /// A field is refused as not UTF-8 exactly when `String(validating:)` refuses its bytes,
    /// quoted or not, before a CRLF; a valid address arrives trimmed, or is refused for a break.
    @Test func fieldsAreUTF8ExactlyWhenStringValidatesThem() {
        let pieces: [[UInt8]] = [
            [0x41], [0xC5, 0x91], [0xC5], [0x91], [0xE2, 0x80, 0xA8], [0xE2, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xF0, 0x9F, 0x98],
            [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xEF, 0xBF, 0xBD], [0xFF], [0x20],
        ]
        var rng = SplitMix64(seed: 8)
        for _ in 0..<2_000 {
            let cell = (0..<Int.random(in: 1...4, using: &rng)).flatMap { _ in pieces.randomElement(using: &rng)! }
            let field = Bool.random(using: &rng) ? [0x22] + cell + [0x22] : cell
            let bytes = Array(Self.header.utf8) + Array("W-1,1,B1,A1,".utf8) + field + Array(",6\r\n".utf8)
            let sample = SampleFile(bytes: bytes, file: "minta.csv", definition: Self.definition)
            let notUTF8 = sample.problems.map(\.message) == ["the file is not UTF-8 text; save it as CSV UTF-8"]
            guard let text = String(validating: cell, as: UTF8.self)?.trimmingSpaces else {
                #expect(notUTF8, "\(cell): \(sample.problems)")
                continue
            }
            if text.contains(where: \.isNewline) {
                #expect(sample.problems.map(\.message) == ["address: a line break inside; write the address on one line"], "\(cell)")
            } else {
                #expect(sample.problems.isEmpty && sample.cases.first?.address == (text.isEmpty ? nil : text), "\(cell)")
            }
        }
    }

    /// A text preload's maxlength counts characters; the check reads bytes only when they settle it.
    @Test func maxlengthCountsCharactersOfUTF8Values() {
        let sample = Self.read(
            Self.header + "W-1,1,B1,\(String(repeating: "ő", count: 12)),,6\nW-2,1,B1,\(String(repeating: "ő", count: 13)),,6\n")
        #expect(sample.problems.map(\.description) == ["minta.csv:3: address_id: a text of 13 characters, longer than its maxlength 12"])
        #expect(sample.cases.map(\.id.rawValue) == ["W-1"])
    }

    @Test func namesAndValuesFromTheFileAreEscapedInMessages() {
        let sample = Self.read("case_id,sample_source,cluster_id,address_id,\u{1B}[31mred\n")
        #expect(sample.problems.contains { $0.description.contains("column '\\u{1B}[31mred'") }, "\(sample.problems)")
    }
}

/// The synthetic sample files of questionnaires/samples/ load against their questionnaires.
@Suite("The studies' sample files")
struct StudySampleFileTests {
    @Test(arguments: [("wellbeing", 1704), ("energy", 900), ("stakeholders", 95)])
    func eachStudysSampleFileReadsWithoutAProblem(study: String, cases: Int) throws {
        let definition = Scenario.compile(repositoryFile: "questionnaires/\(study).survey")
        let path = TestFiles.repositoryRoot.appendingPathComponent("questionnaires/samples/\(study).csv")
        let bytes = try [UInt8](Data(contentsOf: path))
        let sample = SampleFile(bytes: bytes, file: "\(study).csv", definition: definition)
        #expect(sample.problems.isEmpty, "\(sample.problems.prefix(5))")
        #expect(sample.cases.count == cases)
        #expect(sample.cases.allSatisfy { $0.address != nil || $0.id.rawValue.hasPrefix("E-") })
        if study == "wellbeing" {
            let booster = sample.cases.filter { $0.values["sample_source"] == .choice(2) }
            #expect(booster.count == 120 && booster.allSatisfy { $0.values["district"] == nil }, "the booster's district is asked")
        }
    }
}

enum TestFiles {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
