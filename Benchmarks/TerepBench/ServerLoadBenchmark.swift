import AsyncHTTPClient
import Fieldwork
import Foundation
import InterviewEngine
import NIOCore
import NIOFoundationCompat
import SurveyCompiler
import SurveyModel
import SurveyStore
import SurveyStorePostgres
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
/// `TEREP_BENCH_POSTGRES=1` puts both datasets in PostgreSQL (`TEREP_TEST_POSTGRES_URL`, two
/// schemas made for the run) and `TEREP_BENCH_SERVERS=N` then runs N server processes over the
/// one database, the n-th device uploading to the (n mod N)-th.
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
        let place = try Place(folder: folder, environment: environment)
        let keys = try place.create()
        var bundles: [(device: DeviceID, key: DeviceSigningKey, data: Data)] = []
        var events = 0
        var payloads: [Int] = []
        let t0 = DispatchTime.now().uptimeNanoseconds
        do {
            let centrals = try place.centrals()
            var rng = SplitMix64(seed: 2026)
            for d in 0..<deviceCount {
                let id = DeviceID(String(format: "laptop-%02d", d + 1))
                let store = try DeviceSetup.create(path: path("\(id).sqlite"), deviceID: id, interviewer: "int-\(d + 1)")
                try store.saveDefinition(compiled)
                for n in 0..<interviews { events += try Simulation.one(compiled, number: n, store: store, rng: &rng).events }
                let key = try DeviceSigningKey(rawRepresentation: try require(store.signingKey()).privateKey)
                for central in centrals { try central.registerDevice(id, publicKey: key.publicKey.rawRepresentation, method: .explicit) }
                let prepared = try require(try BundleExport.prepare(store: store, key: key, recipient: keys.encryption, all: true))
                try prepared.data.write(to: URL(fileURLWithPath: path("\(id).terepbundle")))
                payloads.append(prepared.manifest.payload.uncompressedSize)
                bundles.append((id, key, prepared.data))
            }
        }
        try place.copyBaseline()
        let megabytes = Double(bundles.reduce(0) { $0 + $1.data.count }) / 1_000_000
        print(
            "setup: \(deviceCount) devices × \(interviews) interviews, \(events) events, \(String(format: "%.1f", megabytes)) MB of bundles "
                + "(\(MergeBenchmark.fmt(MergeBenchmark.seconds(since: t0))) s); payloads inflated: largest "
                + "\(mebibytes(payloads.max() ?? 0)) MiB, \(payloads.filter { $0 > BundleMerger.decodedFirstDefault }.count) "
                + "above the \(mebibytes(BundleMerger.decodedFirstDefault)) MiB decoded before the write (streamed instead)")

        let servers = try (0..<place.servers).map { _ in try StartedServer(binary: binary, central: place.central) }
        defer { for server in servers { server.stop() } }
        let idle = servers.map { $0.memory("VmRSS") }.max() ?? -1
        let url = servers[0].url
        let quiet = try waiting { try await probeHealth(url, while: nil) }
        let cpu0 = servers.map { $0.cpuSeconds() }.reduce(0, +)
        let start = DispatchTime.now().uptimeNanoseconds
        let (times, busy) = try uploadAll(bundles, to: servers.map(\.url))
        let wall = MergeBenchmark.seconds(since: start)
        let cpu = servers.map { $0.cpuSeconds() }.reduce(0, +) - cpu0
        let peak = servers.map { $0.memory("VmHWM") }.max() ?? -1
        for server in servers { server.stop() }
        let merged = try place.open(place.central, readOnly: true).eventCount()
        guard merged == events else { throw BundleMemoryBenchmark.BenchFailure("the server merged \(merged) of \(events) events") }

        var merger = try BundleMerger.open(central: try place.open(place.baseline), trustNewDevices: false)
        let b0 = DispatchTime.now().uptimeNanoseconds
        let c0 = threadCPUSeconds()
        let summary = merger.merge(bundles.map { path("\($0.device).terepbundle") })
        let baseline = MergeBenchmark.seconds(since: b0)
        let baselineCPU = threadCPUSeconds() - c0
        let refresh = merger.refreshCleanedRecords(after: summary)
        guard summary.merged == deviceCount else { throw BundleMemoryBenchmark.BenchFailure("baseline: \(summary.text())") }
        let largest = zip(bundles, payloads).sorted { $0.1 > $1.1 }.prefix(decodedPlaces)
        let held = try heldDecoded(largest.map { path("\($0.0.device).terepbundle") }, key: merger.coordinatorKey)

        let sorted = times.sorted()
        print(
            "  \(place.servers) server process\(place.servers == 1 ? "" : "es") over \(place.kind), \(deviceCount) uploads at once: "
                + "all merged (\(merged) events) in \(MergeBenchmark.fmt(wall)) s")
        print(
            "  request time: p50 \(MergeBenchmark.fmt(percentile(sorted, 0.5))) s, p99 \(MergeBenchmark.fmt(percentile(sorted, 0.99))) s, "
                + "max \(MergeBenchmark.fmt(sorted.last ?? 0)) s (goal: p99 < 2 s)")
        print(
            "  GET /healthz while the uploads merge: \(busy.count) probes, p50 \(milliseconds(percentile(busy, 0.5))) ms, "
                + "p99 \(milliseconds(percentile(busy, 0.99))) ms, max \(milliseconds(busy.last ?? 0)) ms; idle server, same run: "
                + "p50 \(milliseconds(percentile(quiet, 0.5))) ms, p99 \(milliseconds(percentile(quiet, 0.99))) ms "
                + "(store work runs on NIO's thread pool, so the event loops keep answering)")
        print(
            "  server resident memory\(place.servers == 1 ? "" : " (the largest of the servers)"): \(BundleMemoryBenchmark.mb(idle)) MB idle, "
                + "peak \(BundleMemoryBenchmark.mb(peak)) MB (goal < 300 MB)"
        )
        print(
            "  the \(largest.count) largest payloads (\(mebibytes(largest.reduce(0) { $0 + $1.1 })) MiB inflated) held decoded at once, as the "
                + "server's \(decodedPlaces) places can hold them: \(BundleMemoryBenchmark.mb(held)) MB allocated in this process")
        print(
            "  CPU time (user + system): the server\(place.servers == 1 ? "" : "s") \(MergeBenchmark.fmt(cpu)) s during the uploads "
                + "(every thread: receiving, checking, decoding, writing); the baseline's merge \(MergeBenchmark.fmt(baselineCPU)) s")
        print(
            "  baseline, terep merge of the same \(deviceCount) files in one process: \(MergeBenchmark.fmt(baseline)) s merging, then "
                + "\(MergeBenchmark.fmt(refresh?.seconds ?? 0)) s cleaning them into the cache (the server does that after its receipts)")
    }

    static func mebibytes(_ bytes: Int) -> String { String(format: "%.2f", Double(bytes) / 1_048_576) }

    /// How many uploads the server holds decoded at most (`SyncServer.decodedPlaces`).
    static let decodedPlaces = 16

    /// How much this process's resident memory (MB) grows by holding `files` decoded at once —
    /// as the server's places hold bundles between their check and their write: the most the
    /// decoded-first path can hold, whatever the timing of one run. glibc's free memory is
    /// returned to the system first (`malloc_trim`), so the growth is not hidden in memory freed
    /// by the work before.
    static func heldDecoded(_ files: [String], key: CoordinatorPrivateKey?) throws -> Double {
        typealias Trim = @convention(c) (Int) -> Int32
        if let trim = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") { _ = unsafeBitCast(trim, to: Trim.self)(0) }
        let before = CleanedCacheBenchmark.residentMegabytes()
        let held = try files.map { try BundleReader().open(path: $0).unseal(coordinatorKey: key) }
        let after = CleanedCacheBenchmark.residentMegabytes()
        withExtendedLifetime(held) {}
        return after - before
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
    }

    /// The calling thread's CPU time (the baseline merges on this thread).
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func milliseconds(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }

    /// Posts every bundle at once (the n-th to the n-th server, round the list), each signed as
    /// `terep sync` signs it: each request's seconds,
    /// and the sorted times of `GET /healthz` asked every 20 ms until the last answer.
    static func uploadAll(
        _ bundles: [(device: DeviceID, key: DeviceSigningKey, data: Data)], to urls: [String]
    ) throws -> (uploads: [Double], health: [Double]) {
        let finished = Locked(false)
        return try waiting {
            async let health = probeHealth(urls[0], while: finished)
            let times = try await withThrowingTaskGroup(of: Double.self) { group in
                for (n, bundle) in bundles.enumerated() {
                    group.addTask { try await upload(bundle, to: urls[n % urls.count]) }
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

extension ServerLoadBenchmark {
    /// Where the central datasets are: SQLite files in the benchmark's folder, or
    /// (`TEREP_BENCH_POSTGRES=1`) two schemas of the PostgreSQL server `TEREP_TEST_POSTGRES_URL`
    /// names (`scripts/pg-test-cluster.sh`); and how many server processes serve the uploads
    /// (`TEREP_BENCH_SERVERS`, PostgreSQL only: a SQLite dataset takes one server).
    struct Place {
        let central: String
        let baseline: String
        let servers: Int
        var postgres: Bool { central.hasPrefix("postgres") }
        var kind: String { postgres ? "PostgreSQL" : "SQLite" }

        init(folder: URL, environment: [String: String]) throws {
            servers = max(1, Int(environment["TEREP_BENCH_SERVERS"] ?? "") ?? 1)
            if environment["TEREP_BENCH_POSTGRES"] == "1" {
                guard let base = environment["TEREP_TEST_POSTGRES_URL"], !base.isEmpty else {
                    throw BundleMemoryBenchmark.BenchFailure(
                        "TEREP_BENCH_POSTGRES=1 needs a PostgreSQL server: eval \"$(scripts/pg-test-cluster.sh start)\"")
                }
                let tag = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
                let separator = base.contains("?") ? "&" : "?"
                central = base + separator + "schema=serverload_\(tag)"
                baseline = base + separator + "schema=serverload_baseline_\(tag)"
            } else {
                central = folder.appendingPathComponent("central.sqlite").path
                baseline = folder.appendingPathComponent("baseline.sqlite").path
            }
            guard servers == 1 || postgres else {
                throw BundleMemoryBenchmark.BenchFailure("TEREP_BENCH_SERVERS above 1 needs TEREP_BENCH_POSTGRES=1")
            }
        }

        /// Makes the server's dataset (and on PostgreSQL the baseline's, with the same coordinator key).
        func create() throws -> CentralAdmin.Keys {
            guard postgres else { return try CentralAdmin.create(path: central) }
            var pair: SigningKeyPair?
            let keys = try CentralAdmin.create { new throws(StoreError) in
                pair = new
                return try PostgresCentralStore.initialize(url: central, encryptionKey: new)
            }
            _ = try PostgresCentralStore.initialize(url: baseline, encryptionKey: pair)
            return keys
        }

        /// The datasets the devices are registered in (the baseline's is a copy on SQLite).
        func centrals() throws -> [any CentralDataset] { postgres ? [try open(central), try open(baseline)] : [try open(central)] }

        /// The baseline's dataset as the server's was before the uploads.
        func copyBaseline() throws { if !postgres { try FileManager.default.copyItem(atPath: central, toPath: baseline) } }

        func open(_ location: String, readOnly: Bool = false) throws -> any CentralDataset {
            postgres
                ? try PostgresCentralStore.open(url: location, readOnly: readOnly)
                : try CentralStore.open(path: location, readOnly: readOnly)
        }
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

    /// The server's CPU time so far, user and system, all threads (/proc/PID/stat), in seconds.
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return -1 }
        // After "(comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return -1 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
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
