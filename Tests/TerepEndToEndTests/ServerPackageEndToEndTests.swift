import Foundation
import SurveyTestSupport
import Testing

extension EndToEnd {
    /// `terep sync` fetches the device's package from `terep server` and applies it.
    @Suite struct ServerPackageEndToEndTests {
        @Test("sync uploads, then fetches and applies the device's package (sealed to it); again: nothing new; a reassignment arrives")
        func packageOverSync() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let central = dir.appendingPathComponent("central.sqlite").path
            let survey = dir.appendingPathComponent("field.survey").path
            try FieldTrialSurvey.source.write(toFile: survey, atomically: true, encoding: .utf8)
            let sample = dir.appendingPathComponent("sample.csv").path
            try FieldTrialSurvey.sample.write(toFile: sample, atomically: true, encoding: .utf8)
            func terep(_ arguments: [String]) throws -> TerepProcess.Result {
                try TerepProcess.run(arguments, environment: ["USER": "kata"])
            }
            let created = try terep(["central", "init", "--central", central])
            let signing = try #require(created.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("ed25519:") })
            #expect(try terep(["central", "add-survey", "--central", central, survey]).status == 0)
            #expect(try terep(["sample", "import", "--central", central, "--survey", "field", sample]).status == 0)
            var databases: [String: String] = [:]
            for device in ["lap-1", "lap-2"] {
                let db = dir.appendingPathComponent("\(device).sqlite").path
                databases[device] = db
                var initialise = ["device", "init", "--device-id", device, "--interviewer", "I", "--device-db", db]
                if device == "lap-1" { initialise += ["--coordinator-key", signing] }
                let made = try terep(initialise)
                try #require(made.status == 0, "\(made.stderr)")
                let lines = made.stdout.split(separator: "\n").map(String.init)
                var add = ["central", "add-device", "--central", central, "--device-id", device, "--key", try #require(lines.last)]
                if let sealing = lines.first(where: { $0.hasPrefix("x25519:") }) { add += ["--encryption-key", sealing] }
                #expect(try terep(add).status == 0)
            }
            #expect(try terep(["assign", "--central", central, "--survey", "field", "--device", "lap-1", "--where", "district=6"]).status == 0)
            let server = try ServerProcess(["--central", central])
            defer { server.stop() }
            func sync(_ device: String) throws -> TerepProcess.Result {
                try terep(["sync", "--server", server.url, "--device-db", databases[device]!])
            }

            let first = try sync("lap-1")
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let lines = first.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "bundle: nothing new to send", "\(first.stdout)")
            #expect(lines.last?.hasPrefix("package: applied (fieldwork log through ") == true && lines.last?.contains(": 2 cases, 0 review decisions") == true, "\(first.stdout)")
            let cases = try terep(["cases", "--device-db", databases["lap-1"]!, "--format", "json"])
            #expect(cases.status == 0 && cases.stdout.contains("W-0001"), "\(cases.stdout)\(cases.stderr)")

            let again = try sync("lap-1")
            #expect(again.stdout.split(separator: "\n").last?.hasPrefix("package: nothing new") == true, "\(again.stdout)")
            #expect(try terep(["assign", "--central", central, "--survey", "field", "--device", "lap-1", "--cases", "W-0003"]).status == 0)
            let moved = try sync("lap-1")
            #expect(moved.stdout.contains(": 3 cases, 0 review decisions"), "\(moved.stdout)")

            // A device set up without the coordinator's key cannot check a package: not fetched, said so.
            let unkeyed = try sync("lap-2")
            #expect(unkeyed.status == 0 && unkeyed.stdout.contains("package: not fetched: this device has no coordinator key"), "\(unkeyed.stdout)")
            let metrics = try TerepProcess.run(["central", "fetch", "--central", central, "--server", server.url, "/status"])
            #expect(metrics.status == 0)
        }
    }
}
