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
        .reopened,
        .trainingMarked(true),
        .trainingMarked(false),
    ]

    @Test("the fast writer gives exactly JSONEncoder's sorted-key bytes", arguments: kinds)
    func matchesJSONEncoder(kind: InterviewEventKind) throws {
        let fast = try #require(FastEventEncoding.encode(kind))
        let reference = String(decoding: try EventCoding.encoder().encode(kind), as: UTF8.self)
        #expect(fast == reference)
        #expect(try JSONDecoder().decode(InterviewEventKind.self, from: Data(fast.utf8)) == kind)
    }

    @Test("kinds the fast writer declines still encode and round-trip")
    func fallbacks() throws {
        let kinds: [InterviewEventKind] = [
            .answered(Address("w"), .value(.decimal(72.5))),
            .note(nil, "line one\nline two"),
            .started(definition: "abc", seed: 7, language: "hu", preload: ["cluster_id": .integer(4)]),
        ]
        for kind in kinds {
            #expect(FastEventEncoding.encode(kind) == nil)
            let json = try EventCoding.encode(kind, with: EventCoding.encoder())
            #expect(try EventCoding.decodeKind(json, with: JSONDecoder()) == kind)
        }
    }
}
