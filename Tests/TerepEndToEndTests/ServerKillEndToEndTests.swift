import Foundation
import SurveyModel
import SurveyStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd.ServerEndToEndTests {
    /// `terep sync` started without waiting for it.
    func startSync(_ device: Device, _ url: String) throws -> Process {
        let process = Process()
        process.executableURL = try TerepProcess.requireBinary()
        process.arguments = ["sync", "--server", url, "--device-db", device.database, "--retries", "0", "--connect-timeout", "5"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Whether an upload is being received or merged: the server's spool folder under `tmp` holds a file.
    func uploadInProgress(_ tmp: URL) -> Bool {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
        return folders.contains { folder in
            folder.hasPrefix("terep-server-")
                && ((try? FileManager.default.contentsOfDirectory(atPath: tmp.appendingPathComponent(folder).path)) ?? []).contains {
                    $0.hasPrefix("upload-")
                }
        }
    }

    @Test("kill -9 of the server during merges, 30 rounds: nothing acknowledged is lost, nothing merged twice, re-sent bundles merged once")
    func killDuringMerges() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let devices = try (1...3).map { try makeDevice($0, interviews: 1) }
        let tmp = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        var interrupted = 0, killedMidUpload = 0
        for round in 1...30 {
            for (n, device) in devices.enumerated() {  // new interviews on every device
                let simulated = try TerepProcess.run(
                    ["simulate", survey, "--interviews", "3", "--device-db", device.database, "--seed", "\(round * 10 + n)"])
                try #require(simulated.status == 0, "\(simulated.stderr)")
            }
            let server = try ServerProcess(["--central", central], environment: ["TMPDIR": tmp.path])
            let syncs = try devices.map { try startSync($0, server.url) }
            let deadline = Date().addingTimeInterval(10)
            while !uploadInProgress(tmp), Date() < deadline, syncs.contains(where: \.isRunning) { usleep(2_000) }
            if round.isMultiple(of: 2) {
                // Even rounds: after the first receipt, so some merges commit and others are cut.
                let late = Date().addingTimeInterval(20)
                while !syncs.contains(where: { !$0.isRunning && $0.terminationStatus == 0 }), Date() < late,
                    syncs.contains(where: \.isRunning)
                {
                    usleep(2_000)
                }
            }
            if uploadInProgress(tmp) { killedMidUpload += 1 }
            usleep(UInt32.random(in: 0...60_000))
            kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
            for sync in syncs { sync.waitUntilExit() }
            if syncs.contains(where: { $0.terminationStatus == 75 }) { interrupted += 1 }
            #expect(syncs.allSatisfy { [0, 75].contains($0.terminationStatus) }, "round \(round): \(syncs.map(\.terminationStatus))")

            // After every kill: the dataset is sound, and what a device counts as sent is there.
            let store = try CentralStore.open(path: central, readOnly: true)
            #expect(try store.integrityCheck().isEmpty, "round \(round)")
            for device in devices {
                let merged = try store.events(device: DeviceID(device.name)).count
                let sent = try bundledThrough(device)
                #expect(Int64(merged) >= sent, "round \(round): \(device.name) marked events sent that are not merged")
            }
        }
        // Every device sends what is left to a server left running; then each event is there once.
        let server = try ServerProcess(["--central", central], environment: ["TMPDIR": tmp.path])
        for device in devices {
            let synced = try sync(device, server.url)
            #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
        }
        #expect(server.stop() == 0)
        let store = try CentralStore.open(path: central, readOnly: true)
        #expect(try store.integrityCheck().isEmpty)
        var total = 0
        for device in devices {
            let events = try store.events(device: DeviceID(device.name))
            let count = try eventCount(device)
            #expect(Int64(events.count) == count)
            #expect(try bundledThrough(device) == count)
            #expect(events.map(\.sequence) == Array(1...Int64(events.count)), "\(device.name): each sequence once")
            total += events.count
        }
        let accepted = try store.bundles().filter(\.accepted)
        #expect(accepted.reduce(0) { $0 + $1.newEvents } == total, "each event was new in exactly one accepted bundle")
        #expect(try store.eventCount() == total)
        #expect(
            interrupted >= 10 && killedMidUpload >= 10,
            "the kills must hit uploads: \(interrupted) interrupted, \(killedMidUpload) mid-upload")
        #expect(accepted.count > devices.count, "some merges must commit before a kill, not only the last syncs")
        print(
            "kill rounds: \(interrupted) of 30 left a sync unacknowledged, \(killedMidUpload) killed with an upload in progress; \(accepted.count) bundles accepted for \(total) events"
        )
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
        #expect(left.count <= 1, "the folders of killed servers are removed by the next one: \(left)")
    }
}
