import Fieldwork
import Foundation
import PostgresNIO
import SurveyModel
import SurveyStore
import SurveyStorePostgres

/// `terep sample import` into a PostgreSQL central dataset (issue 12 on PostgreSQL) beside a
/// raw insert of the same rows into a bare `sample_case` table (same columns and key) of the
/// same database, in the same run: the parsed rows, values already encoded, in one
/// `INSERT … SELECT FROM unnest(…)` in one transaction, with no log entry, comparison or lock.
/// Three figures: the raw insert, the store's `importSample` of the parsed cases (encoding,
/// the survey's rows read `FOR UPDATE`, the log entry, the insert), and the whole command's
/// work (read the CSV, check every row against the questionnaire, import). Then the same file
/// again: every case unchanged. Needs a server: `TEREP_TEST_POSTGRES_URL`
/// (`scripts/pg-test-cluster.sh start`); `TEREP_BENCH_SAMPLE_CASES` sets the count (100,000).
enum PostgresSampleBenchmark {
    static func run() throws {
        guard let base = ProcessInfo.processInfo.environment["TEREP_TEST_POSTGRES_URL"], !base.isEmpty else {
            throw StoreError.invalid("sample-import-postgres needs a PostgreSQL server: eval \"$(scripts/pg-test-cluster.sh start)\"")
        }
        let count = Int(ProcessInfo.processInfo.environment["TEREP_BENCH_SAMPLE_CASES"] ?? "") ?? 100_000
        let tag = String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))
        let url = { (schema: String) in base + (base.contains("?") ? "&" : "?") + "schema=\(schema)_\(tag)" }
        let dir = try CasesBenchmark.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let compiled = try CasesBenchmark.wellbeing()
        let csv = dir.appendingPathComponent("sample.csv").path
        try CasesBenchmark.sampleCSV(count).write(toFile: csv, atomically: true, encoding: .utf8)
        let sample = SampleFile(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: csv))), file: csv, definition: compiled.definition)
        guard sample.problems.isEmpty, sample.cases.count == count else { throw StoreError.invalid("bad bench sample") }
        let inputs = sample.cases.map { SampleCaseInput(id: $0.id, values: $0.values, address: $0.address, note: $0.note) }
        let encoded = try inputs.map { try EventCoding.encode($0.values) }

        let raw = try PostgresSession.connect(try PostgresLocation(url: url("bench_rawsample")))
        let rawSeconds = try CasesBenchmark.time { try rawInsert(raw, schema: "bench_rawsample_\(tag)", inputs, encoded) }
        let store = try PostgresCentralStore.initialize(url: url("bench_sample"))
        try SampleImport.publish(compiled, central: store, actor: "bench", at: 1_000)
        let storeSeconds = try CasesBenchmark.time {
            let result = try store.importSample(survey: compiled.definition.id, cases: inputs, file: csv, actor: "bench", at: 2_000)
            guard result.added == count else { throw StoreError.invalid("the store added \(result.added)") }
        }
        let command = try PostgresCentralStore.initialize(url: url("bench_samplerun"))
        try SampleImport.publish(compiled, central: command, actor: "bench", at: 1_000)
        var reports: [SampleImportReport] = []
        let commandSeconds = try CasesBenchmark.time {
            reports.append(try SampleImport.run(file: csv, survey: compiled.definition.id, central: command, actor: "bench", at: 2_000))
        }
        let againSeconds = try CasesBenchmark.time {
            reports.append(try SampleImport.run(file: csv, survey: compiled.definition.id, central: command, actor: "bench", at: 3_000))
        }
        guard reports.map(\.result.added) == [count, 0], reports[1].result.unchanged == count else {
            throw StoreError.invalid("sample import: \(reports.map(\.result))")
        }
        print("sample import of \(count) well-being cases into PostgreSQL (\(store.location)):")
        let line = { (what: String, seconds: Double) in
            "  \(what)\(MergeBenchmark.fmt(seconds)) s = \(MergeBenchmark.rate(count, seconds)) rows/s"
        }
        print(line("baseline: raw INSERT … unnest of the parsed rows  ", rawSeconds))
        print(
            line("PostgresCentralStore.importSample (parsed cases) ", storeSeconds)
                + ": \(String(format: "%.0f", rawSeconds / storeSeconds * 100)) % of the raw insert")
        print(
            line("terep sample import (read, check, import)        ", commandSeconds)
                + ": \(String(format: "%.0f", rawSeconds / commandSeconds * 100)) % of the raw insert (goal ≥ 50 %)")
        print(line("the same file again (every case unchanged)       ", againSeconds))
        _ = try raw.transaction { link in try link.execute("DROP SCHEMA bench_rawsample_\(unescaped: tag) CASCADE") }
        print("  (schemas bench_sample_\(tag) and bench_samplerun_\(tag) stay; scripts/pg-test-cluster.sh stop removes the cluster)")
    }

    /// The same rows into a bare table of the same shape: one statement, one transaction.
    private static func rawInsert(_ session: PostgresSession, schema: String, _ cases: [SampleCaseInput], _ encoded: [String]) throws {
        _ = try session.transaction { link in
            try link.execute("CREATE SCHEMA \(unescaped: schema)")
            try link.execute(
                """
                CREATE TABLE sample_case (survey_id TEXT COLLATE "C" NOT NULL, case_id TEXT COLLATE "C" NOT NULL,
                    preload_json TEXT NOT NULL, address TEXT, note TEXT, device_id TEXT COLLATE "C", assigned_sequence BIGINT,
                    withdrawn BOOLEAN NOT NULL DEFAULT false, withdrawn_sequence BIGINT, added_sequence BIGINT NOT NULL,
                    updated_sequence BIGINT NOT NULL, PRIMARY KEY (survey_id, case_id))
                """)
            try link.execute(
                """
                INSERT INTO sample_case (survey_id, case_id, preload_json, address, note, added_sequence, updated_sequence)
                SELECT 'wellbeing', c, v, nullif(a, ''), nullif(n, ''), 1, 1
                FROM unnest(\(cases.map(\.id.rawValue))::text[], \(encoded)::text[], \(cases.map { $0.address ?? "" })::text[],
                    \(cases.map { $0.note ?? "" })::text[]) AS t(c, v, a, n)
                """)
        }
    }
}
