import Foundation
import SurveyTestSupport
import Testing

extension EndToEnd {
    /// The coordinator's first steps with the real binary: publish, import the sample (a bad
    /// file names every problem and loads nothing), assign, move, withdraw.
    @Suite struct SampleEndToEndTests {
        let dir: URL
        let central: String
        let survey: String

        init() throws {
            dir = try TerepProcess.temporaryDirectory()
            central = dir.appendingPathComponent("central.sqlite").path
            survey = dir.appendingPathComponent("field.survey").path
            try FieldTrialSurvey.source.write(toFile: survey, atomically: true, encoding: .utf8)
        }

        func terep(_ arguments: [String]) throws -> TerepProcess.Result {
            try TerepProcess.run(arguments, environment: ["USER": "kata"])
        }

        func write(_ name: String, _ text: String) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        @Test("init prints both coordinator keys; add-survey publishes; a bad sample is refused line by line")
        func publishAndImport() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let created = try terep(["central", "init", "--central", central])
            try #require(created.status == 0, "\(created.stderr)")
            let lines = created.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("ed25519:") } && lines.last?.hasPrefix("x25519:") == true)
            let again = try terep(["central", "init", "--central", central])
            #expect(again.status == 1 && again.stderr.contains("already initialised"))

            let early = try terep([
                "sample", "import", "--central", central, "--survey", "field", try write("s.csv", FieldTrialSurvey.sample),
            ])
            #expect(early.status == 1 && early.stderr.contains("has no published questionnaire"), "\(early.stderr)")
            let published = try terep(["central", "add-survey", "--central", central, survey])
            #expect(published.status == 0 && published.stdout.contains("Published field 1"), "\(published.stderr)")

            let bad = try write(
                "rossz.csv",
                """
                case_id,sample_source,cluster_id,address_id,district
                W-1,1,B1,A1,9
                W-2,1,,A2,6
                W-1,1,B1,A3,1

                """)
            let refused = try terep(["sample", "import", "--central", central, "--survey", "field", bad])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("the sample was not loaded: 3 problems"))
            #expect(refused.stderr.contains("\(bad):2: district: '9' is not one of its codes (1, 2, 6)"))
            #expect(refused.stderr.contains("\(bad):3: missing preload 'cluster_id'"))
            #expect(refused.stderr.contains("\(bad):4: case id 'W-1' is already on line 2"))
            let listed = try terep(["sample", "list", "--central", central, "--survey", "field"])
            #expect(listed.status == 0 && listed.stdout.isEmpty, "nothing of the bad file was loaded")

            let good = try write("minta.csv", FieldTrialSurvey.sample)
            let loaded = try terep(["sample", "import", "--central", central, "--survey", "field", good])
            #expect(loaded.status == 0 && loaded.stdout.contains("5 cases in \(good); 5 added, 0 updated, 0 unchanged"), "\(loaded.stderr)")
        }

        @Test("a device is set up with the coordinator's signing key and registered with its encryption key")
        func deviceKeysForPackages() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let created = try terep(["central", "init", "--central", central])
            try #require(created.status == 0, "\(created.stderr)")
            let signing = try #require(created.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("ed25519:") })
            let keyFile = try write("koordinator.key", signing + "\n")
            let device = dir.appendingPathComponent("lap-1.sqlite").path
            let base = ["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", device]
            let made = try terep(base + ["--coordinator-key", keyFile])
            try #require(made.status == 0, "\(made.stderr)")
            let lines = made.stdout.split(separator: "\n").map(String.init)
            let sealing = try #require(lines.first { $0.hasPrefix("x25519:") })
            let key = try #require(lines.last)
            #expect(key.hasPrefix("ed25519:") && key != signing)
            #expect(made.stdout.contains("Packages are checked with the coordinator's signing key"))

            let registered = try terep([
                "central", "add-device", "--central", central, "--device-id", "lap-1", "--key", key, "--encryption-key", sealing,
            ])
            #expect(registered.status == 0 && registered.stdout.contains("its packages are encrypted to"), "\(registered.stderr)")
            let again = try terep(base + ["--coordinator-key", signing])
            #expect(again.status == 0 && again.stdout.contains(sealing), "the same key again changes nothing: \(again.stderr)")
            let other = "ed25519:" + Data(repeating: 7, count: 32).base64EncodedString()
            let refused = try terep(base + ["--coordinator-key", other])
            #expect(refused.status == 1 && refused.stderr.contains("it was not changed to coordinator key"), "\(refused.stderr)")
            let garbage = try terep(base + ["--coordinator-key", "x25519:abc"])
            #expect(garbage.status != 0 && garbage.stderr.contains("--coordinator-key"), "\(garbage.stderr)")
        }

        @Test("assign by --count, --where and --cases; move with --to; withdraw with a reason; all logged")
        func assignMoveWithdraw() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(try terep(["central", "init", "--central", central]).status == 0)
            #expect(try terep(["central", "add-survey", "--central", central, survey]).status == 0)
            #expect(
                try terep(["sample", "import", "--central", central, "--survey", "field", try write("m.csv", FieldTrialSurvey.sample)])
                    .status == 0)
            for device in ["lap-1", "lap-2"] {
                let key = "ed25519:" + Data(repeating: device == "lap-1" ? 1 : 2, count: 32).base64EncodedString()
                #expect(try terep(["central", "add-device", "--central", central, "--device-id", device, "--key", key]).status == 0)
            }
            let base = ["assign", "--central", central, "--survey", "field"]
            let unknown = try terep(base + ["--device", "lap-9", "--count", "1"])
            #expect(unknown.status == 1 && unknown.stderr.contains("device lap-9 is not registered"), "\(unknown.stderr)")
            let byDistrict = try terep(base + ["--device", "lap-1", "--where", "district=6"])
            #expect(
                byDistrict.status == 0 && byDistrict.stdout.contains("Assigned to lap-1: 2 cases"),
                "\(byDistrict.stdout)\(byDistrict.stderr)")
            let counted = try terep(base + ["--device", "lap-2", "--count", "2"])
            #expect(counted.stdout.contains("Assigned to lap-2: 2 cases"))
            let taken = try terep(base + ["--device", "lap-2", "--cases", "W-0001"])
            #expect(
                taken.status == 1 && taken.stderr.contains("case W-0001 is assigned to lap-1; reassign it with --device lap-1 --to lap-2"))
            let moved = try terep(base + ["--device", "lap-1", "--to", "lap-2", "--cases", "W-0001", "--by", "Peti"])
            #expect(moved.status == 0 && moved.stdout.contains("Moved from lap-1 to lap-2: 1 case"), "\(moved.stderr)")
            let withdrawn = try terep([
                "sample", "withdraw", "--central", central, "--survey", "field", "--cases", "W-0002", "--reason", "lebontották",
            ])
            #expect(withdrawn.status == 0)
            let list = try terep(["sample", "list", "--central", central, "--survey", "field"])
            let rows = list.stdout.split(separator: "\n").map { $0.split(separator: "\t").prefix(2).joined(separator: " ") }
            #expect(rows == ["E-0001 lap-2", "W-0001 lap-2", "W-0002 withdrawn", "W-0003 lap-2", "W-0004 -"], "\(list.stdout)")
        }

        @Test("package create and device receive: applied once, the same again changes nothing, another's is refused")
        func packagesToDevices() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let created = try terep(["central", "init", "--central", central])
            let signing = try #require(created.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("ed25519:") })
            #expect(try terep(["central", "add-survey", "--central", central, survey]).status == 0)
            #expect(
                try terep(["sample", "import", "--central", central, "--survey", "field", try write("m.csv", FieldTrialSurvey.sample)])
                    .status == 0)
            var databases: [String: String] = [:]
            for device in ["lap-1", "lap-2"] {
                let db = dir.appendingPathComponent("\(device).sqlite").path
                databases[device] = db
                let made = try terep([
                    "device", "init", "--device-id", device, "--interviewer", "I", "--device-db", db, "--coordinator-key", signing,
                ])
                let lines = made.stdout.split(separator: "\n").map(String.init)
                let sealing = try #require(lines.first { $0.hasPrefix("x25519:") }), key = try #require(lines.last)
                var add = ["central", "add-device", "--central", central, "--device-id", device, "--key", key]
                if device == "lap-1" { add += ["--encryption-key", sealing] }
                #expect(try terep(add).status == 0)
            }
            #expect(
                try terep(["assign", "--central", central, "--survey", "field", "--device", "lap-1", "--where", "district=6"]).status == 0)
            #expect(try terep(["assign", "--central", central, "--survey", "field", "--device", "lap-2", "--cases", "W-0003"]).status == 0)
            let one = dir.appendingPathComponent("lap-1.terepkg").path, two = dir.appendingPathComponent("lap-2.terepkg").path
            let made = try terep(["package", "create", "--central", central, "--device", "lap-1", "-o", one])
            #expect(
                made.status == 0 && made.stdout.contains("2 assigned, 0 moved away, 0 withdrawn cases")
                    && made.stdout.contains("encrypted)"), "\(made.stdout)\(made.stderr)")
            let plain = try terep(["package", "create", "--central", central, "--device", "lap-2", "-o", two])
            #expect(plain.status == 0 && plain.stdout.contains("not encrypted"), "\(plain.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: one)).range(of: Data("Szondi".utf8)) == nil, "sealed: no address in clear")

            let receive = ["device", "receive", one, "--device-db", databases["lap-1"]!]
            let applied = try terep(receive)
            #expect(
                applied.status == 0 && applied.stdout.contains("Applied the package") && applied.stdout.contains("2 cases"),
                "\(applied.stderr)")
            let again = try terep(receive)
            #expect(again.status == 0 && again.stdout.contains("Nothing changed"), "\(again.stdout)")
            let theirs = try terep(["device", "receive", two, "--device-db", databases["lap-1"]!])
            #expect(theirs.status == 1)
            #expect(
                theirs.stderr
                    == "error: \(two): this package is for device 'lap-2', and this is device 'lap-1'; ask the coordinator for this device's package\n"
            )
            let bundle = try terep(["device", "receive", try write("x.csv", "case_id\n"), "--device-db", databases["lap-1"]!])
            #expect(bundle.status == 1 && bundle.stderr.contains("not a terep package"), "\(bundle.stderr)")
        }
    }
}
