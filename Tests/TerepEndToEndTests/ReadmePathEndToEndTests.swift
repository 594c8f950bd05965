import Foundation
import SurveyStore
import Testing

extension EndToEnd {
    /// The README's path on a fresh machine: `terep interview questionnaires/wellbeing.survey`
    /// with the default device database, then `terep bundle create` and `terep merge` into a new
    /// central dataset — every way of making a device database leaves it able to send.
    @Suite(.timeLimit(.minutes(5))) struct ReadmePathEndToEndTests {
        /// A fresh machine: an empty home, no terep variables, the fieldworker's login name.
        static func freshMachine(_ home: URL) -> [String: String] {
            ["HOME": home.path, "USER": "kovacs.anna", "TEREP_DEVICE_DB": "", "XDG_DATA_HOME": ""]
        }

        @Test func theReadmesFirstCommandEndsInABundleThatMerges() throws {
            let home = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: home) }
            let env = Self.freshMachine(home)
            // `swift run terep interview questionnaires/wellbeing.survey`, run from the package root.
            let terep = try InteractiveTerep(
                ["interview", "questionnaires/wellbeing.survey"], environment: env, directory: TerepProcess.packageRoot)
            var answerer = ScreenAnswerer()
            var steps = 0
            while let screen = terep.readScreen(), steps < 2000 {
                steps += 1
                guard case .type(let line) = answerer.next(for: screen) else {
                    terep.closeInput()
                    break
                }
                terep.send(line)
            }
            #expect(terep.wait() == 0)
            let database = home.appendingPathComponent(".local/share/terep/device.sqlite").path
            let store = try DeviceStore.open(path: database, readOnly: true)
            #expect(store.interviewer == "kovacs.anna")
            #expect(try store.interviews().first?.status == .completed)

            let bundle = home.appendingPathComponent("laptop.terepbundle").path
            let created = try TerepProcess.run(["bundle", "create", "-o", bundle], environment: env)
            #expect(created.status == 0, "bundle create: \(created.stderr)")
            let status = try TerepProcess.run(["device", "status"], environment: env)
            let key = try #require(
                status.stdout.split(separator: "\n").first { $0.hasPrefix("Public key:") }?
                    .split(separator: " ").last.map(String.init), "device status: \(status.stdout)")

            let central = home.appendingPathComponent("central.sqlite").path
            #expect(try TerepProcess.run(["central", "init", "--central", central]).status == 0)
            let added = try TerepProcess.run(
                ["central", "add-device", "--central", central, "--device-id", store.deviceID.rawValue, "--key", key])
            #expect(added.status == 0, "add-device: \(added.stderr)")
            let merged = try TerepProcess.run(["merge", "--central", central, bundle])
            #expect(merged.status == 0, "merge: \(merged.stdout)\n\(merged.stderr)")
            let centralStore = try CentralStore.open(path: central, readOnly: true)
            #expect(try centralStore.interviews().map(\.status) == [.completed])
        }

        /// In the interviewer's language: the questionnaire's first (Hungarian here), or --ui-lang.
        @Test(arguments: [
            ([String](), "Létrejött az eszköz adatbázisa: "), (["--ui-lang", "en"], "Created the device database "),
        ])
        func theFirstInterviewSaysHowToRegisterTheNewDevice(options: [String], created: String) throws {
            let home = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: home) }
            let survey = try MiniSurvey.write(into: home)
            let run = try TerepProcess.run(
                ["interview", survey] + options, stdin: "K1\n\n0\ni\n", environment: Self.freshMachine(home))
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stderr.contains(created + "\(home.path)/.local/share/terep/device.sqlite"), "\(run.stderr)")
            #expect(run.stderr.contains("terep central add-device --central CENTRAL --device-id dev-"))
            #expect(run.stderr.contains("--key ed25519:"))
        }

        @Test func simulateIntoANewDatabaseCanSend() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let survey = try MiniSurvey.write(into: dir)
            let database = dir.appendingPathComponent("new.sqlite").path
            let simulated = try TerepProcess.run(["simulate", survey, "--interviews", "2", "--device-db", database])
            #expect(simulated.status == 0, "\(simulated.stderr)")
            let created = try TerepProcess.run(
                ["bundle", "create", "--device-db", database, "-o", dir.appendingPathComponent("b.terepbundle").path])
            #expect(created.status == 0, "\(created.stderr)")
        }

        @Test func deviceInitOnAnExistingDatabaseSaysWhatItHolds() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let database = dir.appendingPathComponent("d.sqlite").path
            let first = try TerepProcess.run(["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", database])
            #expect(first.status == 0, "\(first.stderr)")
            let key = try #require(first.stdout.split(separator: "\n").last.map(String.init))

            let again = try TerepProcess.run(["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", database])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("already exists: device lap-1, interviewer I1, 0 events (bundled up to 0)"))
            #expect(again.stdout.hasSuffix(key + "\n"))

            let other = try TerepProcess.run(["device", "init", "--device-id", "lap-2", "--interviewer", "I1", "--device-db", database])
            #expect(other.status == 1)
            #expect(other.stdout.contains("device lap-1"))
            #expect(other.stderr.contains("it was not changed to device id lap-2: a device keeps its id and interviewer"))
        }

        @Test func aDatabaseWithoutAKeyIsToldHowToGetOneAndDeviceInitMakesIt() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let database = dir.appendingPathComponent("old.sqlite").path
            _ = try DeviceStore.initialize(path: database, deviceID: "lap-9", interviewer: "Kiss Éva")  // as an older terep did
            let survey = try MiniSurvey.write(into: dir)
            #expect(try TerepProcess.run(["interview", survey, "--device-db", database], stdin: "K1\n\n0\ni\n").status == 0)
            let bundle = dir.appendingPathComponent("b.terepbundle").path
            let refused = try TerepProcess.run(["bundle", "create", "--device-db", database, "-o", bundle])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("run terep device init --device-id lap-9 --interviewer 'Kiss Éva'"), "\(refused.stderr)")
            #expect(!refused.stderr.contains("USAGE"))

            let repaired = try TerepProcess.run(
                ["device", "init", "--device-id", "lap-9", "--interviewer", "Kiss Éva", "--device-db", database])
            #expect(repaired.status == 0, "\(repaired.stderr)")
            #expect(repaired.stdout.contains("It had no signing key (made by an older terep); one was made now"))
            #expect(repaired.stdout.contains("already exists: device lap-9, interviewer Kiss Éva"))
            #expect(try TerepProcess.run(["bundle", "create", "--device-db", database, "-o", bundle]).status == 0)
        }
    }
}
