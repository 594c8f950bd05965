import Fieldwork
import Foundation
import SurveyModel
import SurveyStore
import SurveySync
import SurveyTestSupport
import Testing

/// `BundleMerger` decodes a small bundle before its write transaction and streams a large one
/// into it (``BundleMerger/decodedFirstBytes``): both ways must merge, refuse and skip exactly
/// alike, so the same files through each give the same outcomes and the same dataset.
@Suite struct MergePathTests {
    /// Good bundles, one overlapping another (duplicates skipped), one with an answer the
    /// questionnaire forbids in the middle of its events, one whose fifth event line is not
    /// JSON (a streamed merge has inserted four events when it finds it), and a copy of a
    /// merged one.
    static func files(in bench: SyncBench) throws -> [String] {
        func write(_ data: Data, _ name: String) throws -> String {
            try data.write(to: URL(fileURLWithPath: bench.path(name)))
            return bench.path(name)
        }
        let first = BundleForge.events(device: "lap-x", interviews: 3, firstSequence: 1)
        var forbidden = BundleForge.events(device: "lap-x", interviews: 3, firstSequence: 19, seed: 1)
        forbidden[9].kind = .answered(Address("age"), .value(.integer(500)))
        let overlapping = first.suffix(6) + BundleForge.events(device: "lap-x", interviews: 2, firstSequence: 19, seed: 2)
        return [
            try write(BundleForge.bundle(device: "lap-x", events: first), "1-first.terepbundle"),
            try write(BundleForge.bundle(device: "lap-x", events: forbidden), "2-forbidden.terepbundle"),
            try write(BundleForge.bundle(device: "lap-x", events: Array(overlapping)), "3-overlapping.terepbundle"),
            try write(
                BundleForge.bundle(
                    device: "lap-x", events: BundleForge.events(device: "lap-x", firstSequence: 31, seed: 3),
                    editPayload: breakingFifthEvent), "4-broken.terepbundle"),
            try write(BundleForge.bundle(device: "lap-x", events: first), "5-again.terepbundle"),
        ]
    }

    /// The payload text with its fifth event line (the first `rating` answer) no longer JSON.
    static func breakingFifthEvent(_ payload: String) -> String {
        guard let events = payload.range(of: "\nevents ") else { return payload }
        let lines = payload[events.upperBound...].replacingOccurrences(of: "\"rating\"", with: "\"rating")
        return payload[..<events.upperBound] + lines
    }

    /// Merges the files into a new central dataset with the given in-memory limit, one by one
    /// or (`grouped`) prepared one by one and written in one group: the outcomes, every
    /// interview with its events as the dataset holds them, and the receipt log's counts.
    static func merged(decodedFirstBytes: Int, grouped: Bool = false) throws -> Merged {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-x", key: BundleForge.signingKey.publicKey, note: nil)
        var merger = try bench.merger()
        merger.decodedFirstBytes = decodedFirstBytes
        let files = try files(in: bench)
        var written: [MergeOutcome]
        if grouped {
            var done: [Int: MergeOutcome] = [:]
            var ready: [(index: Int, bundle: PreparedBundle)] = []
            for (index, file) in files.enumerated() {
                switch merger.prepare(uploadFile: file, bodySHA256: "-", name: file, sentBy: "lap-x") {
                case .finished(let outcome, _): done[index] = outcome
                case .ready(let prepared): ready.append((index, prepared))
                }
            }
            // Decoded first, the broken payload is refused before the write; the forbidden
            // answer (and, streamed, the broken payload) only inside it.
            #expect(done.keys.sorted() == (decodedFirstBytes > 0 ? [3] : []))
            for (entry, outcome) in zip(ready, merger.write(ready.map(\.bundle))) { done[entry.index] = outcome }
            written = files.indices.compactMap { done[$0] }
        } else {
            written = merger.merge(files).bundles
        }
        let outcomes = written.map { outcome in
            var outcome = outcome
            outcome.file = URL(fileURLWithPath: outcome.file).lastPathComponent
            outcome.reason = outcome.reason?.replacingOccurrences(of: bench.folder.path, with: "…")
            return outcome
        }
        let central = try CentralStore.open(path: bench.central, readOnly: true)
        let interviews = try central.interviews(status: nil).sorted { $0.id < $1.id }
        let status = try central.status()
        return Merged(
            outcomes: outcomes, interviews: interviews, events: try interviews.map { try central.events(interview: $0.id) },
            accepted: status.bundlesAccepted, rejected: status.bundlesRejected)
    }

    struct Merged {
        var outcomes: [MergeOutcome]
        var interviews: [CentralInterview]
        var events: [[InterviewEvent]]
        var accepted: Int
        var rejected: Int
    }

    @Test("a bundle decoded before its transaction and one streamed into it merge, refuse and skip alike")
    func bothPathsAgree() throws {
        let decoded = try Self.merged(decodedFirstBytes: 4 << 20)
        let streamed = try Self.merged(decodedFirstBytes: 0)
        #expect(decoded.outcomes.map(\.status) == [.merged, .rejected, .merged, .rejected, .alreadyMerged])
        #expect(decoded.outcomes[1].reason?.contains("event lap-x#28 does not fit its questionnaire") == true, "\(decoded.outcomes)")
        #expect(decoded.outcomes[2].newEvents == 12 && decoded.outcomes[2].duplicateEvents == 6)
        #expect(decoded.outcomes[3].reason?.contains("malformed event line 5") == true, "\(decoded.outcomes)")
        #expect(decoded.outcomes == streamed.outcomes)
        #expect(decoded.interviews.count == 5)
        #expect(decoded.interviews == streamed.interviews)
        #expect(decoded.events == streamed.events)
    }

    @Test(
        "a group written in one transaction: its bad bundles are refused with their reasons and logged, the others merge as one by one",
        arguments: [4 << 20, 0])
    func groupCommit(decodedFirstBytes: Int) throws {
        let alone = try Self.merged(decodedFirstBytes: decodedFirstBytes)
        let group = try Self.merged(decodedFirstBytes: decodedFirstBytes, grouped: true)
        #expect(group.outcomes.map(\.status) == [.merged, .rejected, .merged, .rejected, .alreadyMerged])
        #expect(group.outcomes[1].reason?.contains("event lap-x#28 does not fit its questionnaire") == true, "\(group.outcomes)")
        #expect(group.outcomes[3].reason?.contains("malformed event line 5") == true, "\(group.outcomes)")
        #expect(group.outcomes == alone.outcomes)
        #expect(group.interviews == alone.interviews && group.events == alone.events)
        #expect(group.interviews.count == 5 && group.events.joined().count == 30)
        #expect(group.accepted == 2 && group.rejected == 2)
        #expect(alone.accepted == 2 && alone.rejected == 2)
    }
}
