import AsyncHTTPClient
import Fieldwork
import Foundation
import InterviewEngine
import NIOCore
import NIOFoundationCompat
import SurveyCompiler
import SurveyModel
import SurveyStore
import SurveySync

#if canImport(Glibc)
    import Glibc
#endif

/// 50 devices (TEREP_BENCH_DEVICES) each push a day's bundle (40 simulated well-being
/// interviews, TEREP_BENCH_DEVICE_INTERVIEWS; encrypted to the coordinator) at the same moment
/// to one real `terep server` on loopback — the `terep` executable built beside this benchmark,
/// over a SQLite central dataset — in one signed request each. Prints each request's time
/// (p50, p99, max), the wall time until all are merged and the server's resident memory (VmRSS
/// when idle before the uploads, VmHWM after them), beside the baseline measured in the same
/// run: the same 50 bundle files merged by `BundleMerger` in this process into a copy of the
/// same dataset, one after the other, as `terep merge` merges them (and the cache refreshed
/// once after, timed apart: the server cleans into the cache after sending its receipts). While
/// the uploads run, `GET /healthz` is asked every 20 ms, beside the same probe of the idle server.
///
/// Each device has its own connection, as 50 laptops would (an HTTP client's pool holds 8 per
/// host by default, which queued 42 uploads in this process and counted that wait as request
/// time), and the probe has a client of its own, so it never waits behind an upload here.
enum ServerLoadBenchmark {
    /// Uploads: one connection per device.
    static let uploads = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1024)))
    /// `GET /healthz`, apart from the uploads.
    static let probes = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)

    static func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let deviceCount = Int(environment["TEREP_BENCH_DEVICES"] ?? "") ?? 50
        let interviews = Int(environment["TEREP_BENCH_DEVICE_INTERVIEWS"] ?? "") ?? 40
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("terep")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw BundleMemoryBenchmark.BenchFailure(
                "\(binary.path) is missing: build the terep executable in the same configuration first (swift build [-c release] --product terep)"
            )
        }
        let folder = try CleanedCacheBenchmark.temporaryFolder("terep-server-load-bench")
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        let compiled = try SurveyLoader.load(path: "questionnaires/wellbeing.survey")
        let keys = try CentralAdmin.create(path: path("central.sqlite"))
        var bundles: [(device: DeviceID, key: DeviceSigningKey, data: Data)] = []
        var events = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        do {
            let central = try CentralStore.open(path: path("central.sqlite"))
            var rng = SplitMix64(seed: 2026)
            for d in 0..<deviceCount {
                let id = DeviceID(String(format: "laptop-%02d", d + 1))
                let store = try DeviceSetup.create(path: path("\(id).sqlite"), deviceID: id, interviewer: "int-\(d + 1)")
                try store.saveDefinition(compiled)
                for n in 0..<interviews { events += try Simulation.one(compiled, number: n, store: store, rng: &rng).events }
                let key = try DeviceSigningKey(rawRepresentation: try require(store.signingKey()).privateKey)
                try central.registerDevice(id, publicKey: key.publicKey.rawRepresentation, method: .explicit)
                let prepared = try require(try BundleExport.prepare(store: store, key: key, recipient: keys.encryption, all: true))
                try prepared.data.write(to: URL(fileURLWithPath: path("\(id).terepbundle")))
                bundles.append((id, key, prepared.data))
            }
        }
        try FileManager.default.copyItem(atPath: path("central.sqlite"), toPath: path("baseline.sqlite"))
        let megabytes = Double(bundles.reduce(0) { $0 + $1.data.count }) / 1_000_000
        print(
            "setup: \(deviceCount) devices × \(interviews) interviews, \(events) events, \(String(format: "%.1f", megabytes)) MB of bundles "
                + "(\(MergeBenchmark.fmt(MergeBenchmark.seconds(since: t0))) s)")

        let server = try StartedServer(binary: binary, central: path("central.sqlite"))
        defer { server.stop() }
        let idle = server.memory("VmRSS")
        let url = server.url
        let quiet = try waiting { try await probeHealth(url, while: nil) }
        let start = DispatchTime.now().uptimeNanoseconds
        let (times, busy) = try uploadAll(bundles, to: server.url)
        let wall = MergeBenchmark.seconds(since: start)
        let peak = server.memory("VmHWM")
        server.stop()
        let merged = try CentralStore.open(path: path("central.sqlite"), readOnly: true).eventCount()
        guard merged == events else { throw BundleMemoryBenchmark.BenchFailure("the server merged \(merged) of \(events) events") }

        var merger = try BundleMerger.open(centralPath: path("baseline.sqlite"), trustNewDevices: false)
        let b0 = DispatchTime.now().uptimeNanoseconds
        let summary = merger.merge(bundles.map { path("\($0.device).terepbundle") })
        let baseline = MergeBenchmark.seconds(since: b0)
        let refresh = merger.refreshCleanedRecords(after: summary)
        guard summary.merged == deviceCount else { throw BundleMemoryBenchmark.BenchFailure("baseline: \(summary.text())") }

        let sorted = times.sorted()
        print("  server, \(deviceCount) uploads at once: all merged (\(merged) events) in \(MergeBenchmark.fmt(wall)) s")
        print(
            "  request time: p50 \(MergeBenchmark.fmt(percentile(sorted, 0.5))) s, p99 \(MergeBenchmark.fmt(percentile(sorted, 0.99))) s, "
                + "max \(MergeBenchmark.fmt(sorted.last ?? 0)) s (goal: p99 < 2 s)")
        print(
            "  GET /healthz while the uploads merge: \(busy.count) probes, p50 \(milliseconds(percentile(busy, 0.5))) ms, "
                + "p99 \(milliseconds(percentile(busy, 0.99))) ms, max \(milliseconds(busy.last ?? 0)) ms; idle server, same run: "
                + "p50 \(milliseconds(percentile(quiet, 0.5))) ms, p99 \(milliseconds(percentile(quiet, 0.99))) ms "
                + "(store work runs on NIO's thread pool, so the event loops keep answering)")
        print(
            "  server resident memory: \(BundleMemoryBenchmark.mb(idle)) MB idle, peak \(BundleMemoryBenchmark.mb(peak)) MB (goal < 300 MB)"
        )
        print(
            "  baseline, terep merge of the same \(deviceCount) files in one process: \(MergeBenchmark.fmt(baseline)) s merging, then "
                + "\(MergeBenchmark.fmt(refresh?.seconds ?? 0)) s cleaning them into the cache (the server does that after its receipts)")
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
    }

    static func milliseconds(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }

    /// Posts every bundle at once, each signed as `terep sync` signs it: each request's seconds,
    /// and the sorted times of `GET /healthz` asked every 20 ms until the last answer.
    static func uploadAll(
        _ bundles: [(device: DeviceID, key: DeviceSigningKey, data: Data)], to url: String
    ) throws -> (uploads: [Double], health: [Double]) {
        let finished = Locked(false)
        return try waiting {
            async let health = probeHealth(url, while: finished)
            let times = try await withThrowingTaskGroup(of: Double.self) { group in
                for bundle in bundles {
                    group.addTask { try await upload(bundle, to: url) }
                }
                var times: [Double] = []
                for try await time in group { times.append(time) }
                return times
            }
            finished.set(true)
            return (times, try await health)
        }
    }

    /// The sorted times of `GET /healthz`, asked every 20 ms until `running` turns true (200 times
    /// when it is nil).
    static func probeHealth(_ url: String, while running: Locked<Bool>?) async throws -> [Double] {
        var times: [Double] = []
        while running.map({ !$0.get() }) ?? (times.count < 200) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let response = try await probes.execute(HTTPClientRequest(url: url + "/healthz"), timeout: .seconds(600))
            _ = try await response.body.collect(upTo: 1024)
            times.append(MergeBenchmark.seconds(since: t0))
            try await Task.sleep(for: .milliseconds(20))
        }
        return times.sorted()
    }

    /// Runs `work` in a task and waits for it on this thread.
    static func waiting<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Locked<Result<T, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { result.set(.success(try await work())) } catch { result.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try require(result.get()).get()
    }

    static func upload(_ bundle: (device: DeviceID, key: DeviceSigningKey, data: Data), to url: String) async throws -> Double {
        let signature = try RequestSignature.sign(
            method: "POST", path: "/v1/bundles", body: bundle.data, device: bundle.device, key: bundle.key,
            timestampMillis: DeviceStore.currentMilliseconds())
        var request = HTTPClientRequest(url: url + "/v1/bundles")
        request.method = .POST
        for header in signature.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(data: bundle.data))
        let t0 = DispatchTime.now().uptimeNanoseconds
        let response = try await uploads.execute(request, timeout: .seconds(600))
        let body = try await response.body.collect(upTo: 1 << 20)
        let seconds = MergeBenchmark.seconds(since: t0)
        guard response.status.code == 200, String(buffer: body).contains("\"status\":\"merged\"") else {
            throw BundleMemoryBenchmark.BenchFailure("\(bundle.device): HTTP \(response.status.code) \(String(buffer: body))")
        }
        return seconds
    }
}

/// A `terep server` process on a loopback port the system picks.
final class StartedServer {
    let process = Process()
    let url: String

    init(binary: URL, central: String) throws {
        process.executableURL = binary
        process.arguments = ["server", "--central", central, "--listen", "127.0.0.1:0"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("listening on http://127.0.0.1:"), process.isRunning {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: "listening on http://127.0.0.1:") else {
            process.terminate()
            throw BundleMemoryBenchmark.BenchFailure("terep server did not start: \(text)")
        }
        url = "http://127.0.0.1:" + text[range.upperBound...].prefix { $0.isNumber }
    }

    /// A memory figure of the server from /proc (VmRSS, VmHWM) in MB.
    func memory(_ field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kb / 1000
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}

/// A value shared between a task and the thread waiting for it.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func set(_ new: Value) { lock.lock(); value = new; lock.unlock() }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
}
