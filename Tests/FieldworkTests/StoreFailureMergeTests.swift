import CentralTestSupport
import Fieldwork
import Foundation
import GRDB
import SurveyModel
import SurveySync
import Testing

@testable import SurveyStore
@testable import SurveyStorePostgres

/// A failure of the central dataset during a merge (a real SQLITE_FULL from `max_page_count`, a
/// database opened read-only) is not the bundle's fault: the bundle is not stored and not
/// refused, no rejection is logged, nothing of it (or of its group) is merged, and the same
/// bundle merges exactly once when the store can take it again.
@Suite struct StoreFailureMergeTests {
    /// Caps the dataset's size at its current pages plus `extra` on this connection: the next
    /// write that needs a page more fails with SQLITE_FULL, as on a full disk.
    static func limit(_ store: CentralStore, extraPages extra: Int) throws {
        let pages = try store.queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        try store.queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = \(pages + extra)") }
    }

    /// Space freed again.
    static func unlimit(_ store: CentralStore) throws {
        try store.queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
    }

    /// A registered device with `interviews` finished interviews, bundled to `name`.
    static func bundle(_ bench: SyncBench, device: DeviceID, interviews: Int, _ name: String) throws -> String {
        let (store, key) = try bench.device(device)
        for n in 0..<interviews { try bench.interview(on: store, at: 1_000 + Int64(n) * 100) }
        _ = try CentralAdmin.addDevice(path: bench.central, device: device, key: key, note: nil)
        return try bench.bundle(store, name)
    }

    @Test func aFullDiskMidMergeIsNotARefusalAndTheSameFileMergesOnceAfterwards() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let first = try Self.bundle(bench, device: "lap-1", interviews: 30, "a.terepbundle")
        let second = try Self.bundle(bench, device: "lap-2", interviews: 2, "b.terepbundle")
        let store = try CentralStore.open(path: bench.central)
        try Self.limit(store, extraPages: 0)
        var merger = try BundleMerger.open(central: store, trustNewDevices: false)

        let full = merger.merge([first, second])
        #expect(full.bundles.map(\.status) == [.notStored], "the run stops at the store's failure")
        let outcome = try #require(full.bundles.first)
        #expect(outcome.storeFailure == .diskFull(path: bench.central))
        #expect(outcome.line.hasPrefix("NOT STORED \(first): the central dataset could not store it: the disk is full"))
        #expect(outcome.line.contains("it was not refused: merge it again once this is fixed."))
        #expect(full.notTried == [second] && full.notStored == 1 && full.rejected == 0)
        let failure = try #require(full.storeFailure)
        #expect(failure.file == first && failure.cause == .diskFull(path: bench.central) && failure.notTried == 1)
        #expect(failure.description.contains("(and the 1 files after it, not tried)"))
        #expect(try store.bundles().isEmpty, "no rejection is logged for a store failure")
        #expect(try store.eventCount() == 0)
        #expect(try store.integrityCheck().isEmpty)

