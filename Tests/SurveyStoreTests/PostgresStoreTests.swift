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

    @Test("fieldwork management refuses on PostgreSQL with the reason, and writes nothing")
    func fieldworkManagementRefusesWithTheReason() throws {
        let store = try CentralImplementation.postgres.make()
        let attempts: [() throws -> Void] = [
            { _ = try store.fieldworkThrough() },
            { _ = try store.publish(try DefinitionFile(sampleSurvey()), actor: "Kata", at: 1_000) },
            { _ = try store.packageSnapshot(device: DeviceID("lap-1")) },
        ]
        for attempt in attempts {
            #expect {
                try attempt()
            } throws: { error in
                "\(error)".contains("not available on a PostgreSQL central dataset yet")
            }
        }
        #expect(try store.interviews().isEmpty)
    }

    @Test("the sample and the review entries copied from SQLite read back alike; recording a decision refuses and writes nothing")
    func reviewsAndSampleRead() throws {
        let sqlite = try CentralStore.inMemory()
        try sqlite.publish(try DefinitionFile(sampleSurvey()), actor: "Kata", at: 1_000)
        try sqlite.registerDevice("lap-1", publicKey: Data("lap-1".utf8), method: .explicit, at: 1_000)
        let cases = ["W-1", "W-2"].map { SampleCaseInput(id: CaseID($0), values: ["cluster_id": .text("B12")], address: "Fő u. 1.") }
        try sqlite.importSample(survey: "wellbeing", cases: cases, file: "minta.csv", actor: "Kata", at: 2_000)
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
        #expect {
            try postgres.review(.approve(comment: nil), interview: "iv-1", actor: "Kata", at: 7_000)
        } throws: { error in
            "\(error)".contains("review decisions are not available on a PostgreSQL central dataset yet")
        }
        #expect(try postgres.reviewsByInterview(survey: nil) == reviews)
    }

    @Test("a URL's password never shows in the dataset's location, and a bad URL says what is wrong")
    func locations() throws {
        let place = try PostgresLocation(url: "postgres://ana:s3cret@db.example:6543/fieldwork?schema=miskolc&sslmode=require")
        #expect(place.description == "postgres://ana@db.example:6543/fieldwork?schema=miskolc")
        #expect(
            (place.host, place.port, place.user, place.password, place.database, place.tls) == (
                "db.example", 6543, "ana", "s3cret", "fieldwork", .require
            ))
        let socket = try PostgresLocation(url: "postgresql://ana@/fieldwork?host=/run/postgresql", environment: [:])
        #expect(socket.host == nil && socket.socketFolder == "/run/postgresql")
        #expect(PostgresLocation.isURL("postgres://x") && !PostgresLocation.isURL("central.sqlite"))
        for bad in [
            "postgres://a@h:99999/d", "postgres://a@h/d?schema=Bad-Name", "postgres://a@h/d?sslmode=maybe", "postgres://a:pw@h/d?x=1",
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
