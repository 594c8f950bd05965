import Foundation
import GRDB
import SurveyModel
import Testing

@testable import SurveyStore

@Suite("Device database file") struct DeviceFileTests {
    @Test("the file uses WAL, synchronous=FULL and foreign keys")
    func pragmas() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        _ = try makeStore(.onDisk, in: folder)
        let store = try DeviceStore.open(path: folder.path("device.sqlite"))
        let (journal, synchronous, foreignKeys) = try store.queue.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        #expect(foreignKeys == 1)
    }

    @Test("the database and its WAL files are private to their owner")
    func permissions() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(.onDisk, in: folder)
        _ = try startInterview(store)
        for suffix in ["", "-wal", "-shm"] {
            let path = folder.path("device.sqlite") + suffix
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path)")
        }
    }

    @Test("everything survives closing and reopening")
    func reopen() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        var id: InterviewID
        do {
            let store = try makeStore(.onDisk, in: folder)
            id = try startInterview(store).id
            _ = try store.append(.answered(Address("m_age", rows: [2]), .special(.refused)), interview: id, timestamp: 9)
        }
        let store = try DeviceStore.open(path: folder.path("device.sqlite"))
        #expect(store.deviceID == "laptop-07" && store.interviewer == "Kiss Anna")
        #expect(try store.events(interview: id).last?.kind == .answered(Address("m_age", rows: [2]), .special(.refused)))
        #expect(try store.append(.reopened(), interview: id, timestamp: 10).sequence == 3)
    }

    @Test("a second initialisation is refused")
    func alreadyInitialised() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        _ = try makeStore(.onDisk, in: folder)
        let path = folder.path("device.sqlite")
        #expect(throws: StoreError.alreadyInitialized(path: path)) {
            try DeviceStore.initialize(path: path, deviceID: "other", interviewer: "Y")
        }
        #expect(try DeviceStore.open(path: path).deviceID == "laptop-07")
    }

    @Test("opening a missing, foreign or newer file fails clearly")
    func wrongFiles() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        #expect(throws: StoreError.notFound(path: folder.path("none.sqlite"))) {
            try DeviceStore.open(path: folder.path("none.sqlite"))
        }
        let text = folder.path("notes.txt")
        try Data(String(repeating: "not a database ", count: 100).utf8).write(to: URL(fileURLWithPath: text))
        #expect { try DeviceStore.open(path: text) } throws: { error in
            guard case .notATerepDatabase = error as? StoreError else { return false }
            return true
        }
        let other = folder.path("other.sqlite")
        try DatabaseQueue(path: other).write { db in try db.execute(sql: "CREATE TABLE t (x)") }
        #expect(throws: StoreError.notATerepDatabase(path: other, detail: "it is some other SQLite database")) {
            try DeviceStore.open(path: other)
        }
        _ = try makeStore(.onDisk, in: folder)
        let path = folder.path("device.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        #expect(throws: StoreError.schemaTooNew(path: path, unknownMigrations: ["v9-from-the-future"])) {
            try DeviceStore.open(path: path)
        }
    }

    @Test("a read-only database gives a clear error and keeps its events")
    func readOnly() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let id = try startInterview(try makeStore(.onDisk, in: folder)).id
        let store = try DeviceStore.open(path: folder.path("device.sqlite"), readOnly: true)
        #expect { try store.append(.reopened(), interview: id, timestamp: 5) } throws: { error in
            guard case .readOnly = error as? StoreError else { return false }
            return "\(error)".contains("read-only")
        }
        #expect(try store.events(interview: id).count == 1)
    }

    @Test("a file without write permission is reported as read-only", .enabled(if: getuid() != 0, "root ignores permissions"))
    func permissionDenied() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let path = folder.path("device.sqlite")
        let id = try startInterview(try makeStore(.onDisk, in: folder)).id
        chmod(path, 0o400)
        defer { chmod(path, 0o600) }
        #expect { try DeviceStore.open(path: path).append(.reopened(), interview: id, timestamp: 5) } throws: { error in
            guard case .readOnly = error as? StoreError else { return false }
            return true
        }
    }

    @Test("a full disk fails the write cleanly and corrupts nothing")
    func diskFull() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(.onDisk, in: folder)
        let id = try startInterview(store).id
        let pages = try store.queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        try store.queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = \(pages + 2)") }
        var saved: [InterviewEvent] = []
        var failure: StoreError?
        let long = String(repeating: "hosszú megjegyzés ", count: 200)
        for i in 0..<200 {
            do {
                saved.append(try store.append(.note(nil, "\(i) \(long)"), interview: id, timestamp: Int64(i)))
            } catch {
                failure = error
                break
            }
        }
        #expect(failure == .diskFull(path: folder.path("device.sqlite")))
        #expect(failure.map { "\($0)" }?.contains("disk is full") == true)
        #expect(!saved.isEmpty)
        let reopened = try DeviceStore.open(path: folder.path("device.sqlite"))
        #expect(try reopened.integrityCheck().isEmpty)
        #expect(try reopened.events(interview: id).dropFirst().map(\.sequence) == saved.map(\.sequence))
        #expect(try reopened.info().nextSequence == (saved.last?.sequence ?? 0) + 1)
    }

    @Test("the default path follows TEREP_DEVICE_DB, then XDG_DATA_HOME, then HOME")
    func defaultPath() {
        #expect(DeviceStore.defaultPath(environment: ["TEREP_DEVICE_DB": "/x/d.sqlite", "HOME": "/h"]) == "/x/d.sqlite")
        #expect(DeviceStore.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/h"]) == "/data/terep/device.sqlite")
        #expect(DeviceStore.defaultPath(environment: ["XDG_DATA_HOME": "relative", "HOME": "/h"]) == "/h/.local/share/terep/device.sqlite")
        #expect(DeviceStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/share/terep/device.sqlite")
    }

    @Test("initialisation creates missing folders and validates the device id")
    func initialisation() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let path = folder.path("a/b/device.sqlite")
        let store = try DeviceStore.initialize(path: path, deviceID: "tablet_3.hu", interviewer: "Nagy Béla", createdAt: 77)
        #expect(try store.info() == DeviceInfo(deviceID: "tablet_3.hu", interviewer: "Nagy Béla", createdAt: 77, nextSequence: 1))
        #expect(throws: StoreError.self) { try DeviceStore.initialize(path: folder.path("x.sqlite"), deviceID: "bad id", interviewer: "Y") }
        #expect(throws: StoreError.self) { try DeviceStore.initialize(path: folder.path("y.sqlite"), deviceID: "ok", interviewer: " ") }
    }
}
