import Foundation
import PostgresNIO
import SurveyModel
import SurveyStore
import SurveyStorePostgres

/// Merge throughput into the PostgreSQL central dataset (`PostgresCentralStore.apply`) beside
/// a raw batched insert of the same rows into a bare `event` table of the same database, in
/// the same run: the raw insert is pre-encoded, 1,000 rows per `INSERT … SELECT FROM unnest(…)`
/// statement (the statement the merge itself uses), one transaction per bundle, with no
/// checks, derived rows or ranges. Needs a server: `TEREP_TEST_POSTGRES_URL` (from
/// `scripts/pg-test-cluster.sh start`).
enum PostgresMergeBenchmark {
    static let devices = 2
    static let bundlesPerDevice = 10

    static func run() throws {
        guard let base = ProcessInfo.processInfo.environment["TEREP_TEST_POSTGRES_URL"], !base.isEmpty else {
            throw StoreError.invalid("merge-postgres needs a PostgreSQL server: eval \"$(scripts/pg-test-cluster.sh start)\"")
        }
        let tag = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let separator = base.contains("?") ? "&" : "?"
        let survey = StoreBenchmark.survey()
        let definitions = [try DefinitionFile(survey)]
        let bundles = MergeBenchmark.makeBundles(definition: survey.hash, devices: devices, bundlesPerDevice: bundlesPerDevice)
        let total = bundles.reduce(0) { $0 + $1.events.count }

        let central = try PostgresCentralStore.initialize(url: base + separator + "schema=bench_\(tag)")
        for d in 0..<devices { try central.registerDevice(DeviceID("dev-\(d)"), publicKey: Data([UInt8(d + 1)]), method: .explicit) }
        let raw = try PostgresSession.connect(try PostgresLocation(url: base + separator + "schema=bench_raw_\(tag)"))
        _ = try raw.transaction { link in
            try link.execute("CREATE SCHEMA bench_raw_\(unescaped: String(tag))")
            try link.execute(
                """
                CREATE TABLE event (device_id TEXT COLLATE "C" NOT NULL, sequence BIGINT NOT NULL, interview_id TEXT NOT NULL,
                    timestamp BIGINT NOT NULL, interviewer TEXT NOT NULL, kind TEXT NOT NULL, payload_json TEXT NOT NULL,
                    PRIMARY KEY (device_id, sequence))
                """)
        }
        let encoded = try bundles.map { bundle in try bundle.events.map { try EventJSON.encode($0.kind) } }

        var mergeSeconds = 0.0, rawSeconds = 0.0, newEvents = 0
        for (i, bundle) in bundles.enumerated() {
            let t0 = DispatchTime.now().uptimeNanoseconds
            newEvents += try central.apply(events: bundle.events, definitions: definitions, bundle: bundle.receipt).newEvents
            mergeSeconds += MergeBenchmark.seconds(since: t0)
            let t1 = DispatchTime.now().uptimeNanoseconds
            try rawInsert(raw, bundle.events, payloads: encoded[i])
            rawSeconds += MergeBenchmark.seconds(since: t1)
        }
        let t2 = DispatchTime.now().uptimeNanoseconds
        var skipped = 0
        for bundle in bundles where try central.apply(events: bundle.events, definitions: definitions, bundle: bundle.receipt).alreadyMerged
        {
            skipped += 1
        }
        let remergeSeconds = MergeBenchmark.seconds(since: t2)
        _ = try raw.transaction { link in try link.execute("DROP SCHEMA bench_raw_\(unescaped: String(tag)) CASCADE") }

        print("merge into PostgreSQL of \(bundles.count) bundles, \(total) events (\(newEvents) new), \(central.location):")
        print(
            "  PostgresCentralStore.apply  \(MergeBenchmark.rate(total, mergeSeconds)) events/s (\(MergeBenchmark.fmt(mergeSeconds)) s, "
                + "includes JSON encoding, checks, derived interviews, ranges)")
        print(
            "  raw batched INSERT (unnest) \(MergeBenchmark.rate(total, rawSeconds)) rows/s (\(MergeBenchmark.fmt(rawSeconds)) s, "
                + "pre-encoded rows, 1,000 per statement, one transaction per bundle)")
        print("  merge / raw                 \(String(format: "%.0f", 100 * rawSeconds / mergeSeconds)) %  (target ≥ 50 %)")
        print("  re-merge of the same bundles: \(MergeBenchmark.fmt(remergeSeconds)) s, \(skipped) skipped as already merged")
        print("  (schema bench_\(tag) is left in the database; the test cluster is thrown away with scripts/pg-test-cluster.sh stop)")
    }

    private static func rawInsert(_ session: PostgresSession, _ events: [InterviewEvent], payloads: [String]) throws {
        _ = try session.transaction { link in
            for start in stride(from: 0, to: events.count, by: 1000) {
                let slice = events[start..<min(events.count, start + 1000)]
                let device = slice.first?.device.rawValue ?? ""
                try link.execute(
                    """
                    INSERT INTO event (device_id, sequence, interview_id, timestamp, interviewer, kind, payload_json)
                    SELECT \(device), * FROM unnest(\(slice.map(\.sequence))::bigint[], \(slice.map(\.interview.rawValue))::text[],
                        \(slice.map(\.timestamp))::bigint[], \(slice.map(\.interviewer))::text[],
                        \(slice.map { EventCoding.name(of: $0.kind) })::text[], \(Array(payloads[start..<(start + slice.count)]))::text[])
                    """)
            }
        }
    }
}
