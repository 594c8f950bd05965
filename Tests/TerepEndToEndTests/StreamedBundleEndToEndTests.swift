import Foundation
import SurveySync
import Testing

extension EndToEnd {
    /// `terep bundle create` and `terep merge` on a bundle whose payload is about half the
    /// memory they are allowed (200 energy interviews, 160 of them with a long interviewer note), measured as the
    /// real binary: each peaks under 100 MB whatever the bundle's size (before the streamed
    /// bundles they held the whole payload several times over, ~0.8 kB per event on top).
    /// A `bundle create` killed mid-write leaves no bundle, only its hidden temporary, which
    /// the next write removes.
    @Suite struct StreamedBundleEndToEndTests {
        static let sqlite3 = "/usr/bin/sqlite3"
        let dir: URL

        init() throws {
            dir = try TerepProcess.temporaryDirectory()
        }

        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

        /// A device database of `simulated × copies` energy interviews: simulated with the real
        /// engine, then copied under new interview ids and sequence numbers (fast, in SQL),
        /// each copy with one interviewer note of `noteBytes` hex digits after its start.
        func deviceDatabase(simulated: Int, copies: Int, noteBytes: Int) throws -> String {
            try Self.deviceDatabase(in: dir, simulated: simulated, copies: copies, noteBytes: noteBytes)
        }

        /// ``deviceDatabase(simulated:copies:noteBytes:)`` in `dir` (also for the export's memory test).
        static func deviceDatabase(in dir: URL, simulated: Int, copies: Int, noteBytes: Int) throws -> String {
            let db = dir.appendingPathComponent("device.sqlite").path
            let energy = try #require(TerepProcess.questionnaire("energy.survey"))
            let simulate = try TerepProcess.run([
                "simulate", energy, "--interviews", "\(simulated)", "--device-db", db, "--seed", "11", "--interviewer", "Kiss Éva",
            ])
            try #require(simulate.status == 0, "\(simulate.stderr)")
            try #require(
                FileManager.default.isExecutableFile(atPath: sqlite3),
                "the sqlite3 command-line shell is needed to copy interviews: apt-get install sqlite3 (.ci/run does)")
            let sql = """
                BEGIN;
                CREATE TEMP TABLE k(n INTEGER);
                WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < \(copies - 1)) INSERT INTO k SELECT n FROM c;
                CREATE TEMP TABLE base AS SELECT max(sequence) AS s FROM event;
                CREATE TEMP TABLE copy AS
                  SELECT printf('%08x', k.n) || substr(interview_id, 9) AS iv, k.n AS n, sequence AS s, 0 AS extra,
                      timestamp, interviewer, kind, payload_json FROM event, k
                  UNION ALL
                  SELECT printf('%08x', k.n) || substr(interview_id, 9), k.n, sequence, 1, timestamp, interviewer, 'note',
                      '{"note":{"at":"int_id","text":"' || hex(randomblob(\(noteBytes / 2))) || '"}}'
                    FROM event, k WHERE kind = 'started';
                INSERT INTO interview (id, survey_id, definition_hash, interviewer, case_ids_json, status, outcome, started_at,
                    ended_at, last_sequence, event_count, is_test)
                  SELECT printf('%08x', k.n) || substr(id, 9), survey_id, definition_hash, interviewer,
                    case_ids_json, status, outcome, started_at, ended_at, 0, 0, is_test FROM interview, k;
                INSERT INTO event SELECT (SELECT device_id FROM device), (SELECT s FROM base) + row_number() OVER (ORDER BY n, s, extra),
                    iv, timestamp, interviewer, kind, payload_json FROM copy ORDER BY n, s, extra;
                UPDATE interview SET last_sequence = (SELECT max(sequence) FROM event WHERE interview_id = interview.id),
                    event_count = (SELECT count(*) FROM event WHERE interview_id = interview.id);
                UPDATE device SET next_sequence = (SELECT max(sequence) + 1 FROM event);
                COMMIT;
                """
            let copied = try TerepProcess.run(executable: URL(fileURLWithPath: sqlite3), [db], stdin: sql)
            try #require(copied.status == 0, "\(copied.stderr)")
            return db
        }

        /// Hidden temporaries of writes of `name` in the folder. The payload's scratch file
        /// (`….payload`) is left out: it is unlinked right after it is opened, so it shows only for
        /// that moment, and a wait that saw it could kill the writer before its real temporary
        /// exists (the count below then read 0 under load).
        func temporaries(of name: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
                $0.hasPrefix(".\(name).tmp-") && !$0.hasSuffix(".payload")
            }
        }

        /// Starts `bundle create`, kills it with SIGKILL once its temporary file exists.
        func killedWrite(_ arguments: [String], name: String) throws {
            let process = Process()
            process.executableURL = try TerepProcess.requireBinary()
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var waited = 0
            while try temporaries(of: name).isEmpty, process.isRunning, waited < 60_000 {
                usleep(1000)
                waited += 1
            }
            #expect(process.isRunning, "bundle create ended before it could be killed")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
        }

        @Test(
            "bundle create and merge of a bundle of ~45 MB of payload each peak under 100 MB; a killed create leaves only a temporary the next one removes"
        )
        func streamedBundle() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = try deviceDatabase(simulated: 40, copies: 5, noteBytes: 256 << 10)
            let central = path("central.sqlite")
            let initialised = try TerepProcess.run(["central", "init", "--central", central])
            try #require(initialised.status == 0, "\(initialised.stderr)")
            let key = try #require(initialised.stdout.split(separator: "\n").first { $0.hasPrefix("x25519:") }).description
            let bundle = path("energy.terepbundle")
            let create = ["bundle", "create", "--device-db", device, "-o", bundle, "--all", "--to", key]

            try killedWrite(create, name: "energy.terepbundle")
            #expect(!FileManager.default.fileExists(atPath: bundle), "a killed write left a file under the bundle's name")
            #expect(try temporaries(of: "energy.terepbundle").count == 1)

            let binary = try TerepProcess.requireBinary().path
            let created = try MeasuredProcess.run(binary, create)
            try #require(created.status == 0, "\(created.stderr)")
            #expect(created.stdout.contains("200 interviews"), "\(created.stdout)")
            #expect(created.peakResidentBytes < 100 << 20, "bundle create peaked at \(created.peakResidentBytes >> 20) MB")
            #expect(try temporaries(of: "energy.terepbundle").isEmpty, "the killed write's temporary is still there")

            let sealed = try BundleReader().open(path: bundle)
            #expect(sealed.manifest.format == 2 && sealed.manifest.interviewCount == 200)
            #expect(sealed.manifest.payload.uncompressedSize > 40 << 20, "payload \(sealed.manifest.payload.uncompressedSize) bytes")

            let merged = try MeasuredProcess.run(binary, ["merge", "--central", central, "--trust-new-devices", bundle])
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(merged.stdout.contains("\(sealed.manifest.eventCount) new events"), "\(merged.stdout)")
            #expect(merged.peakResidentBytes < 100 << 20, "merge peaked at \(merged.peakResidentBytes >> 20) MB")
        }
    }
}
