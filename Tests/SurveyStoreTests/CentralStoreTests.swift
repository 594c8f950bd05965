import CentralTestSupport
import Foundation
import GRDB
import GRDBSQLite
import SurveyModel
import Testing

@testable import SurveyStore

@Suite("Central dataset") struct CentralStoreTests {
    let definitions = [try! DefinitionFile(sampleSurvey())]

    @Test(
        "merging the same bundles in any order, with duplicates, gives an identical dataset", arguments: CentralImplementation.all,
        [1, 2, 3, 4, 5] as [UInt64])
    func orderIndependence(implementation: CentralImplementation, seed: UInt64) throws {
        let devices: [DeviceID] = ["laptop-1", "laptop-2", "laptop-3"]
        let shared = InterviewID("laptop-1-0")
        var all: [(DeviceID, [InterviewEvent])] = []
        for (i, device) in devices.enumerated() {
            let log = simulatedLog(
                device: device, interviews: 6, seed: seed * 10 + UInt64(i), sharedInterview: i == 0 ? nil : shared,
                trainingMarks: true)
            all += bundles(of: log, seed: seed + UInt64(i)).map { (device, $0) }
        }
        let uniqueEvents = Set(all.flatMap { $0.1.map { "\($0.device)#\($0.sequence)" } }).count

        var dumps: Set<String> = []
        var rng = SplitMix(state: seed)
        for round in 0..<4 {
            let central = try makeCentral(implementation, devices: devices)
            var order = all.shuffled(using: &rng)
            if round > 0 { order += order.prefix(5) }  // duplicates, merged again later
            for (device, events) in order {
                let mapping = Dictionary(events.map { ($0.interview, sampleSurvey().hash) }, uniquingKeysWith: { a, _ in a })
                _ = try central.apply(
                    events: events, definitions: definitions, bundle: receipt(for: events, device: device),
                    interviewDefinitions: mapping)
            }
            #expect(try central.eventCount() == uniqueEvents)
            #expect(try central.integrityCheck().isEmpty)
            #expect(try central.interviews().filter(\.isTraining).map(\.id) == Self.latestTrainingMarks(all.flatMap(\.1)))
            #expect(try central.status().trainingInterviews == Self.latestTrainingMarks(all.flatMap(\.1)).count)
            dumps.insert(try central.canonicalDump())
        }
        #expect(dumps.count == 1)
        #expect(dumps.first?.isEmpty == false)
    }

    /// The interviews whose latest `trainingMarked` event (timestamp, device, sequence) is true, by id.
    static func latestTrainingMarks(_ events: [InterviewEvent]) -> [InterviewID] {
        var latest: [InterviewID: (key: MergeKey, value: Bool)] = [:]
        for event in events {
            guard case .trainingMarked(let value) = event.kind else { continue }
            let key = event.mergeKey
            if latest[event.interview].map({ $0.key < key }) ?? true { latest[event.interview] = (key, value) }
        }
        return latest.filter(\.value.value).keys.sorted()
    }

