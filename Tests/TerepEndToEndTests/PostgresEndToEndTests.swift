import Foundation
import SurveyTestSupport
import Testing

extension EndToEnd {
    /// The central dataset on PostgreSQL through the real binary, against the test cluster
    /// (`TEREP_TEST_POSTGRES_URL`, from `scripts/pg-test-cluster.sh start`): without it these
    /// tests fail saying how to start one, unless `TEREP_TEST_POSTGRES=off` is set.
    @Suite(.enabled(if: ProcessInfo.processInfo.environment["TEREP_TEST_POSTGRES"] != "off", "TEREP_TEST_POSTGRES=off"))
    struct PostgresEndToEndTests {
        /// A URL naming a new schema of the test database.
        static func newURL() throws -> String {
            let base = ProcessInfo.processInfo.environment["TEREP_TEST_POSTGRES_URL"] ?? ""
            try #require(
                !base.isEmpty,
                """
                no PostgreSQL server for the tests: TEREP_TEST_POSTGRES_URL is not set. Start the private test cluster \
                with `eval "$(scripts/pg-test-cluster.sh start)"`, or set TEREP_TEST_POSTGRES=off to test only SQLite
                """)
            let schema = "e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
        }

        func run(_ arguments: [String], environment: [String: String] = [:]) throws -> TerepProcess.Result {
            try TerepProcess.run(arguments, environment: environment)
        }

        /// A device with simulated interviews; its public key.
        func makeDevice(_ name: String, database: String, survey: String, interviews: Int, seed: Int) throws -> String {
            try TerepProcess.simulatedDevice(
                name, database: database, interviewer: "I-\(name)", survey: survey, interviews: interviews, seed: seed
            ).key
        }

        func simulate(_ database: String, survey: String, interviews: Int, seed: Int) throws {
            try TerepProcess.simulate(database, survey: survey, interviews: interviews, seed: seed)
        }

        func bundle(_ database: String, to path: String) throws -> String { try TerepProcess.bundle(database, to: path) }

        func centralStatus(_ central: String) throws -> [String: Any] {
            let result = try run(["central", "status", "--central", central, "--format", "json"])
            try #require(result.status == 0, "\(result.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }

        @Test("two terep processes merging the same bundle at the same moment merge it once")
        func twoProcessesMergeOnce() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let database = dir.appendingPathComponent("lap.sqlite").path
            let key = try makeDevice("lap-1", database: database, survey: survey, interviews: 5, seed: 1)
            var bundles = [try bundle(database, to: dir.appendingPathComponent("b1.terepbundle").path)]
            for round in 2...4 {
                try simulate(database, survey: survey, interviews: 3, seed: round)
                bundles.append(try bundle(database, to: dir.appendingPathComponent("b\(round).terepbundle").path))
            }
            let central = try Self.newURL()
            let made = try run(["central", "init", "--central", central])
            try #require(made.status == 0, "\(made.stderr)")
            #expect(try run(["central", "add-device", "--central", central, "--device-id", "lap-1", "--key", key]).status == 0)

            for path in bundles {
                let results = Results()
                DispatchQueue.concurrentPerform(iterations: 2) { _ in
                    results.add(Swift.Result { try run(["merge", "--central", central, path]) })
                }
                let outputs = try results.all.map { try $0.get() }
                #expect(outputs.allSatisfy { $0.status == 0 }, "\(outputs.map(\.stderr))")
                let lines = outputs.flatMap { $0.stdout.split(separator: "\n") }
                #expect(lines.filter { $0.hasPrefix("already merged ") }.count == 1, "\(lines)")
                #expect(lines.filter { $0.hasPrefix("merged ") }.count == 1, "\(lines)")
            }
            let status = try centralStatus(central)
            let onDevice = try run(["device", "status", "--device-db", database]).stdout
            let line = try #require(onDevice.split(separator: "\n").first { $0.hasPrefix("Events:") })
            #expect(status["events"] as? Int == Int(line.split(separator: " ").dropFirst().first ?? ""))
            #expect(status["bundlesAccepted"] as? Int == bundles.count, "\(status)")
        }

