import Fieldwork
import Foundation
import SurveyModel
import SurveyStore
import SurveySync
import SurveyTestSupport
import Testing

/// `BundleMerger` with hostile files among good ones: every good bundle merges, every bad one
/// is refused with one escaped line, and nothing a refused file says stays behind.
@Suite struct HostileBundleMergeTests {
    let bench: SyncBench

    init() throws { bench = try SyncBench() }

    func write(_ data: Data, _ name: String) throws -> String {
        let path = bench.path(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("an extreme sequence number is refused like any bad bundle, and the bundles after it merge")
    func extremeSequenceDoesNotBlockTheInbox() throws {
        defer { bench.cleanUp() }
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-x", key: BundleForge.signingKey.publicKey, note: nil)
        var hostile = BundleForge.events(device: "lap-x", firstSequence: 1)
        hostile[hostile.count - 1].sequence = Int64.max
        let files = [
            try write(BundleForge.bundle(device: "lap-x", events: hostile), "a-max.terepbundle"),
            try write(
                BundleForge.bundle(device: "lap-x", events: hostile) { $0.sequenceRange = .init(first: 1, last: 12) }, "b-lying.terepbundle"
            ),
            try write(
                BundleForge.bundle(device: "lap-x", events: BundleForge.events(device: "lap-x", firstSequence: 1)), "c-good.terepbundle"),
        ]
        var merger = try bench.merger()
        let summary = merger.merge(files)
        #expect(summary.bundles.map(\.status) == [.rejected, .rejected, .merged])
        #expect(summary.bundles[0].reason?.contains("sequence range 1-9223372036854775807 is out of range") == true)
        #expect(summary.bundles[1].reason?.contains("sequence number 9223372036854775807 is out of range") == true)
        #expect(summary.newEvents == 12)
        let status = try CentralAdmin.status(path: bench.central)
        #expect(status.bundlesRejected == 2 && status.bundlesAccepted == 1)
    }

    @Test("--trust-new-devices registers a device only with a bundle that merges")
    func trustOnlyOnAcceptance() throws {
        defer { bench.cleanUp() }
        var bad = BundleForge.events(device: "lap-new")
        bad[3].kind = .answered(Address("nonexistent"), .value(.integer(1)))
        let refused = try write(BundleForge.bundle(device: "lap-new", events: bad), "bad.terepbundle")
        var notes: [String] = []
        var merger = try bench.merger(trustNewDevices: true) { notes.append($0) }
        #expect(merger.merge([refused]).rejected == 1)
        #expect(try CentralStore.open(path: bench.central, readOnly: true).device("lap-new") == nil)
        #expect(notes.isEmpty)
        let good = try write(BundleForge.bundle(device: "lap-new", events: BundleForge.events(device: "lap-new")), "good.terepbundle")
        #expect(merger.merge([good]).merged == 1)
        #expect(try CentralStore.open(path: bench.central, readOnly: true).device("lap-new")?.method == .trustOnFirstUse)
        #expect(notes.count == 1 && notes[0].hasPrefix("note: registered new device lap-new"))
    }

    @Test("file names and device ids with newlines and escape codes print as one escaped line each")
    func outputInjection() throws {
        defer { bench.cleanUp() }
        let evil = DeviceID("lap\n\u{1B}[32mmerged ok")
        let injected = try write(
            BundleForge.bundle(device: evil, events: BundleForge.events(device: evil)),
            "x\nmerged fake.terepbundle: 999 new events\u{1B}[31m.terepbundle")
        var notes: [String] = []
        var merger = try bench.merger(trustNewDevices: false) { notes.append($0) }
        let summary = merger.merge([injected])
        let outcome = try #require(summary.bundles.first)
        #expect(outcome.line.split(separator: "\n").count == 1)
        #expect(
            outcome.line == "REJECTED \(bench.path("x\\nmerged fake.terepbundle: 999 new events\\u{1B}[31m.terepbundle")): "
                + "device 'lap\\n\\u{1B}[32mmerged ok' is not registered (its key \(BundleForge.signingKey.publicKey.fingerprint)); "
                + "register it with 'terep central add-device'")
        for text in [summary.text(), summary.json(), try CentralAdmin.status(path: bench.central).text()] {
            #expect(!text.unicodeScalars.contains { DisplayText.needsEscape($0) && $0 != "\n" }, "\(text)")
            #expect(!text.contains("\nmerged fake"))
        }
        let decoded = try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [String: Any]
        #expect((decoded?["bundles"] as? [[String: Any]])?.first?["file"] as? String == injected)
    }

    @Test("what is not a readable bundle file is refused with what it is, and logged without reading it")
    func oddFiles() throws {
        defer { bench.cleanUp() }
        try FileManager.default.createDirectory(atPath: bench.path("dir"), withIntermediateDirectories: false)
        #expect(mkfifo(bench.path("fifo"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: bench.path("dangling"), withDestinationPath: bench.path("nowhere"))
        let big = bench.path("big.terepbundle")
        #expect(FileManager.default.createFile(atPath: big, contents: nil) && truncate(big, 3 << 30) == 0)
        var merger = try bench.merger()
        let summary = merger.merge([bench.path("dir"), bench.path("fifo"), bench.path("dangling"), big])
        let reasons = summary.bundles.map { $0.reason ?? "" }
        #expect(reasons[0].hasPrefix("a directory"))
        #expect(reasons[1].hasPrefix("a named pipe (FIFO)"))
        #expect(reasons[2].hasPrefix("a symbolic link to"))
        #expect(reasons[3] == "rejected as a decompression bomb: file is \(3 << 30) bytes, above the 512 MiB cap")
        let logged = try CentralStore.open(path: bench.central, readOnly: true).bundle(hash: "unread:\(big)")
        #expect(logged?.accepted == false)
    }
}

/// One answer the questionnaire forbids, and the start of the reason the merge gives.
struct ForbiddenAnswer: Sendable, CustomTestStringConvertible {
    let name: String
    let kind: InterviewEventKind
    let reason: String
    var testDescription: String { name }

    /// `count` digits that do not compress like a bomb (a linear congruential sequence).
    static func digits(_ count: Int) -> String {
        var state: UInt64 = 1
        return String(
            decoding: (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(ascii: "0") + UInt8(truncatingIfNeeded: state >> 33) % 10
            }, as: UTF8.self)
    }

    /// 2 MiB of digits: within the 4 MiB a bundle line may have, so the questionnaire decides.
    static let bigText = digits(2 << 20)

    static func answer(_ variable: VariableName, rows: [Int] = [], _ value: Value) -> InterviewEventKind {
        .answered(Address(variable, rows: rows), .value(value))
    }

    static let all: [ForbiddenAnswer] = [
        .init(
            name: "2 MiB phone number", kind: answer("phone", .text(bigText)),
            reason: "answers phone with a text of 2097152 characters, longer than its maxlength 12 in probe 2026.1"),
        .init(
            name: "district code 999", kind: answer("district", .choice(999)),
            reason: "answers district with code 999, not in its answer set DIST in probe 2026.1"),
        .init(name: "age above the range", kind: answer("age", .integer(121)), reason: "answers age with 121, outside 0..120"),
        .init(name: "age below the range", kind: answer("age", .integer(-1)), reason: "answers age with -1, outside 0..120"),
        .init(name: "rating off the scale", kind: answer("rating", .integer(9)), reason: "answers rating with 9, outside the scale 1..5"),
        .init(
            name: "unknown heating code", kind: answer("heat", .choices([1, 4])),
            reason: "answers heat with code 4, not in its answer set HEAT"),
        .init(name: "three heating codes", kind: answer("heat", .choices([1, 2, 3])), reason: "answers heat with 3 codes, more than 2"),
        .init(name: "no heating code", kind: answer("heat", .choices([])), reason: "answers heat with 0 codes, fewer than 1"),
        .init(
            name: "'none' with a heating code", kind: answer("heat", .choices([1, 97])),
            reason: "answers heat with code 97, which excludes every other, together with others"),
        .init(name: "floor area out of range", kind: answer("area", .decimal(9.5)), reason: "answers area with 9.5, outside 10..500"),
        .init(
            name: "floor area with too many places", kind: answer("area", .decimal(42.25)),
            reason: "answers area with 42.25, more than 1 decimal places"),
        .init(
            name: "visit after the period", kind: answer("visit", .date(LocalDate(year: 2027, month: 1, day: 1))),
            reason: "answers visit with 2027-01-01, after 2026-12-31"),
        .init(
            name: "a row beyond the roster", kind: answer("m_age", rows: [5], .integer(30)),
            reason: "names m_age[5] at row 5, outside roster 'mem' (1 to 4)"),
        .init(
            name: "an answer to a calculation", kind: answer("older", .boolean(true)),
            reason: "answers older, a calculation, which takes no answer"),
        .init(
            name: "a special answer not offered", kind: .answered(Address("age"), .special(.notApplicable)),
            reason: "answers age with the special answer 'na', which it does not offer"),
        .init(
            name: "a text where a number belongs", kind: answer("age", .text("forty")),
            reason: "answers age with a text value, but it takes integer"),
        .init(
            name: "a row of a roster outside any roster", kind: .rowAdded("mem", parentRows: [1]),
            reason: "gives 1 parent rows for roster 'mem' but it is in 0 rosters"),
    ]
}

extension HostileBundleMergeTests {
    /// The forger's two interviews with event 4 (the first interview's `age`) replaced.
    func bundle(replacingAgeWith kind: InterviewEventKind, _ name: String) throws -> String {
        var events = BundleForge.events(device: "lap-x")
        events[3].kind = kind
        return try write(BundleForge.bundle(device: "lap-x", events: events), name)
    }

    @Test("an answer the questionnaire forbids refuses the bundle, naming the event and why", arguments: ForbiddenAnswer.all)
    func forbiddenAnswer(_ item: ForbiddenAnswer) throws {
        defer { bench.cleanUp() }
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-x", key: BundleForge.signingKey.publicKey, note: nil)
        var merger = try bench.merger()
        let summary = merger.merge([try bundle(replacingAgeWith: item.kind, "forbidden.terepbundle")])
        let reason = try #require(summary.bundles.first?.reason)
        #expect(reason.hasPrefix("event lap-x#4 does not fit its questionnaire: it \(item.reason)"), "\(reason)")
        #expect(reason.hasSuffix("nothing of the bundle was merged."))
        #expect(reason.count < 400)
        #expect(summary.rejected == 1 && summary.newEvents == 0)
        #expect(try CentralStore.open(path: bench.central, readOnly: true).eventCount() == 0)
    }

    @Test("an event line longer than 4 MiB (an 8 MiB answer) is refused before it is parsed")
    func overlongLine() throws {
        defer { bench.cleanUp() }
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-x", key: BundleForge.signingKey.publicKey, note: nil)
        var merger = try bench.merger()
        let file = try bundle(replacingAgeWith: ForbiddenAnswer.answer("phone", .text(ForbiddenAnswer.digits(8 << 20))), "long.terepbundle")
        let summary = merger.merge([file])
        #expect(summary.bundles.first?.reason == "malformed payload: a line is longer than 4 MiB")
        #expect(try CentralStore.open(path: bench.central, readOnly: true).eventCount() == 0)
    }

    @Test("answers at the edges of what the questionnaire allows merge")
    func allowedAnswersAtTheEdges() throws {
        defer { bench.cleanUp() }
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-x", key: BundleForge.signingKey.publicKey, note: nil)
        let edges: [InterviewEventKind] = [
            ForbiddenAnswer.answer("phone", .text("+36461234567")), ForbiddenAnswer.answer("phone", .text("ÁÉÍÓÖŐÚÜŰáéí")),
            ForbiddenAnswer.answer("district", .choice(3)), ForbiddenAnswer.answer("age", .integer(0)),
            ForbiddenAnswer.answer("age", .integer(120)), ForbiddenAnswer.answer("rating", .integer(5)),
            ForbiddenAnswer.answer("heat", .choices([97])), ForbiddenAnswer.answer("heat", .choices([1, 3])),
            ForbiddenAnswer.answer("area", .decimal(500.0)), ForbiddenAnswer.answer("area", .integer(42)),
            ForbiddenAnswer.answer("area", .decimal(12.3)),
            ForbiddenAnswer.answer("visit", .date(LocalDate(year: 2026, month: 12, day: 31))),
            ForbiddenAnswer.answer("m_age", rows: [4], .integer(110)), .answered(Address("age"), .special(.dontKnow)),
            .rowAdded("mem", parentRows: []), .cleared(Address("m_age", rows: [4])),
        ]
        var files: [String] = []
        for (i, kind) in edges.enumerated() {
            var events = BundleForge.events(device: "lap-x", firstSequence: Int64(i * 12 + 1), seed: i)
            events[3].kind = kind
            files.append(try write(BundleForge.bundle(device: "lap-x", events: events), "edge-\(i).terepbundle"))
        }
        var merger = try bench.merger()
        let summary = merger.merge(files)
        #expect(summary.rejected == 0, "\(summary.text())")
        #expect(summary.merged == edges.count)
    }
}
