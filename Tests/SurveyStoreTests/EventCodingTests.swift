import Foundation
import SurveyModel
import Testing

@testable import SurveyStore

@Suite("Stored event JSON") struct EventCodingTests {
    static let kinds: [InterviewEventKind] = [
        .answered(Address("age"), .value(.integer(-34))),
        .answered(Address("m_age", rows: [2, 11]), .special(.dontKnow)),
        .answered(Address("name"), .value(.text("Kovács \"Öcsi\" \\ a/b — 🙂 e\u{301}"))),
        .answered(Address("ok"), .value(.boolean(false))),
        .answered(Address("d"), .value(.date(LocalDate(year: 2026, month: 2, day: 9)))),
        .answered(Address("t"), .value(.time(TimeOfDay(hour: 7, minute: 5)))),
        .answered(Address("c"), .value(.choice(3))),
        .answered(Address("cs"), .value(.choices([1, 4, 77]))),
        .answered(Address("cs"), .value(.choices([]))),
        .cleared(Address("x", rows: [1])),
        .shown(Address("y")),
        .rowAdded("members", parentRows: []),
        .rowRemoved("members", parentRows: [3]),
        .warningConfirmed("chk_age", rows: [1, 2], reason: "checked with respondent"),
        .warningConfirmed("chk_age", rows: [], reason: nil),
        .note(nil, "general note"),
        .note(Address("q1"), "note on q1"),
        .languageChanged("en"),
        .ended(outcome: 11),
        .reopened(),
        .trainingMarked(true),
        .trainingMarked(false),
    ]

    @Test("every stored kind decodes back to itself, through the store's coding", arguments: kinds)
    func roundTrip(kind: InterviewEventKind) throws {
        let json = try EventCoding.encode(kind)
        #expect(json == String(decoding: try SurveyDefinition.canonicalEncoder().encode(kind), as: UTF8.self))
        #expect(try EventCoding.decodeKind(json) == kind)
    }

    @Test("a stored kind that cannot be read is an undecodable-event error")
    func undecodable() {
        #expect(throws: StoreError.self) { try EventCoding.decodeKind(#"{"answered":{"at":"q1"}}"#) }
    }
}