    @Test(
        "the training flag is derived from the latest mark, whichever device sent it and in any merge order",
        arguments: CentralImplementation.all)
    func trainingFlag(implementation: CentralImplementation) throws {
        let id = InterviewID("case-t")
        let started = InterviewEventKind.started(definition: sampleSurvey().hash, seed: 1, language: "hu", preload: [:])
        let fromA = [
            InterviewEvent(device: "a", sequence: 1, interview: id, timestamp: 100, interviewer: "A", kind: started),
            InterviewEvent(device: "a", sequence: 2, interview: id, timestamp: 100, interviewer: "A", kind: .trainingMarked(true)),
            InterviewEvent(device: "a", sequence: 3, interview: id, timestamp: 300, interviewer: "A", kind: .trainingMarked(false)),
        ]
        let fromB = [
            InterviewEvent(device: "b", sequence: 1, interview: id, timestamp: 200, interviewer: "B", kind: .trainingMarked(true)),
            InterviewEvent(device: "b", sequence: 2, interview: id, timestamp: 300, interviewer: "B", kind: .trainingMarked(true)),
        ]
        var flags: [Bool] = []
        for order in [[fromA, fromB], [fromB, fromA]] {
            let central = try makeCentral(implementation, devices: ["a", "b"])
            var seen: [Bool] = []
            for events in order {
                _ = try central.apply(
                    events: events, definitions: definitions, bundle: receipt(for: events, device: events[0].device),
                    interviewDefinitions: [id: sampleSurvey().hash])
                seen.append(try #require(try central.interviews().first).isTraining)
            }
            flags.append(seen[1])
            #expect(seen[0] == (order[0][0].device == "b"))  // A alone ends unmarked; B alone ends marked
        }
        // Both marks at 300: device "b" sorts after "a", so its `true` wins.
        #expect(flags == [true, true])
    }

    @Test("counts report new, duplicate and already merged events", arguments: CentralImplementation.all)
    func counts(implementation: CentralImplementation) throws {
        let central = try makeCentral(implementation, devices: ["d1"])
        let log = simulatedLog(device: "d1", interviews: 3, seed: 9)
        let first = Array(log.prefix(10)), second = Array(log[5...])
        let a = try central.apply(events: first, definitions: definitions, bundle: receipt(for: first, device: "d1"))
        #expect(a.newEvents == 10 && a.duplicateEvents == 0 && a.newDefinitions == 1 && !a.alreadyMerged)
        let b = try central.apply(events: second, definitions: definitions, bundle: receipt(for: second, device: "d1"))
        #expect(b.newEvents == log.count - 10 && b.duplicateEvents == 5 && b.newDefinitions == 0)
        #expect(b.updatedInterviews >= 1)
        #expect(a.newInterviews + b.newInterviews == 3)
        let before = try central.canonicalDump()
        let again = try central.apply(events: second, definitions: definitions, bundle: receipt(for: second, device: "d1"))
        #expect(again.alreadyMerged && again.newEvents == 0)
        #expect(try central.canonicalDump() == before)
        #expect(try central.events(device: "d1") == log)
    }

    @Test("events from two devices on one interview are kept and listed as a conflict", arguments: CentralImplementation.all)
    func conflicts(implementation: CentralImplementation) throws {
        let central = try makeCentral(implementation, devices: ["a", "b"])
        let id = InterviewID("case-1")
        let started = InterviewEventKind.started(definition: sampleSurvey().hash, seed: 1, language: "hu", preload: [:])
        let fromA = [
            InterviewEvent(device: "a", sequence: 1, interview: id, timestamp: 100, interviewer: "A", kind: started),
            InterviewEvent(device: "a", sequence: 2, interview: id, timestamp: 200, interviewer: "A", kind: .ended(outcome: 21)),
        ]
        let fromB = [
            InterviewEvent(device: "b", sequence: 1, interview: id, timestamp: 300, interviewer: "B", kind: .reopened()),
            InterviewEvent(device: "b", sequence: 2, interview: id, timestamp: 400, interviewer: "B", kind: .ended(outcome: 11)),
        ]
        let r1 = try central.apply(
            events: fromB, definitions: definitions, bundle: receipt(for: fromB, device: "b"),
            interviewDefinitions: [id: sampleSurvey().hash])
        #expect(r1.newInterviews == 1 && r1.newConflicts == 0)
        let revisitOnly = try #require(try central.interviews().first)
        #expect(revisitOnly.definition == sampleSurvey().hash && revisitOnly.status == .completed && revisitOnly.startedAt == nil)
        let r2 = try central.apply(events: fromA, definitions: definitions, bundle: receipt(for: fromA, device: "a"))
        #expect(r2.newConflicts == 1 && r2.updatedInterviews == 1)
        let interview = try #require(try central.interviews().first)
        #expect(interview.devices == ["a", "b"] && interview.eventCount == 4)
        #expect(interview.status == .completed && interview.outcome == 11 && interview.endedAt == 400)
        #expect(interview.interviewer == "A" && interview.startedAt == 100 && interview.survey == "wellbeing")
        #expect(try central.conflicts().map(\.id) == [id])
        #expect(try central.events(interview: id).map(\.timestamp) == [100, 200, 300, 400])
        #expect(interview.startDevice == "a")
        var visited: [(InterviewID, Int)] = []
        try central.forEachInterview { interview, events in visited.append((interview.id, events.count)) }
        #expect(visited.map(\.0) == [id] && visited.map(\.1) == [4])
    }

    @Test("received ranges are merged and gaps are listed", arguments: CentralImplementation.all)
    func gaps(implementation: CentralImplementation) throws {
        let central = try makeCentral(implementation, devices: ["d1"])
        let log = simulatedLog(device: "d1", interviews: 4, seed: 3)
        try #require(log.count >= 30)
        for slice in [log[0..<10], log[20..<25], log[27..<30]] {
            let events = Array(slice)
            _ = try central.apply(events: events, definitions: definitions, bundle: receipt(for: events, device: "d1"))
        }
        var summary = try #require(try central.status().devices.first)
        #expect(summary.received == [1...10, 21...25, 28...30])
        #expect(summary.missing == [11...20, 26...27])
        let middle = Array(log[9..<27])
        _ = try central.apply(events: middle, definitions: definitions, bundle: receipt(for: middle, device: "d1"))
        summary = try #require(try central.status().devices.first)
        #expect(summary.received == [1...30] && summary.missing.isEmpty && summary.eventCount == 30)
    }

    @Test(
        "bundles from unknown or revoked devices, with changed events or unknown definitions, merge nothing",
        arguments: CentralImplementation.all)
    func refusals(implementation: CentralImplementation) throws {
        let central = try makeCentral(implementation, devices: ["d1"])
        let log = simulatedLog(device: "d1", interviews: 2, seed: 4)
        let other = simulatedLog(device: "stranger", interviews: 1, seed: 4)
        #expect(throws: StoreError.deviceNotRegistered("stranger")) {
            try central.apply(events: other, definitions: definitions, bundle: receipt(for: other, device: "stranger"))
        }
        #expect(throws: StoreError.unknownDefinition(sampleSurvey().hash)) {
            try central.apply(events: log, definitions: [], bundle: receipt(for: log, device: "d1"))
        }
        _ = try central.apply(
            events: Array(log.prefix(3)), definitions: definitions, bundle: receipt(for: Array(log.prefix(3)), device: "d1"))
        let before = try central.canonicalDump()
        var tampered = log
        tampered[1].kind = .note(nil, "changed")
        #expect(throws: StoreError.eventMismatch(device: "d1", sequence: 2)) {
            try central.apply(events: tampered, definitions: definitions, bundle: receipt(for: tampered, device: "d1", name: "t"))
        }
        try central.revokeDevice("d1")
        #expect(throws: StoreError.deviceRevoked("d1")) {
            try central.apply(events: log, definitions: definitions, bundle: receipt(for: log, device: "d1", name: "late"))
        }
        // Only the device's row changed (revoked), in every store's dump format.
        let merged = { (dump: String) in dump.split(separator: "\n").filter { !$0.hasPrefix("device ") } }
        #expect(merged(try central.canonicalDump()) == merged(before))
        #expect(try central.device("d1")?.status == .revoked && central.device("d1")?.revokedAt != nil)
        try central.recordRejected(hash: "h", fileName: "x.terepbundle", device: "d1", reason: "device revoked")
        #expect(try central.bundle(hash: "h")?.accepted == false)
        #expect(try central.status().bundlesRejected == 1)
    }

    @Test("a device is registered once per key and its registration is kept", arguments: CentralImplementation.all)
    func registration(implementation: CentralImplementation) throws {
        let central = try implementation.make()
        let key = Data([1, 2, 3])
        let device = try central.registerDevice("d1", publicKey: key, method: .trustOnFirstUse, note: "first bundle x", at: 7)
        #expect(device.method == .trustOnFirstUse && device.status == .active && device.registeredAt == 7)
        #expect(try central.registerDevice("d1", publicKey: key, method: .explicit) == device)
        #expect(throws: StoreError.self) { try central.registerDevice("d1", publicKey: Data([9]), method: .explicit) }
        #expect(throws: StoreError.deviceNotRegistered("nope")) { try central.revokeDevice("nope") }
    }

    @Test("a central dataset file is private, WAL, synchronous=FULL, and not a device database")
    func file() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let path = folder.path("central.sqlite")
        let pair = SigningKeyPair(privateKey: Data([5]), publicKey: Data([6]))
        _ = try CentralStore.initialize(path: path, encryptionKey: pair)
        let central = try CentralStore.open(path: path)
        #expect(try central.encryptionKey() == pair)
        let synchronous = try central.queue.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 2)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(throws: StoreError.notATerepDatabase(path: path, detail: "it is a central dataset, not a device database")) {
            try DeviceStore.open(path: path)
        }
        #expect(throws: StoreError.alreadyInitialized(path: path)) { try CentralStore.initialize(path: path) }
    }

    @Test("a merge that hits a full disk changes nothing and the dataset stays sound")
    func diskFull() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let path = folder.path("central.sqlite")
        let central = try CentralStore.initialize(path: path)
        try central.registerDevice("d1", publicKey: Data([1]), method: .explicit)
        let log = simulatedLog(device: "d1", interviews: 40, seed: 11)
        let first = Array(log.prefix(20))
        _ = try central.apply(events: first, definitions: definitions, bundle: receipt(for: first, device: "d1"))
        let before = try central.canonicalDump()
        let pages = try central.queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        try central.queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = \(pages + 1)") }
        let rest = Array(log.dropFirst(20))
        #expect(throws: StoreError.diskFull(path: path)) {
            try central.apply(events: rest, definitions: definitions, bundle: receipt(for: rest, device: "d1"))
        }
        let reopened = try CentralStore.open(path: path)
        #expect(try reopened.canonicalDump() == before)
        #expect(try reopened.integrityCheck().isEmpty)
        #expect(try reopened.bundle(hash: receipt(for: rest, device: "d1").hash) == nil)
        let again = try reopened.apply(events: rest, definitions: definitions, bundle: receipt(for: rest, device: "d1"))
        #expect(again.newEvents == rest.count)
    }

    @Test(
        "events that do not fit their questionnaire are refused with the reason",
        arguments: [
            (
                InterviewEventKind.answered(Address("nope"), .value(.integer(1))),
                "names 'nope', which is not a question of wellbeing 2026.1"
            ),
            (.answered(Address("q1"), .value(.text("x"))), "answers q1 with a text value, but it takes integer in wellbeing 2026.1"),
            (.answered(Address("m_age"), .value(.integer(40))), "gives 0 row numbers for m_age but it is in 1 rosters in wellbeing 2026.1"),
            (.cleared(Address("q2", rows: [1])), "gives 1 row numbers for q2[1] but it is in 0 rosters in wellbeing 2026.1"),
            (.rowAdded("q3", parentRows: []), "names roster 'q3', which is not a roster of wellbeing 2026.1"),
        ])
    func eventValidation(kind: InterviewEventKind, reason: String) throws {
        for implementation in CentralImplementation.all {
            let central = try makeCentral(implementation, devices: ["d1"])
            let id = InterviewID("case-9")
            let events = [
                InterviewEvent(
                    device: "d1", sequence: 1, interview: id, timestamp: 1, interviewer: "A",
                    kind: .started(definition: sampleSurvey().hash, seed: 1, language: "hu", preload: [:])),
                InterviewEvent(
                    device: "d1", sequence: 2, interview: id, timestamp: 2, interviewer: "A",
                    kind: .answered(Address("m_age", rows: [2]), .value(.integer(40)))),
                InterviewEvent(device: "d1", sequence: 3, interview: id, timestamp: 3, interviewer: "A", kind: kind),
            ]
            #expect(throws: StoreError.invalidEvent(device: "d1", sequence: 3, reason: reason)) {
                try central.apply(events: events, definitions: definitions, bundle: receipt(for: events, device: "d1"))
            }
            #expect(try central.eventCount() == 0)
            let fine = Array(events.prefix(2))
            #expect(try central.apply(events: fine, definitions: definitions, bundle: receipt(for: fine, device: "d1")).newEvents == 2)
        }
    }

    @Test("a request nonce is recorded once until it expires; expired ones are forgotten", arguments: CentralImplementation.all)
    func requestNonces(implementation: CentralImplementation) throws {
        let central = try implementation.make()
        #expect(try central.recordRequestNonce("lap-1\nabc", at: 1_000, expiresAt: 2_000))
        #expect(try !central.recordRequestNonce("lap-1\nabc", at: 1_500, expiresAt: 2_500))
        #expect(try central.recordRequestNonce("lap-2\nabc", at: 1_500, expiresAt: 2_500))
        #expect(try central.recordRequestNonce("lap-1\nabc", at: 2_000, expiresAt: 3_000))
        #expect(try !central.recordRequestNonce("lap-2\nabc", at: 2_499, expiresAt: 3_000))
        let before = try central.canonicalDump()
        _ = try central.recordRequestNonce("lap-3\nxyz", at: 2_600, expiresAt: 9_000)
        #expect(try central.canonicalDump() == before, "nonces are not merged data")
    }

    @Test("a read of the SQLite dataset that writes is refused and rolled back; reads keep the statements prepared")
    func readsDoNotWrite() throws {
        let central = try CentralStore.inMemory()
        try central.recordRejected(hash: "h", fileName: "f", device: nil, reason: "r")
        #expect(throws: StoreError.self) {
            try central.read { db in try db.execute(sql: "DELETE FROM bundle") }
        }
        #expect(try central.bundles().count == 1)
        // A read no longer sets PRAGMA query_only (which expired every prepared statement).
        let statement = try central.read { db in try db.cachedStatement(sql: "SELECT count(*) FROM bundle") }
        _ = try central.bundle(hash: "h")
        #expect(try central.read { _ in try Int.fetchOne(statement) } == 1)
        #expect(sqlite3_stmt_status(statement.sqliteStatement, SQLITE_STMTSTATUS_REPREPARE, 0) == 0)
    }
}