        @Test("the same bundles merged into SQLite and into PostgreSQL give byte-identical exports and the same report")
        func sameExportsAndReport() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            var keys: [(String, String)] = []
            var bundles: [String] = []
            for n in 1...2 {
                let database = dir.appendingPathComponent("lap-\(n).sqlite").path
                keys.append(("lap-\(n)", try makeDevice("lap-\(n)", database: database, survey: survey, interviews: 8, seed: n * 3)))
                bundles.append(try bundle(database, to: dir.appendingPathComponent("lap-\(n).terepbundle").path))
            }
            let centrals = [dir.appendingPathComponent("central.sqlite").path, try Self.newURL()]
            let piiKey = try TerepProcess.keyFile()  // identifiers get keyed pseudonyms, the same in both exports
            var outputs: [String] = []
            for (n, central) in centrals.enumerated() {
                let made = try run(["central", "init", "--central", central])
                try #require(made.status == 0, "\(made.stderr)")
                for (device, key) in keys {
                    #expect(try run(["central", "add-device", "--central", central, "--device-id", device, "--key", key]).status == 0)
                }
                // Each central has its own coordinator key; the bundles are not encrypted, so both read them.
                // SOURCE_DATE_EPOCH fixes the .sav/.dta creation time, so whole files can be compared.
                let merged = try run(["merge", "--central", central] + bundles)
                try #require(merged.status == 0, "\(merged.stdout) \(merged.stderr)")
                let out = dir.appendingPathComponent("export-\(n)").path
                let exported = try run(
                    [
                        "export", "--central", central, "--survey", "wellbeing", "--status", "all", "--format", "csv,sav,dta", "--pii-key",
                        piiKey,
                        "-o", out,
                    ],
                    environment: ["SOURCE_DATE_EPOCH": "1764547200"])
                try #require(exported.status == 0, "\(exported.stderr)")
                outputs.append(out)
                let report = try run(["report", "--central", central, "--survey", "wellbeing", "--today", "2026-12-01", "--format", "json"])
                try #require(report.status == 0, "\(report.stderr)")
                try Data(report.stdout.utf8).write(to: dir.appendingPathComponent("report-\(n).json"))
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: outputs[0]).filter { !$0.contains("log") }.sorted()
            #expect(
                files.contains { $0.hasSuffix(".sav") } && files.contains { $0.hasSuffix(".dta") }
                    && files.contains { $0.hasSuffix(".csv") })
            #expect(try FileManager.default.contentsOfDirectory(atPath: outputs[1]).filter { !$0.contains("log") }.sorted() == files)
            for file in files {
                let a = try Data(contentsOf: URL(fileURLWithPath: outputs[0]).appendingPathComponent(file))
                let b = try Data(contentsOf: URL(fileURLWithPath: outputs[1]).appendingPathComponent(file))
                #expect(a == b, "\(file) differs")
            }
            let reports = try (0...1).map { try Self.withoutReceiptTimes(dir.appendingPathComponent("report-\($0).json")) }
            #expect(reports[0] == reports[1], "the JSON reports differ")
        }

        /// The report's JSON with the devices' bundle receipt times taken out: each central stamps the
        /// minute it received a bundle, and the two merges above can fall either side of a minute
        /// (seen once: "…:49" against "…:50"). Everything else is a function of the data and `--today`.
        static func withoutReceiptTimes(_ file: URL) throws -> NSDictionary {
            var report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            var sync = try #require(report["sync"] as? [String: Any], "the report has no sync part")
            var devices = try #require(sync["devices"] as? [[String: Any]], "the report has no devices")
            #expect(devices.count == 2)
            for index in devices.indices {
                #expect(devices[index]["lastBundleAt"] is String, "a device's receipt time is missing")
                devices[index]["lastBundleAt"] = nil
            }
            sync["devices"] = devices
            report["sync"] = sync
            return report as NSDictionary
        }

        @Test("central copy moves an SQLite dataset into PostgreSQL, checked, and the copy carries on where the file stopped")
        func copyFromSQLite() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let database = dir.appendingPathComponent("lap.sqlite").path
            let key = try makeDevice("lap-1", database: database, survey: survey, interviews: 6, seed: 9)
            let first = try bundle(database, to: dir.appendingPathComponent("b1.terepbundle").path)
            let file = dir.appendingPathComponent("central.sqlite").path
            #expect(try run(["central", "init", "--central", file]).status == 0)
            #expect(try run(["central", "add-device", "--central", file, "--device-id", "lap-1", "--key", key]).status == 0)
            #expect(try run(["merge", "--central", file, first]).status == 0)

            let url = try Self.newURL()
            let copied = try run(["central", "copy", "--from", file, "--to", url])
            try #require(copied.status == 0, "\(copied.stdout) \(copied.stderr)")
            #expect(copied.stdout.contains("every table's rows and checksum match"))
            #expect(copied.stdout.contains("event ") && copied.stdout.contains("sha256 "))
            var fromFile = try centralStatus(file), fromDatabase = try centralStatus(url)
            #expect(NSDictionary(dictionary: fromFile) == NSDictionary(dictionary: fromDatabase), "\(fromFile) vs \(fromDatabase)")
            let again = try run(["central", "copy", "--from", file, "--to", url])
            #expect(again.status == 1 && again.stderr.contains("already initialised"), "\(again.stderr)")
            // The bundle log and keys came along: the old bundle is already merged, a new one merges.
            #expect(try run(["merge", "--central", url, first]).stdout.split(separator: "\n").contains { $0.hasPrefix("already merged ") })
            try simulate(database, survey: survey, interviews: 2, seed: 10)
            let second = try bundle(database, to: dir.appendingPathComponent("b2.terepbundle").path)
            for central in [file, url] { #expect(try run(["merge", "--central", central, second]).status == 0) }
            (fromFile, fromDatabase) = (try centralStatus(file), try centralStatus(url))
            #expect(NSDictionary(dictionary: fromFile) == NSDictionary(dictionary: fromDatabase))
            let sample = try run(["sample", "list", "--central", url, "--survey", "wellbeing"])
            #expect(sample.status == 0 && sample.stderr.contains("0 cases: 0 assigned, 0 withdrawn"), "\(sample.stderr)")
        }

        @Test("fieldwork over PostgreSQL: publish, sample, assign; the server's package; a review reaches the device; package create")
        func fieldworkAndPackagesOnPostgres() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let terep = ServerPackageEndToEndTests.terep
            let central = try Self.newURL()
            let made = try terep(["central", "init", "--central", central], "")
            try #require(made.status == 0, "\(made.stderr)")
            let signing = try #require(made.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("ed25519:") })
            let survey = dir.appendingPathComponent("field.survey").path
            try FieldTrialSurvey.source.write(toFile: survey, atomically: true, encoding: .utf8)
            let sample = dir.appendingPathComponent("sample.csv").path
            try FieldTrialSurvey.sample.write(toFile: sample, atomically: true, encoding: .utf8)
            let published = try terep(["central", "add-survey", "--central", central, survey], "")
            #expect(published.status == 0 && published.stdout.hasPrefix("Published field "), "\(published.stdout)\(published.stderr)")
            let imported = try terep(["sample", "import", "--central", central, "--survey", "field", sample], "")
            #expect(
                imported.status == 0 && imported.stdout.contains(" added, 0 updated, 0 unchanged"), "\(imported.stdout)\(imported.stderr)")
            let db = try ServerPackageEndToEndTests.makeDevice("lap-1", in: dir, central: central, coordinatorKey: signing)
            let assigned = try terep(
                ["assign", "--central", central, "--survey", "field", "--device", "lap-1", "--where", "district=6"], "")
            #expect(assigned.status == 0 && assigned.stdout == "Assigned to lap-1: 2 cases\n", "\(assigned.stdout)\(assigned.stderr)")
            let server = try ServerProcess(["--central", central])
            defer { server.stop() }

            let first = try ServerPackageEndToEndTests.sync(db, server.url)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains(": 2 cases, 0 review decisions"), "\(first.stdout)")
            // A visit, sent to the server; the supervisor rejects it; the next sync brings the decision.
            let visit = try terep(["interview", "--case", "W-0001", "--device-db", db], ".z 23\ni\n")
            #expect(visit.status == 0, "\(visit.stdout)\(visit.stderr)")
            let sent = try ServerPackageEndToEndTests.sync(db, server.url)
            #expect(sent.status == 0 && sent.stdout.contains("upload: merged (bundle "), "\(sent.stdout)\(sent.stderr)")
            let cases = try terep(["cases", "--device-db", db, "--format", "json"], "")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(cases.stdout.utf8)) as? [[String: Any]])
            let interview = try #require(rows.compactMap { $0["interview_id"] as? String }.first, "\(cases.stdout)")
            let rejected = try terep(["review", "--central", central, "--interview", interview, "--reject", "Nézze meg újra."], "")
            #expect(
                rejected.status == 0 && rejected.stdout.contains("it reaches lap-1 in its next package"),
                "\(rejected.stdout)\(rejected.stderr)")
            let decided = try ServerPackageEndToEndTests.sync(db, server.url)
            #expect(decided.status == 0 && decided.stdout.contains(": 2 cases, 1 review decision"), "\(decided.stdout)\(decided.stderr)")
            let after = try terep(["cases", "--device-db", db, "--format", "json"], "")
            #expect(after.stdout.contains("Nézze meg újra."), "\(after.stdout)")
            // The same package written by the command: the device has it already.
            let file = dir.appendingPathComponent("lap-1.terepkg").path
            let written = try terep(["package", "create", "--central", central, "--device", "lap-1", "-o", file], "")
            #expect(
                written.status == 0 && written.stdout.contains("2 assigned, 0 moved away, 0 withdrawn cases, 1 review decision"),
                "\(written.stdout)\(written.stderr)")
            let received = try terep(["device", "receive", file, "--device-db", db], "")
            #expect(received.status == 0 && received.stdout.hasPrefix("Nothing changed: "), "\(received.stdout)\(received.stderr)")
            let metrics = try terep(["central", "fetch", "--central", central, "--server", server.url, "/metrics"], "")
            #expect(metrics.stdout.contains("terep_http_requests_total{route=\"/v1/package\",status=\"200\"} 3\n"), "\(metrics.stdout)")
        }

        /// Results gathered from concurrent work.
        final class Results: @unchecked Sendable {
            private let lock = NSLock()
            private var items: [Swift.Result<TerepProcess.Result, any Error>] = []
            func add(_ item: Swift.Result<TerepProcess.Result, any Error>) { lock.withLock { items.append(item) } }
            var all: [Swift.Result<TerepProcess.Result, any Error>] { lock.withLock { items } }
        }
    }
}
