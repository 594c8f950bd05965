import Foundation
import SurveyStore
import SurveyTestSupport
import Testing

extension EndToEnd {
    /// `terep sync` fetches the device's package from `terep server` and applies it.
    @Suite struct ServerPackageEndToEndTests {
        let dir: URL
        let central: String
        /// The coordinator's signing key, as `terep central init` printed it.
        let signing: String

        init() throws {
            dir = try TerepProcess.temporaryDirectory()
            central = dir.appendingPathComponent("central.sqlite").path
            let survey = dir.appendingPathComponent("field.survey").path
            try FieldTrialSurvey.source.write(toFile: survey, atomically: true, encoding: .utf8)
            let sample = dir.appendingPathComponent("sample.csv").path
            try FieldTrialSurvey.sample.write(toFile: sample, atomically: true, encoding: .utf8)
            let created = try Self.terep(["central", "init", "--central", central])
            signing = try #require(created.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("ed25519:") })
            try #require(try Self.terep(["central", "add-survey", "--central", central, survey]).status == 0)
            try #require(try Self.terep(["sample", "import", "--central", central, "--survey", "field", sample]).status == 0)
        }

        static func terep(_ arguments: [String], stdin: String = "") throws -> TerepProcess.Result {
            try TerepProcess.run(arguments, stdin: stdin, environment: ["USER": "kata"])
        }

        /// A device registered with `central` (and its encryption key), trusting `coordinatorKey`
        /// when one is given; its database.
        static func makeDevice(_ name: String, in dir: URL, central: String, coordinatorKey: String?) throws -> String {
            let db = dir.appendingPathComponent("\(name).sqlite").path
            var initialise = ["device", "init", "--device-id", name, "--interviewer", "I", "--device-db", db]
            if let coordinatorKey { initialise += ["--coordinator-key", coordinatorKey] }
            let made = try terep(initialise)
            try #require(made.status == 0, "\(made.stderr)")
            let lines = made.stdout.split(separator: "\n").map(String.init)
            var add = ["central", "add-device", "--central", central, "--device-id", name, "--key", try #require(lines.last)]
            if let sealing = lines.first(where: { $0.hasPrefix("x25519:") }) { add += ["--encryption-key", sealing] }
            let added = try terep(add)
            try #require(added.status == 0, "\(added.stderr)")
            return db
        }

        static func sync(_ db: String, _ url: String) throws -> TerepProcess.Result {
            try terep(["sync", "--server", url, "--device-db", db, "--retries", "1"])
        }

        @Test("sync uploads, then fetches and applies the device's package (sealed to it); again: nothing new; a reassignment arrives")
        func packageOverSync() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let db = try Self.makeDevice("lap-1", in: dir, central: central, coordinatorKey: signing)
            let unkeyed = try Self.makeDevice("lap-2", in: dir, central: central, coordinatorKey: nil)
            #expect(
                try Self.terep(["assign", "--central", central, "--survey", "field", "--device", "lap-1", "--where", "district=6"]).status
                    == 0)
            let server = try ServerProcess(["--central", central])
            defer { server.stop() }

            let first = try Self.sync(db, server.url)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            var lines = first.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 2 && lines.first == "bundle: nothing new to send", "\(first.stdout)")
            #expect(
                lines.last?.hasPrefix("package: applied (fieldwork log through ") == true
                    && lines.last?.contains(": 2 cases, 0 review decisions") == true, "\(first.stdout)")
            let cases = try Self.terep(["cases", "--device-db", db, "--format", "json"])
            #expect(
                cases.status == 0 && cases.stdout.contains("W-0001") && cases.stdout.contains("W-0002"), "\(cases.stdout)\(cases.stderr)")

            let again = try Self.sync(db, server.url)
            #expect(
                again.stdout.split(separator: "\n").last?.hasPrefix("package: nothing new (the package is through ") == true,
                "\(again.stdout)")

            // A visit to an assigned case and a case moved to the device: one sync sends the
            // visit and brings the new case.
            let visit = try Self.terep(["interview", "--case", "W-0001", "--device-db", db], stdin: ".z 23\ni\n")
            #expect(visit.status == 0, "\(visit.stdout)\(visit.stderr)")
            #expect(
                try Self.terep(["assign", "--central", central, "--survey", "field", "--device", "lap-1", "--cases", "W-0003"]).status == 0)
            let moved = try Self.sync(db, server.url)
            #expect(moved.status == 0, "\(moved.stdout)\(moved.stderr)")
            lines = moved.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(moved.stdout)")
            #expect(lines.first?.hasPrefix("bundle: ") == true && lines.dropFirst().first?.hasPrefix("upload: merged (bundle ") == true)
            #expect(lines.last?.contains(": 3 cases, 0 review decisions") == true, "\(moved.stdout)")
            print("sync lines (docs/server.md):\n\(moved.stdout)")
            #expect(try DeviceStore.open(path: db, readOnly: true).bundledThrough() > 0)

            // A device set up without the coordinator's key cannot check a package: not fetched, said so.
            let plain = try Self.sync(unkeyed, server.url)
            #expect(
                plain.status == 0 && plain.stdout.contains("package: not fetched: this device has no coordinator key"), "\(plain.stdout)")
            let metrics = try Self.terep(["central", "fetch", "--central", central, "--server", server.url, "/metrics"])
            #expect(metrics.stdout.contains("terep_packages_total 3\n"), "\(metrics.stdout)\(metrics.stderr)")
        }

        @Test("a package that does not verify on the device (another coordinator's key) changes nothing on it; exit status 1")
        func refusedPackage() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let other = dir.appendingPathComponent("other.sqlite").path
            let made = try Self.terep(["central", "init", "--central", other])
            let stranger = try #require(made.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("ed25519:") })
            let db = try Self.makeDevice("lap-1", in: dir, central: central, coordinatorKey: stranger)
            #expect(
                try Self.terep(["assign", "--central", central, "--survey", "field", "--device", "lap-1", "--where", "district=6"]).status
                    == 0)
            let server = try ServerProcess(["--central", central])
            defer { server.stop() }
            let before = try Data(contentsOf: URL(fileURLWithPath: db))
            let refused = try Self.sync(db, server.url)
            #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
            #expect(refused.stderr.hasPrefix("error: the package from the server was not applied: "), "\(refused.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "the device database changed")
            let store = try DeviceStore.open(path: db, readOnly: true)
            #expect(try store.packageThrough() == 0)
        }
    }
}
