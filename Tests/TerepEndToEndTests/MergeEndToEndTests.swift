import Foundation
import SurveyStore
import Testing

extension EndToEnd {
    /// Three simulated devices → bundles → `terep merge` → `terep central status`, with the real binary.
    @Suite struct MergeEndToEndTests {
        func run(_ arguments: [String]) throws -> TerepProcess.Result {
            try TerepProcess.run(arguments)
        }

        func makeDevice(_ n: Int, in dir: URL, survey: String) throws -> SimulatedDevice {
            try TerepProcess.simulatedDevice(
                "lap-\(n)", database: dir.appendingPathComponent("d\(n).sqlite").path, interviewer: "I\(n)", survey: survey,
                interviews: 4, seed: n)
        }

        func bundle(_ device: SimulatedDevice, _ file: String, in dir: URL) throws -> String {
            try TerepProcess.bundle(device.database, to: dir.appendingPathComponent(file).path)
        }

        func status(_ central: String) throws -> [String: Any] {
            let result = try run(["central", "status", "--central", central, "--format", "json"])
            try #require(result.status == 0, "\(result.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }

        func deviceTable(_ status: [String: Any]) -> [String: [String: Any]] {
            let list = status["devices"] as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: list.compactMap { d in (d["id"] as? String).map { ($0, d) } })
        }

        @Test("bundles from simulated devices merge idempotently; bad and unregistered ones are rejected; gaps are listed")
        func threeDevices() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let devices = try (1...3).map { try makeDevice($0, in: dir, survey: survey) }
            let central = dir.appendingPathComponent("central.sqlite").path
            #expect(try run(["central", "init", "--central", central]).status == 0)
            for device in devices.prefix(2) {
                let added = try run(["central", "add-device", "--central", central, "--device-id", device.name, "--key", device.key])
                #expect(added.status == 0, "\(added.stderr)")
            }
            let first = try devices.map { try bundle($0, "\($0.name)-1.terepbundle", in: dir) }
            let garbage = dir.appendingPathComponent("notes.terepbundle").path
            try Data("not a bundle".utf8).write(to: URL(fileURLWithPath: garbage))

            let merged = try run(["merge", "--central", central] + first + [garbage])
            #expect(merged.status == 1)
            #expect(merged.stdout.split(separator: "\n").filter { $0.hasPrefix("merged ") }.count == 2)
            #expect(merged.stdout.contains("REJECTED \(first[2]): device 'lap-3' is not registered"))
            #expect(merged.stdout.contains("REJECTED \(garbage): not a terep bundle"))

            let again = try run(["merge", "--central", central, first[0]])
            #expect(again.status == 0 && again.stdout.contains("already merged"))
            let trusted = try run(["merge", "--central", central, "--trust-new-devices", first[2]])
            #expect(trusted.status == 0 && trusted.stdout.contains("merged \(first[2])"), "\(trusted.stdout)")

            // Two more rounds on lap-1; merging the later bundle first leaves a gap until the earlier one arrives.
            _ = try run(["simulate", survey, "--interviews", "2", "--device-db", devices[0].database, "--seed", "21"])
            let second = try bundle(devices[0], "lap-1-2.terepbundle", in: dir)
            _ = try run(["simulate", survey, "--interviews", "2", "--device-db", devices[0].database, "--seed", "22"])
            let third = try bundle(devices[0], "lap-1-3.terepbundle", in: dir)
            #expect(try run(["merge", "--central", central, third]).status == 0)
            let gap = deviceTable(try status(central))["lap-1"]
            #expect((gap?["missing"] as? String).map { $0 != "none" } == true, "\(String(describing: gap))")
            #expect(try run(["merge", "--central", central, second, third]).status == 0)

            let final = try status(central)
            let byDevice = deviceTable(final)
            #expect(byDevice.count == 3)
            #expect(byDevice.values.allSatisfy { $0["missing"] as? String == "none" })
            var total = 0
            for device in devices {
                let shown = try run(["device", "status", "--device-db", device.database]).stdout
                let line = try #require(shown.split(separator: "\n").first { $0.hasPrefix("Events:") })
                let count = try #require(Int(line.split(separator: " ").dropFirst().first ?? ""))
                #expect(byDevice[device.name]?["events"] as? Int == count)
                total += count
            }
            #expect(final["events"] as? Int == total)
            #expect(byDevice["lap-3"]?["registered"] as? String == "trust-on-first-use")
        }

        @Test("interviews simulated with --training arrive in the central dataset flagged as training")
        func trainingInterviewsStayFlagged() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = try makeDevice(1, in: dir, survey: survey)
            let trained = try run(["simulate", survey, "--interviews", "2", "--device-db", device.database, "--seed", "5", "--training"])
            try #require(trained.status == 0, "\(trained.stderr)")
            let path = try bundle(device, "lap-1.terepbundle", in: dir)
            let central = dir.appendingPathComponent("central.sqlite").path
            #expect(try run(["central", "init", "--central", central]).status == 0)
            let merged = try run(["merge", "--central", central, "--trust-new-devices", path])
            try #require(merged.status == 0, "\(merged.stdout) \(merged.stderr)")
            let onDevice = try DeviceStore.open(path: device.database, readOnly: true).interviews()
            let inCentral = try CentralStore.open(path: central, readOnly: true).interviews()
            #expect(onDevice.filter(\.isTest).count == 2 && inCentral.filter(\.isTraining).count == 2)
            #expect(Set(onDevice.filter(\.isTest).map(\.id)) == Set(inCentral.filter(\.isTraining).map(\.id)))
            #expect(inCentral.count == 6)
        }
    }
}
