import Foundation
import Testing

@testable import SurveyModel

@Suite("JSON coding of the model")
struct CodingTests {
    static let values: [Value] = [
        .integer(-8), .decimal(12.5), .text("Bulgárföld"), .boolean(true),
        .date(LocalDate(year: 2024, month: 2, day: 29)), .time(TimeOfDay(hour: 7, minute: 5)),
        .choice(96), .choices([1, 4, 97]),
    ]

    @Test("every value round-trips through its compact JSON form", arguments: values)
    func valueRoundTrip(_ value: Value) throws {
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(Value.self, from: data) == value)
    }

    @Test("answers keep special answers apart from values")
    func answerRoundTrip() throws {
        for answer in [Answer.special(.dontKnow), .special(.refused), .value(.integer(3))] {
            let data = try JSONEncoder().encode(answer)
            #expect(try JSONDecoder().decode(Answer.self, from: data) == answer)
        }
        #expect(String(decoding: try JSONEncoder().encode(Answer.special(.refused)), as: UTF8.self) == #"{"special":"rf"}"#)
    }

    @Test("expressions round-trip")
    func exprRoundTrip() throws {
        let e = Expr.binary(
            .and, .binary(.greaterOrEqual, .rowVariable("m_age", row: .literal(.integer(1))), .literal(.integer(18))),
            .aggregate(.count, roster: "mem", body: .binary(.equal, .variable("m_rel"), .literal(.choice(1)))))
        let data = try JSONEncoder().encode(e)
        #expect(try JSONDecoder().decode(Expr.self, from: data) == e)
        #expect(e.referencedVariables == ["m_age", "m_rel"])
        #expect(e.referencedRosters == ["mem"])
    }

    @Test(
        "events round-trip",
        arguments: [
            InterviewEventKind.started(definition: "abc", seed: 42, language: "hu", preload: ["district": .choice(6)]),
            .answered(Address("m_age", rows: [2]), .value(.integer(34))), .cleared(Address("x")),
            .rowAdded("mem", parentRows: []), .warningConfirmed("chk_hh_size", rows: [], reason: "checked"),
            .note(nil, "kutya az udvaron"), .ended(outcome: 11), .reopened(), .reopened(reason: "rossz kód: hh_n16 = 0 helyett 2"),
            .trainingMarked(true), .trainingMarked(false),
        ])
    func eventRoundTrip(_ kind: InterviewEventKind) throws {
        let data = try JSONEncoder().encode(kind)
        #expect(try JSONDecoder().decode(InterviewEventKind.self, from: data) == kind)
    }

    @Test("dates convert to and from days since the epoch", arguments: ["1970-01-01", "2000-02-29", "1915-06-30", "2026-11-26"])
    func dateArithmetic(_ iso: String) throws {
        let d = try #require(LocalDate(iso: iso))
        #expect(LocalDate(daysSinceEpoch: d.daysSinceEpoch) == d)
        #expect(d.description == iso)
    }

    @Test("impossible dates are rejected", arguments: ["2023-02-29", "2024-13-01", "24-01-01", "2024-1-1", ""])
    func badDates(_ iso: String) { #expect(LocalDate(iso: iso) == nil) }

    @Test("2026-11-26 is a Thursday")
    func weekday() { #expect(LocalDate(year: 2026, month: 11, day: 26).isoWeekday == 4) }

    @Test("pipes are parsed from texts")
    func pipes() {
        let (t, problems) = TextTemplate.parse("Hány éve lakik a(z) {district} városrészben? {{x}} {elec_bill:code}")
        #expect(problems.isEmpty)
        #expect(t.pipedVariables == ["district", "elec_bill"])
        #expect(t.render { n, raw in raw ? "<\(n)>" : "[\(n)]" } == "Hány éve lakik a(z) [district] városrészben? {x} <elec_bill>")
        #expect(!TextTemplate.parse("broken {pipe").problems.isEmpty)
    }

    @Test("addresses print and parse", arguments: ["hh_size", "m_age[2]", "x[1,3]"])
    func addresses(_ text: String) throws {
        #expect(try #require(Address(parsing: text)).description == text)
    }
}

@Test("a training mark encodes as its documented JSON form")
func trainingMarkJSONForm() throws {
    let text = String(decoding: try JSONEncoder().encode(InterviewEventKind.trainingMarked(true)), as: UTF8.self)
    #expect(text == #"{"trainingMarked":{"value":true}}"#)
    let decoded = try JSONDecoder().decode(InterviewEventKind.self, from: Data(#"{"trainingMarked":{"value":false}}"#.utf8))
    #expect(decoded == .trainingMarked(false))
}

@Test("a whole event with provenance round-trips")
func wholeEventRoundTrip() throws {
    let event = InterviewEvent(
        device: "laptop-07", sequence: 1234, interview: "3f2b", timestamp: 1_764_000_000_000,
        interviewer: "Kovács Anna", kind: .answered(Address("life_sat"), .special(.dontKnow)))
    let data = try JSONEncoder().encode(event)
    #expect(try JSONDecoder().decode(InterviewEvent.self, from: data) == event)
}
