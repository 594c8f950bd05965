import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import SurveyModel
import SurveyStore
import SurveySync
import Testing

/// The central dataset failing during a merge — a real full disk (a tiny tmpfs in a private
/// mount namespace: ENOSPC, SQLITE_FULL) or a file size limit (EFBIG, an I/O error) — with the
/// real binaries: `terep merge` names the file and the cause and exits 74 without listing the
/// bundle as rejected; `terep server` answers 503 with Retry-After, and the device keeps its
/// bundle, retries, and it merges exactly once when space is back.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(5)))
    struct StoreFailureEndToEndTests {
        let dir: URL
        let central: String
        let survey: String

        init() throws {
            survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            dir = try TerepProcess.temporaryDirectory()
            central = dir.appendingPathComponent("central.sqlite").path
            try TerepProcess.initCentral(central)
        }

        /// A registered device with `interviews` simulated interviews; its database's path.
        func device(_ n: Int, interviews: Int) throws -> String {
            let device = try TerepProcess.simulatedDevice(
                "lap-\(n)", database: dir.appendingPathComponent("d\(n).sqlite").path, interviewer: "I\(n)", survey: survey,
                interviews: interviews, seed: n)
            try TerepProcess.register(device, central: central)
            return device.database
        }

        func bundle(_ database: String, _ name: String) throws -> String {
            try TerepProcess.bundle(database, to: dir.appendingPathComponent(name).path)
        }

        func kilobytes(_ path: String) throws -> Int {
            ((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1024
        }

        @Test(arguments: DiskLimit.allCases)
        func aMergeOnAFullDiskNamesTheFileAndCauseAndTheSameFilesMergeOnceLater(_ limit: DiskLimit) throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            try #require(limit.available, "staging a full file system needs user namespaces (unshare -r -m)")
            let big = try bundle(try device(1, interviews: 60), "big.terepbundle")
            let small = try bundle(try device(2, interviews: 3), "small.terepbundle")

            let full = try mergeOnFullDisk(limit, [big, small])
            #expect(full.status == 74, "stdout: \(full.stdout)\nstderr: \(full.stderr)")
            #expect(full.stderr.contains("error: \(big) was not merged: the central dataset could not store it: "), "\(full.stderr)")
            #expect(full.stderr.contains("The bundle was not refused: run the merge again (and the 1 files after it, not tried)"))
            if limit == .fullFilesystem { #expect(full.stderr.contains("the disk is full")) }
            #expect(full.stdout.contains("NOT STORED \(big): "), "\(full.stdout)")
            #expect(!full.stdout.contains("REJECTED") && !full.stdout.contains("merged \(small)"))
            #expect(full.stdout.contains("0 rejected, 1 not stored, 1 not tried"))

            let store = try CentralStore.open(path: central, readOnly: true)
            #expect(try store.bundles().isEmpty, "no rejection is logged")
            #expect(try store.eventCount() == 0)
            #expect(try store.integrityCheck().isEmpty)

            let merged = try TerepProcess.run(["merge", "--central", central, big, small])
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(merged.stdout.contains("merged \(big): ") && merged.stdout.contains("merged \(small): "))
            let events = try store.eventCount()
            #expect(events > 0)
            let again = try TerepProcess.run(["merge", "--central", central, big, small])
            #expect(again.status == 0 && again.stdout.split(separator: "\n").filter { $0.hasPrefix("already merged ") }.count == 2)
            #expect(try store.eventCount() == events)
            #expect(try store.bundles().map(\.accepted) == [true, true])
        }

        /// `terep merge` with the central dataset's writes capped just above what it holds.
        private func mergeOnFullDisk(_ limit: DiskLimit, _ bundles: [String]) throws -> TerepProcess.Result {
            let terep = try TerepProcess.requireBinary().path
            switch limit {
            case .fileSizeLimit:
                // Every file terep writes (the WAL too) stops at 64 KB: EFBIG, an I/O error.
                return try Shell.run(
                    ["bash", "-c", "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"", terep, "merge", "--central", central] + bundles)
            case .fullFilesystem:
                // The dataset on a tmpfs with 64 KB to spare (beside the 32 KB shared-memory index), copied back after.
                let mount = dir.appendingPathComponent("tiny").path
                try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
                let script = """
                    mount -t tmpfs -o size=\(try kilobytes(central) + 32 + 64)k tmpfs "$1" && cp "$2" "$1/central.sqlite" || exit 99
                    shift 2; "$0" merge --central "$TINY/central.sqlite" "$@"; rc=$?
                    cp "$TINY"/central.sqlite* "$(dirname "$CENTRAL")/"; exit $rc
                    """
                return try TerepProcess.run(
                    executable: URL(fileURLWithPath: "/usr/bin/env"),
                    ["unshare", "-r", "-m", "sh", "-c", script, terep, mount, central] + bundles,
                    environment: ["TINY": mount, "CENTRAL": central])
            }
        }

        @Test("a full disk under the server: 503 with Retry-After, nothing refused; the device retries and merges once space is back")
        func aFullDiskUnderTheServer() async throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            try #require(DiskLimit.fullFilesystem.available, "staging a full file system needs user namespaces (unshare -r -m)")
            let device = try device(1, interviews: 60)
            // A copy of the device makes the same events into a bundle file, for a signed request of our own.
            let copy = dir.appendingPathComponent("copy.sqlite").path
            try FileManager.default.copyItem(atPath: device, toPath: copy)
            let body = try Data(contentsOf: URL(fileURLWithPath: try bundle(copy, "copy.terepbundle")))
            let stored = try #require(try DeviceStore.open(path: device, readOnly: true).signingKey())
            let key = try DeviceSigningKey(rawRepresentation: stored.privateKey)

            // The dataset on a tmpfs with 96 KB to spare beside a 2 MiB filler file, which is removed to free space.
            let mount = dir.appendingPathComponent("tiny").path
            try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
            let script = """
                mount -t tmpfs -o size=\(try kilobytes(central) + 32 + 96 + 2048)k tmpfs "$TINY" \
                && cp "$CENTRAL" "$TINY/central.sqlite" && head -c 2097152 /dev/zero > "$TINY/filler" || exit 99
                exec "$0" "$@"
                """
            let server = try ServerProcess(
                ["--central", mount + "/central.sqlite"], environment: ["TINY": mount, "CENTRAL": central],
                launcher: ["unshare", "-r", "-m", "sh", "-c", script])
            defer { server.stop() }
            let inside = "/proc/\(server.process.processIdentifier)/root" + mount

            var request = HTTPClientRequest(url: server.url + "/v1/bundles")
            request.method = .POST
            let signature = try RequestSignature.sign(
                method: "POST", path: "/v1/bundles", body: body, device: "lap-1", key: key,
                timestampMillis: Int64(Date().timeIntervalSince1970 * 1000))
            for header in signature.headers { request.headers.add(name: header.name, value: header.value) }
            request.body = .bytes(ByteBuffer(data: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            #expect(response.status.code == 503, "\(text)")
            #expect(response.headers.first(name: "Retry-After") == "5")
            #expect(text.hasPrefix("the server could not store the bundle, which was not refused: the device keeps it"), "\(text)")
            #expect(text.contains("the disk is full"), "\(text)")

            let once = try TerepProcess.run(["sync", "--server", server.url, "--device-db", device, "--retries", "0"])
            #expect(once.status == 75, "stdout: \(once.stdout)\nstderr: \(once.stderr)")
            #expect(once.stderr.contains("(last: HTTP 503: the server could not store the bundle"), "\(once.stderr)")
            #expect(try DeviceStore.open(path: device, readOnly: true).bundledThrough() == 0, "nothing marked as sent")
            #expect(try await notStored(server) == 2)

            // The device retries; space is freed after its first attempt; its next attempt merges.
            let url = server.url
            let sync = Task.detached {
                try TerepProcess.run(["sync", "--server", url, "--device-db", device, "--retries", "3"])
            }
            let deadline = Date().addingTimeInterval(60)
            while try await notStored(server) < 3, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            try FileManager.default.removeItem(atPath: inside + "/filler")
            let retried = try await sync.value
            #expect(retried.status == 0, "stdout: \(retried.stdout)\nstderr: \(retried.stderr)")
            #expect(retried.stdout.contains("upload: attempt 1 failed (HTTP 503: the server could not store the bundle"))
            #expect(retried.stdout.contains("upload: merged"), "\(retried.stdout)")
            let events = try DeviceStore.open(path: device, readOnly: true).info().nextSequence - 1
            #expect(try DeviceStore.open(path: device, readOnly: true).bundledThrough() == events)

            // The dataset, read inside the server's mount namespace (SQLite resolves /proc/PID/root to our own root).
            let status = try Shell.run([
                "nsenter", "-t", "\(server.process.processIdentifier)", "-U", "-m", "--preserve-credentials",
                try TerepProcess.requireBinary().path, "central", "status", "--central", mount + "/central.sqlite", "--format", "json",
            ])
            try #require(status.status == 0, "\(status.stderr)")
            let counts = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            #expect(counts["bundlesAccepted"] as? Int == 1 && counts["bundlesRejected"] as? Int == 0, "one merged, none refused")
            #expect(counts["events"] as? Int == Int(events))
            let metrics = try await metricsText(server)
            #expect(metrics.contains("terep_bundles_total{result=\"merged\"} 1\n"), "\(metrics)")
            #expect(metrics.contains("terep_bundles_total{result=\"rejected\"} 0\n"))
        }

        func metricsText(_ server: ServerProcess) async throws -> String {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: server.url + "/metrics"), timeout: .seconds(30))
            return String(buffer: try await response.body.collect(upTo: 1 << 20))
        }

        /// The uploads the server could not store so far.
        func notStored(_ server: ServerProcess) async throws -> Int {
            let line = try await metricsText(server).split(separator: "\n").first {
                $0.hasPrefix("terep_bundles_total{result=\"not-stored\"}")
            }
            return line.flatMap { $0.split(separator: " ").last.flatMap { Int($0) } } ?? -1
        }
    }
}