        try Self.unlimit(store)
        let freed = merger.merge([first, second])
        #expect(freed.bundles.map(\.status) == [.merged, .merged])
        #expect(freed.newEvents == 32 * 5)
        let again = merger.merge([first])
        #expect(again.bundles.map(\.status) == [.alreadyMerged])
        #expect(try store.eventCount() == 32 * 5)
        #expect(try store.bundles().map(\.accepted) == [true, true])
    }

    /// The files prepared for a group write (verified and decoded), each sent by its device.
    static func prepared(_ merger: BundleMerger, _ files: [(file: String, device: DeviceID)]) throws -> [PreparedBundle] {
        try files.map { file, device in
            guard case .ready(let bundle) = merger.prepare(uploadFile: file, bodySHA256: "-", name: file, sentBy: device) else {
                throw NothingWritten()
            }
            return bundle
        }
    }

    /// Group commit: the first bundle fits in the space left, the second does not, and the last
    /// one's device is revoked after it was checked (the write refuses it). The store's failure
    /// fails the group's transaction: nothing is merged (the first's savepoint had succeeded) and
    /// no rejection is logged, not even the revoked device's; with room, the same group merges
    /// whole but for the revoked device's bundle, refused then.
    @Test func aStoreFailureInAGroupFailsTheWholeGroupAndTheGroupMergesLater() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let files: [(file: String, device: DeviceID)] = try [
            (Self.bundle(bench, device: "lap-1", interviews: 1, "a.terepbundle"), "lap-1"),
            (Self.bundle(bench, device: "lap-2", interviews: 40, "b.terepbundle"), "lap-2"),
            (Self.bundle(bench, device: "lap-3", interviews: 1, "c.terepbundle"), "lap-3"),
            (Self.bundle(bench, device: "lap-4", interviews: 1, "d.terepbundle"), "lap-4"),
        ]
        let store = try CentralStore.open(path: bench.central)
        let merger = try BundleMerger.open(central: store, trustNewDevices: false)
        let group = try Self.prepared(merger, files)
        try store.revokeDevice("lap-4")

        // The pages the first bundle takes, measured on a copy: the limit lets it in alone.
        let copy = try store.inMemoryCopy()
        let alone = BundleMerger(central: copy, coordinatorKey: merger.coordinatorKey, trustNewDevices: false)
        #expect(alone.write([group[0]]).map(\.status) == [.merged])
        let pages = try copy.queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        try store.queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = \(pages)") }

        let outcomes = merger.write(group)
        #expect(outcomes.map(\.status) == [.notStored, .notStored, .notStored, .notStored])
        #expect(outcomes.allSatisfy { $0.storeFailure == .diskFull(path: bench.central) })
        #expect(try store.bundles().isEmpty)
        #expect(try store.eventCount() == 0, "nothing of the group is merged, not even the bundle that fitted")
        #expect(try store.integrityCheck().isEmpty)

        try Self.unlimit(store)
        #expect(merger.write(group).map(\.status) == [.merged, .merged, .merged, .rejected])
        #expect(try store.eventCount() == 42 * 5)
        #expect(merger.write(group).map(\.status) == [.alreadyMerged, .alreadyMerged, .alreadyMerged, .rejected])
    }

    @Test func aReadOnlyDatasetStoresNothingAndRefusesNothing() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let file = try Self.bundle(bench, device: "lap-1", interviews: 2, "a.terepbundle")
        var writable = try bench.merger()
        let readOnly = try CentralStore.open(path: bench.central, readOnly: true)
        var merger = BundleMerger(central: readOnly, coordinatorKey: writable.coordinatorKey, trustNewDevices: false)

        let outcome = merger.merge(file)
        #expect(outcome.status == .notStored)
        guard case .readOnly(let path, _) = outcome.storeFailure else {
            Issue.record("expected a read-only failure, got \(String(describing: outcome.storeFailure))")
            return
        }
        #expect(path == bench.central)
        #expect(try readOnly.bundles().isEmpty)

        #expect(writable.merge(file).status == .merged)
        #expect(writable.merge(file).status == .alreadyMerged)
        #expect(try readOnly.eventCount() == 10)
    }

    /// PostgreSQL: the server ends the merger's connection (`pg_terminate_backend`) while its
    /// group's write waits inside its transaction (another connection holds the first device's
    /// row). The write fails as the store's failure — nothing merged, no rejection, the rest of
    /// the group not tried — and the next write, on a new connection, merges the group once; a
    /// connection ended between writes is replaced before the next one.
    @Test func aLostPostgreSQLConnectionStoresNothingAndTheGroupMergesOnANewOne() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let files = try [
            Self.bundle(bench, device: "lap-1", interviews: 3, "a.terepbundle"),
            Self.bundle(bench, device: "lap-2", interviews: 2, "b.terepbundle"),
        ]
        let url = try PostgresTestCluster.newSchemaURL()
        _ = try PostgresCentralStore.copy(from: try CentralStore.open(path: bench.central), to: url)
        let store = try PostgresCentralStore.open(url: url)
        let (holder, watcher) = (try PostgresCentralStore.open(url: url), try PostgresCentralStore.open(url: url))
        let merger = try BundleMerger.open(central: store, trustNewDevices: false)
        let group = try Self.prepared(merger, zip(files, ["lap-1", "lap-2"] as [DeviceID]).map { (file: $0, device: $1) })
        func backend() throws -> Int32 {
            try #require(
                try store.session.withLock { () throws(StoreError) in try store.session.query("SELECT pg_backend_pid()").scalar(Int32.self)
                })
        }
        func waiting(_ pid: Int32) throws -> Bool {
            try watcher.session.withLock { () throws(StoreError) in
                try watcher.session.query("SELECT count(*) = 1 FROM pg_stat_activity WHERE pid = \(pid) AND wait_event_type = 'Lock'")
                    .scalar(Bool.self)
            } == true
        }
        func terminate(_ pid: Int32) throws -> Bool {
            try watcher.session.withLock { () throws(StoreError) in
                try watcher.session.query("SELECT pg_terminate_backend(\(pid))").scalar(Bool.self)
            } == true
        }

        let pid = try backend()
        try holder.session.withLock { () throws(StoreError) in
            try holder.session.execute("BEGIN")
            try holder.session.execute("SELECT 1 FROM device WHERE device_id = 'lap-1' FOR UPDATE")
        }
        let writing = Writing(merger: merger, group: group)
        Thread.detachNewThread { writing.run() }
        let deadline = Date().addingTimeInterval(30)
        while try !waiting(pid), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(try terminate(pid))
        writing.done.wait()
        try holder.session.withLock { () throws(StoreError) in try holder.session.execute("ROLLBACK") }

        #expect(writing.outcomes.map(\.status) == [.notStored, .notStored])
        for outcome in writing.outcomes {
            guard case .unreachable = outcome.storeFailure else {
                Issue.record("expected the lost connection, got \(String(describing: outcome.storeFailure))")
                continue
            }
        }
        #expect(try watcher.bundles().isEmpty, "no rejection is logged")
        #expect(try watcher.eventCount() == 0)

        #expect(merger.write(group).map(\.status) == [.merged, .merged])
        #expect(try backend() != pid, "a new connection")
        // Ended while idle: the next transaction begins on a new connection, whether or not the
        // news of the end has arrived.
        #expect(try terminate(try backend()))
        #expect(merger.write(group).map(\.status) == [.alreadyMerged, .alreadyMerged])
        #expect(try watcher.eventCount() == 5 * 5)
        #expect(try watcher.bundles().map(\.accepted) == [true, true])
    }

    /// A group written on a thread of its own.
    final class Writing: @unchecked Sendable {
        let merger: BundleMerger
        let group: [PreparedBundle]
        var outcomes: [MergeOutcome] = []
        let done = DispatchSemaphore(value: 0)

        init(merger: BundleMerger, group: [PreparedBundle]) {
            self.merger = merger
            self.group = group
        }

        func run() {
            outcomes = merger.write(group)
            done.signal()
        }
    }

    /// Whose fault each failure is: SQLite's and PostgreSQL's codes for a value refused are the
    /// request's; anything else the database reports is the store's.
    @Test func storeFailuresAreTheStoresAndBadValuesTheRequests() {
        let storage: [StoreError] = [
            .diskFull(path: "c"), .readOnly(path: "c", detail: ""), .busy(path: "c"), .corrupt(path: "c", detail: ""),
            .unreachable(location: "pg", detail: ""), .sqlite(path: "c", code: 10, detail: "disk I/O error"),
            .sqlite(path: "c", code: -1, detail: "?"), .database(location: "pg", code: "58030", detail: "io"),
            .database(location: "pg", code: "", detail: "closed"), .database(location: "pg", code: "XX000", detail: ""),
        ]
        let request: [StoreError] = [
            .eventMismatch(device: "d", sequence: 1), .deviceRevoked("d"), .deviceNotRegistered("d"),
            .invalidEvent(device: "d", sequence: 1, reason: "r"), .sqlite(path: "c", code: 19, detail: "constraint"),
            .database(location: "pg", code: "22021", detail: "NUL"), .database(location: "pg", code: "23505", detail: "dup"),
        ]
        #expect(storage.allSatisfy { $0.fault == .storage })
        #expect(request.allSatisfy { $0.fault == .request })
    }
}
