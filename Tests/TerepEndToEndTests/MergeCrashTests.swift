import Foundation
import SurveyModel
import SurveyStore
import Testing

/// kill -9 `terep merge` at random moments: the central dataset stays intact, every bundle is
/// all-or-nothing, and running the merge again completes it to exactly the dataset of an
/// uninterrupted merge. `scripts/merge-kill-test.sh ROUNDS` runs many rounds; `swift test`
/// runs a few (`TEREP_MERGE_KILL_ROUNDS` overrides).
extension EndToEnd {
    @Suite(.timeLimit(.minutes(5)))
    struct MergeCrashTests {
        static var rounds: Int {
            ProcessInfo.processInfo.environment["TEREP_MERGE_KILL_ROUNDS"].flatMap(Int.init) ?? 3
        }

        /// One simulated device's two bundles: new events, then all events again (overlapping).
        struct DeviceBundles {
            var device: DeviceID
            var firstLast: Int64
            var allLast: Int64
            var files: [String]
        }

        func run(_ arguments: [String]) throws -> TerepProcess.Result {
            let result = try TerepProcess.run(arguments)
            try #require(result.status == 0, "terep \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }

        /// The event count in `bundle create`'s "Wrote FILE: N events …" line.
        func eventCount(_ output: String) throws -> Int64 {
            let words = output.split(separator: " ")
            let index = try #require(words.firstIndex(of: "events"), "unexpected output: \(output)")
            return try #require(Int64(words[index - 1]), "unexpected output: \(output)")
        }

        func makeDevice(_ n: Int, in dir: URL, survey: String, central: String) throws -> DeviceBundles {
            let database = dir.appendingPathComponent("d\(n).sqlite").path
            let initialised = try run(["device", "init", "--device-id", "lap-\(n)", "--interviewer", "I\(n)", "--device-db", database])
            let key = try #require(initialised.stdout.split(separator: "\n").last.map(String.init))
            _ = try run(["central", "add-device", "--central", central, "--device-id", "lap-\(n)", "--key", key])
            _ = try run(["simulate", survey, "--interviews", "6", "--device-db", database, "--seed", "\(n)"])
            let first = dir.appendingPathComponent("a\(n).terepbundle").path
            let firstLast = try eventCount(try run(["bundle", "create", "--device-db", database, "-o", first]).stdout)
            _ = try run(["simulate", survey, "--interviews", "6", "--device-db", database, "--seed", "\(n + 10)"])
            let all = dir.appendingPathComponent("b\(n).terepbundle").path
            let allLast = try eventCount(try run(["bundle", "create", "--device-db", database, "--all", "-o", all]).stdout)
            return DeviceBundles(device: DeviceID("lap-\(n)"), firstLast: firstLast, allLast: allLast, files: [first, all])
        }

        /// Copies a dataset file (and its write-ahead log, if any) to a fresh path.
        func copyDataset(_ source: String, to target: String) throws {
            let files = FileManager.default
            for suffix in ["", "-wal", "-shm"] {
                try? files.removeItem(atPath: target + suffix)
                if files.fileExists(atPath: source + suffix) { try files.copyItem(atPath: source + suffix, toPath: target + suffix) }
            }
        }

        @Test("a merge killed with SIGKILL leaves an intact dataset, all-or-nothing per bundle; re-running completes it")
        func killedMergeRecovers() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let empty = dir.appendingPathComponent("empty.sqlite").path
            _ = try run(["central", "init", "--central", empty])
            let devices = try (1...3).map { try makeDevice($0, in: dir, survey: survey, central: empty) }
            let bundles = devices.flatMap(\.files)

            // The uninterrupted merge: the expected dataset, and how long a merge takes.
            let reference = dir.appendingPathComponent("reference.sqlite").path
            try copyDataset(empty, to: reference)
            let clock = ContinuousClock()
            let duration = try clock.measure { _ = try run(["merge", "--central", reference] + bundles) }
            let expected = try CentralStore.open(path: reference, readOnly: true).canonicalDump()
            let total = devices.reduce(0) { $0 + Int($1.allLast) }
            #expect(try CentralStore.open(path: reference, readOnly: true).eventCount() == total)

            let binary = try TerepProcess.requireBinary()
            var generator = SystemRandomNumberGenerator()
            let micros = max(Int(duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000), 1000)
            var partial = 0
            for round in 1...Self.rounds {
                let central = dir.appendingPathComponent("central-\(round).sqlite").path
                try copyDataset(empty, to: central)
                let merge = Process()
                merge.executableURL = binary
                merge.arguments = ["merge", "--central", central] + bundles
                merge.standardInput = FileHandle.nullDevice
                merge.standardOutput = FileHandle.nullDevice
                merge.standardError = FileHandle.nullDevice
                try merge.run()
                // Spread the kills over the run: round r dies somewhere in the r-th part of a merge's duration.
                let fraction = (Double(round) - Double.random(in: 0.05...0.95, using: &generator)) / Double(Self.rounds)
                usleep(UInt32(Double(micros) * fraction))
                kill(merge.processIdentifier, SIGKILL)
                merge.waitUntilExit()

                let store = try CentralStore.open(path: central)
                #expect(try store.integrityCheck().isEmpty, "round \(round): integrity check failed")
                let status = try store.status()
                for device in devices {
                    let received = status.devices.first { $0.device.id == device.device }?.received ?? []
                    let allowed: [[ClosedRange<Int64>]] = [[], [1...device.firstLast], [1...device.allLast]]
                    #expect(allowed.contains(received), "round \(round): \(device.device) has \(received): a bundle applied partly")
                }
                if status.eventCount > 0 && status.eventCount < total { partial += 1 }

                _ = try run(["merge", "--central", central] + bundles)
                #expect(
                    try CentralStore.open(path: central, readOnly: true).canonicalDump() == expected,
                    "round \(round): the re-run merge differs from an uninterrupted merge")
            }
            print("merge kill test: \(Self.rounds) rounds (\(partial) killed mid-merge), each recovered to the reference dataset")
        }
    }
}
