import Fieldwork
import Foundation
import InterviewEngine
import SurveyCompiler
import SurveyModel
import SurveyStore
import SurveySync

/// Peak memory and time of `terep bundle create` and `terep merge` (their library calls,
/// `BundleExport.create` and `BundleMerger.merge`) on N simulated energy interviews (default
/// 5,000; TEREP_BENCH_BUNDLE_INTERVIEWS), encrypted, beside the baseline measured in the same
/// run: the same bundle made and merged with everything in memory (all events fetched, encoded
/// whole, read whole, applied as one array), which is how both commands worked before bundles
/// were streamed. The peak of each phase is VmHWM after resetting it before the phase, minus
/// nothing: it includes what the process held before (shown as "from").
enum BundleMemoryBenchmark {
    static func run() throws {
        let count = Int(ProcessInfo.processInfo.environment["TEREP_BENCH_BUNDLE_INTERVIEWS"] ?? "") ?? 5_000
        let folder = try CleanedCacheBenchmark.temporaryFolder("terep-bundle-memory-bench")
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        let compiled = try SurveyLoader.load(path: "questionnaires/energy.survey")
        let store = try DeviceSetup.create(path: path("device.sqlite"), deviceID: "laptop-07", interviewer: "Kiss Éva")
        try store.saveDefinition(compiled)
        var rng = SplitMix64(seed: 2026)
        var events = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        for n in 0..<count { events += try Simulation.one(compiled, number: n, store: store, rng: &rng).events }
        print("device: \(count) simulated energy interviews, \(events) events (\(MergeBenchmark.fmt(MergeBenchmark.seconds(since: t0))) s)")
        let coordinator = try CentralAdmin.create(path: path("central.sqlite")).encryption
        let baselineCoordinator = try CentralAdmin.create(path: path("central-baseline.sqlite")).encryption
        let key = try require(store.signingKey()).privateKey
        let signing = try DeviceSigningKey(rawRepresentation: key)

        // Streamed: what the commands do now.
        let created = try phase {
            guard
                case .wrote = try BundleExport.create(store: store, output: path("streamed.terepbundle"), recipient: coordinator, all: true)
            else { throw BenchFailure("nothing was bundled") }
        }
        let size = CleanedCacheBenchmark.fileMegabytes(path("streamed.terepbundle"))
        var merger = try BundleMerger.open(centralPath: path("central.sqlite"), trustNewDevices: true)
        let merged = try phase {
            let summary = merger.merge([path("streamed.terepbundle")])
            guard summary.merged == 1 else { throw BenchFailure("the streamed bundle did not merge: \(summary.text())") }
        }

        // Baseline: the same work with everything in memory.
        let info = try store.info()
        let createdInMemory = try phase {
            let all = try store.events(after: 0)
            var map: [InterviewID: DefinitionHash] = [:]
            for id in Set(all.map(\.interview)) { map[id] = try store.interview(id: id)?.definition }
            let contents = BundleContents(
                events: all, definitionFiles: [compiled.hash: try require(store.definitionData(hash: compiled.hash))],
                interviewDefinitions: map)
            let data = try BundleWriter.encode(
                contents, device: info.deviceID, signingKey: signing, recipient: baselineCoordinator, createdAtMillis: 1_780_000_000_000
            ).data
            try data.write(to: URL(fileURLWithPath: path("in-memory.terepbundle")))
        }
        let central = try CentralStore.open(path: path("central-baseline.sqlite"))
        let coordinatorKey = try CoordinatorPrivateKey(rawRepresentation: try require(central.encryptionKey()).privateKey)
        let mergedInMemory = try phase {
            let data = try Data(contentsOf: URL(fileURLWithPath: path("in-memory.terepbundle")))
            let verified = try BundleReader().read(
                data, file: "in-memory", devices: { _ in .registered(signing.publicKey) }, coordinatorKey: coordinatorKey)
            _ = try central.registerDevice(info.deviceID, publicKey: signing.publicKey.rawRepresentation, method: .explicit)
            let definitions = try verified.definitions.map { hash, survey in
                DefinitionFile(survey: survey, bytes: try require(verified.contents.definitionFiles[hash]))
            }
            _ = try central.apply(
                events: verified.contents.events, definitions: definitions,
                bundle: BundleReceipt(
                    hash: verified.id, fileName: "in-memory", device: info.deviceID, firstSequence: 1, lastSequence: Int64(events),
                    receivedAt: 1),
                interviewDefinitions: verified.contents.interviewDefinitions)
        }
        print("  bundle of \(events) events: \(size) MB on disk, encrypted (format 2)")
        for (name, streamed, baseline) in [
            ("bundle create", created, createdInMemory), ("merge (without the cleaned-record refresh)", merged, mergedInMemory),
        ] {
            print(
                "  \(name): streamed peak \(mb(streamed.peak)) MB (from \(mb(streamed.before))) in \(MergeBenchmark.fmt(streamed.seconds)) s"
                    + " | baseline in memory \(mb(baseline.peak)) MB (from \(mb(baseline.before))) in \(MergeBenchmark.fmt(baseline.seconds)) s"
            )
        }
    }

    struct Phase {
        var before: Double
        var peak: Double
        var seconds: Double
    }

    /// Runs `body` with the peak-RSS mark reset before it.
    static func phase(_ body: () throws -> Void) throws -> Phase {
        CleanedCacheBenchmark.resetPeakRSS()
        let before = CleanedCacheBenchmark.residentMegabytes()
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Phase(before: before, peak: ExportBenchmark.peakRSSMegabytes(), seconds: MergeBenchmark.seconds(since: t0))
    }

    static func mb(_ value: Double) -> String { String(format: "%.1f", value) }

    struct BenchFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// `#require` for the benchmark: the value, or a failure naming what was missing.
func require<T>(_ value: T?, _ what: String = #function) throws -> T {
    guard let value else { throw BundleMemoryBenchmark.BenchFailure("missing: \(what)") }
    return value
}
