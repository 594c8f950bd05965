import CentralTestSupport
import Foundation
import GRDB
import SurveyModel
import SurveyStorePostgres
import Testing

@testable import SurveyStore

/// What only the PostgreSQL store has (a URL, a server, a second process), and the check that
/// both stores hold the same dataset after the same merges. The shared rules themselves are
/// checked against both stores by every suite that takes a ``CentralImplementation``.
@Suite("PostgreSQL central dataset", .enabled(if: !PostgresTestCluster.isOff, "TEREP_TEST_POSTGRES=off"))
struct PostgresStoreTests {
    let definitions = [try! DefinitionFile(sampleSurvey())]

    @Test("the PostgreSQL migrations are the SQLite migrations, by name and order")
    func migrationsMirrorSQLite() {
        #expect(PostgresSchema.migrations.map(\.name) == CentralSchema.migrator.migrations)
    }

    @Test(
        "the same bundles merged into SQLite and PostgreSQL give the same interviews, events, ranges, bundles and status",
        arguments: [1, 2, 3] as [UInt64])
    func bothStoresAgree(seed: UInt64) throws {
        let devices: [DeviceID] = ["laptop-1", "laptop-2", "L3-é"]
        var bundlesByDevice: [(DeviceID, [InterviewEvent])] = []
        for (i, device) in devices.enumerated() {
            let log = simulatedLog(
                device: device, interviews: 5, seed: seed * 7 + UInt64(i), sharedInterview: i == 0 ? nil : "laptop-1-0",
                trainingMarks: true)
            bundlesByDevice += bundles(of: log, seed: seed + UInt64(i)).map { (device, $0) }
        }
        var rng = SplitMix(state: seed)
        let order = bundlesByDevice.shuffled(using: &rng).enumerated().filter { $0.offset % 5 != 3 }.map(\.element)
        let stores: [any CentralDataset] = [
            try makeCentral(.sqlite, devices: devices), try makeCentral(.postgres, devices: devices),
        ]
        var results: [[MergeResult]] = [[], []]
        for (n, store) in stores.enumerated() {
            for (device, events) in order + order.prefix(3) {
                let mapping = Dictionary(events.map { ($0.interview, sampleSurvey().hash) }, uniquingKeysWith: { a, _ in a })
                results[n].append(
                    try store.apply(
                        events: events, definitions: definitions, bundle: receipt(for: events, device: device),
                        interviewDefinitions: mapping))
            }
        }
        #expect(results[0] == results[1], "merge results")
        let (sqlite, postgres) = (stores[0], stores[1])
        #expect(try sqlite.interviews() == postgres.interviews())
        for interview in try sqlite.interviews() {
            #expect(try sqlite.events(interview: interview.id) == postgres.events(interview: interview.id))
        }
        for device in devices { #expect(try sqlite.events(device: device) == postgres.events(device: device)) }
        #expect(try sqlite.status() == postgres.status())
        #expect(try sqlite.bundles() == postgres.bundles())
        #expect(try sqlite.conflictIDs(survey: sampleSurvey().definition.id) == postgres.conflictIDs(survey: sampleSurvey().definition.id))
        #expect(try sqlite.definitionHashes() == postgres.definitionHashes())
        #expect(try postgres.integrityCheck().isEmpty)
    }

    /// Two coordinators' processes over one database: each change to the fieldwork log waits
    /// for the other's transaction, so a check sees what the other wrote, and a package read
    /// at log entry N holds every entry up to N.
    @Test("two connections writing fieldwork at once: one of two first assignments wins; packages hold the log up to their point")
    func concurrentFieldworkWrites() throws {
        let url = try PostgresTestCluster.newSchemaURL()
        let setup = try PostgresCentralStore.initialize(url: url, createdAt: 0)
        try setup.publish(try DefinitionFile(sampleSurvey()), actor: "Kata", at: 1_000)
        for device in ["lap-1", "lap-2"] {
            try setup.registerDevice(DeviceID(device), publicKey: Data(device.utf8), method: .explicit, at: 1)
        }
        let ids = (1...120).map { CaseID("W-\($0)") }
        let stores = try (0..<3).map { _ in try PostgresCentralStore.open(url: url) }
        // Overlapping imports of the same new cases: both succeed, each case is added once.
        let imports = Outcomes<SampleImportResult>()
        DispatchQueue.concurrentPerform(iterations: 2) { n in
            let part = ids[(n * 40)..<(n * 40 + 80)].map { SampleCaseInput(id: $0, values: ["cluster_id": .text("B12")]) }
            imports.add(
                Result { () throws(StoreError) in
                    try stores[n].importSample(survey: "wellbeing", cases: part, file: "m\(n).csv", actor: "Kata", at: 2_000)
                })
        }
        let imported = try imports.values.map { try $0.get() }
        #expect(imported.map(\.added).reduce(0, +) == 120 && imported.map(\.unchanged).sorted() == [0, 40])
        // The same cases given to two devices at once, each as a first assignment: one wins whole.
        let firsts = Outcomes<[CaseID]>()
        DispatchQueue.concurrentPerform(iterations: 2) { n in
            let changes = ids[0..<60].map { AssignmentChange(caseID: $0, device: n == 0 ? "lap-1" : "lap-2", previous: nil) }
            firsts.add(Result { () throws(StoreError) in try stores[n].assign(survey: "wellbeing", changes, actor: "Kata", at: 3_000) })
        }
        #expect(firsts.values.filter { (try? $0.get())?.count == 60 }.count == 1)
        #expect(firsts.values.filter { if case .failure(.refused(let why)) = $0 { why.count == 60 } else { false } }.count == 1)
        let held = { () throws(StoreError) in
            Dictionary(uniqueKeysWithValues: try setup.sampleCases(survey: "wellbeing").map { ($0.id, $0.device) })
        }
        let winner = try #require(try held()["W-1"] ?? nil)
        #expect(try ids[0..<60].allSatisfy { try held()[$0] == winner })
        // Two writers assign the other cases one by one while a third connection reads packages.
        let snapshots = Outcomes<PackageSnapshot>()
        DispatchQueue.concurrentPerform(iterations: 3) { n in
            guard n < 2 else {
                for _ in 0..<40 { snapshots.add(Result { () throws(StoreError) in try stores[2].packageSnapshot(device: "lap-1") }) }
                return
            }
            for id in ids[(60 + n * 30)..<(90 + n * 30)] {
                _ = try? stores[n].assign(
                    survey: "wellbeing", [AssignmentChange(caseID: id, device: "lap-1", previous: nil)], actor: "Kata", at: 4_000)
            }
        }
        for result in snapshots.values {
            let snapshot = try result.get()
            let logged = try setup.fieldworkLog(survey: nil, interview: nil, device: "lap-1", through: snapshot.through).filter {
                $0.action == .assigned
            }
            #expect(snapshot.cases.count == logged.count, "package through \(snapshot.through)")
        }
        let now = try held()
        #expect(ids[60...].allSatisfy { now[$0] == "lap-1" })
        let log = try setup.fieldworkLog()
        #expect(log.map(\.sequence) == log.map(\.sequence).sorted() && log.filter { $0.action == .assigned }.count == 120)
    }

    @Test("the sample and the review entries copied from SQLite read back alike; a decision recorded after the copy follows them")
    func reviewsAndSampleRead() throws {
        let sqlite = try CentralStore.inMemory()
        try sqlite.publish(try DefinitionFile(sampleSurvey()), actor: "Kata", at: 1_000)
        try sqlite.registerDevice("lap-1", publicKey: Data("lap-1".utf8), method: .explicit, at: 1_000)
        let cases = ["W-1", "W-2"].map { SampleCaseInput(id: CaseID($0), values: ["cluster_id": .text("B12")], address: "Fő u. 1.") }
        _ = try sqlite.importSample(survey: "wellbeing", cases: cases, file: "minta.csv", actor: "Kata", at: 2_000)
        try sqlite.assign(survey: "wellbeing", [AssignmentChange(caseID: "W-1", device: "lap-1", previous: nil)], actor: "Kata", at: 3_000)
        let events = [
            InterviewEvent(
                device: "lap-1", sequence: 1, interview: "iv-1", timestamp: 4_000, interviewer: "anna",
                kind: .started(definition: sampleSurvey().hash, seed: 1, language: "hu", preload: [:])),
            InterviewEvent(
                device: "lap-1", sequence: 2, interview: "iv-1", timestamp: 5_000, interviewer: "anna", kind: .ended(outcome: 11)),
        ]
        _ = try sqlite.apply(events: events, definitions: definitions, bundle: receipt(for: events, device: "lap-1"))
        try sqlite.review(.comment(Address("q1"), "12 éves?"), interview: "iv-1", actor: "Kata", at: 6_000)
        try sqlite.review(.reject(comment: "Ellenőrizze."), interview: "iv-1", actor: "Kata", at: 6_100)
        let url = try PostgresTestCluster.newSchemaURL()
        _ = try PostgresCentralStore.copy(from: sqlite, to: url)
        let postgres = try PostgresCentralStore.open(url: url)
        let reviews = try sqlite.reviewsByInterview(survey: "wellbeing")
        #expect(reviews["iv-1"]?.map(\.action) == [.commented, .rejected])
        #expect(try postgres.reviewsByInterview(survey: "wellbeing") == reviews)
        #expect(try postgres.reviewsByInterview(survey: nil) == reviews)
        #expect(try postgres.reviewsByInterview(survey: "energy").isEmpty)
        let sample = try sqlite.sampleCases(survey: "wellbeing")
        #expect(sample.map(\.device) == ["lap-1", nil] && sample[0].assignedAt == 3_000)
        #expect(try postgres.sampleCases(survey: "wellbeing") == sample)
        #expect(try postgres.sampleCases(survey: "energy").isEmpty)
        // The copy's log goes on where SQLite's stopped, and both record the same entry.
        let approved = try sqlite.review(.approve(comment: nil), interview: "iv-1", actor: "Kata", at: 7_000)
        #expect(try postgres.review(.approve(comment: nil), interview: "iv-1", actor: "Kata", at: 7_000) == approved)
        #expect(try postgres.reviewsByInterview(survey: nil) == sqlite.reviewsByInterview(survey: nil))
        #expect(try postgres.fieldworkLog() == sqlite.fieldworkLog())
        #expect(try postgres.packageSnapshot(device: "lap-1").reviews == sqlite.packageSnapshot(device: "lap-1").reviews)
    }

    @Test("a URL's password never shows in the dataset's location, and a bad URL says what is wrong")
    func locations() throws {
        let place = try PostgresLocation(url: "postgres://ana:s3cret@db.example:6543/fieldwork?schema=miskolc&sslmode=require")
        #expect(place.description == "postgres://ana@db.example:6543/fieldwork?schema=miskolc")
        #expect(
            (place.host, place.port, place.user, place.password, place.database, place.tls) == (
                "db.example", 6543, "ana", "s3cret", "fieldwork", .require
            ))
        #expect((place.applicationName, place.connectTimeout) == ("terep", 10))
        let socket = try PostgresLocation(
            url: "postgresql://ana@/fieldwork?host=/run/postgresql&application_name=terep-server-2&connect_timeout=3", environment: [:])
        #expect(socket.host == nil && socket.socketFolder == "/run/postgresql")
        #expect((socket.applicationName, socket.connectTimeout) == ("terep-server-2", 3))
        #expect(PostgresLocation.isURL("postgres://x") && !PostgresLocation.isURL("central.sqlite"))
        for bad in [
            "postgres://a@h:99999/d", "postgres://a@h/d?schema=Bad-Name", "postgres://a@h/d?sslmode=maybe", "postgres://a:pw@h/d?x=1",
            "postgres://a@h/d?connect_timeout=0", "postgres://a@h/d?connect_timeout=soon", "postgres://a@h/d?application_name=%1B%5B2J",
        ] {
            #expect {
                try PostgresLocation(url: bad)
            } throws: { error in
                "\(error)".contains("postgres://") && !"\(error)".contains(":pw@")
            }
        }
    }

    @Test("opening a schema with no dataset says so; initialising one twice is refused")
    func openAndInitialise() throws {
        let url = try PostgresTestCluster.newSchemaURL()
        #expect(throws: StoreError.notFound(path: try PostgresLocation(url: url).description)) { try PostgresCentralStore.open(url: url) }
        let store = try PostgresCentralStore.initialize(url: url)
        #expect(throws: StoreError.alreadyInitialized(path: store.location)) { try PostgresCentralStore.initialize(url: url) }
        let again = try PostgresCentralStore.open(url: url)
        #expect(try again.eventCount() == 0)
        let readOnly = try PostgresCentralStore.open(url: url, readOnly: true)
        #expect(readOnly.isReadOnly)
        #expect(throws: StoreError.self) { try readOnly.checkWritable() }
        try again.checkWritable()
    }

    @Test("an unreachable server is a clear error naming the database, without the password")
    func unreachable() throws {
        #expect {
            try PostgresCentralStore.open(url: "postgres://terep:hidden@127.0.0.1:1/nothing")
        } throws: { error in
            guard case StoreError.unreachable(let location, _) = error else { return false }
            return location == "postgres://terep@127.0.0.1:1/nothing" && !"\(error)".contains("hidden")
        }
    }
}

/// The results of work done on several threads at once, in the order they arrived.
private final class Outcomes<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Result<Value, StoreError>] = []

    func add(_ result: Result<Value, StoreError>) { lock.withLock { list.append(result) } }

    var values: [Result<Value, StoreError>] { lock.withLock { list } }
}
