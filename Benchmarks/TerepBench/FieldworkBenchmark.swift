import Fieldwork
import Foundation
import InterviewEngine
import SurveyCompiler
import SurveyExport
import SurveyModel
import SurveyStore

/// `terep export` end to end on a simulated central dataset (the wellbeing questionnaire):
/// `CleanedDataset` (read each interview's events, replay them through the engine, select,
/// clean) feeding `SurveyExportRun`, beside the baseline of only reading the same events from
/// the central dataset in the same run.
enum FieldworkBenchmark {
    static func run() throws {
        let count = Int(ProcessInfo.processInfo.environment["TEREP_BENCH_FIELDWORK_INTERVIEWS"] ?? "") ?? 2_000
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("terep-fieldwork-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let compiled = try SurveyLoader.load(path: "questionnaires/wellbeing.survey")
        let central = try CentralStore.initialize(path: folder.appendingPathComponent("central.sqlite").path)
        let device = DeviceID("lap-1")
        _ = try central.registerDevice(device, publicKey: Data([1]), method: .explicit)
        let events = try simulate(compiled, count: count, into: central, device: device)
        print("central dataset: \(count) simulated wellbeing interviews, \(events) events")

        let t0 = DispatchTime.now().uptimeNanoseconds
        var read = 0
        try central.forEachInterview { _, list in read += list.count }
        let readSeconds = MergeBenchmark.seconds(since: t0)
        print(
            "  baseline: read every interview's events  \(MergeBenchmark.rate(read, readSeconds)) events/s (\(MergeBenchmark.fmt(readSeconds)) s)"
        )

        for formats in [[ExportFormat.csv], [.sav], [.dta], [.csv, .sav, .dta, .jsonl]] {
            let dir = folder.appendingPathComponent("out-\(formats.map(\.rawValue).joined(separator: "-"))")
            // Replay every time (the cache is measured by `fieldwork-cache`).
            let dataset = try CleanedDataset(central: central, survey: compiled.definition.id, statuses: .all, cacheUse: .off)
            let t1 = DispatchTime.now().uptimeNanoseconds
            let report = try SurveyExportRun.run(dataset, ExportRequest(formats: formats, codebook: formats.count > 1, directory: dir))
            let s = MergeBenchmark.seconds(since: t1)
            let names = formats.map(\.rawValue).joined(separator: "+") + (formats.count > 1 ? "+codebook" : "")
            print(
                "  terep export \(names): \(report.summary.included) interviews in \(MergeBenchmark.fmt(s)) s = "
                    + "\(MergeBenchmark.rate(report.summary.included, s)) interviews/s, \(MergeBenchmark.rate(events, s)) events/s")
        }
        print("  peak RSS (VmHWM): \(String(format: "%.1f", ExportBenchmark.peakRSSMegabytes())) MB")
    }

    /// Simulates interviews with the real engine and merges them in bundles of 100 interviews.
    static func simulate(_ compiled: CompiledSurvey, count: Int, into central: CentralStore, device: DeviceID) throws -> Int {
        var rng = SystemRandomNumberGenerator()
        let simulator = InterviewSimulator(definition: compiled.definition)
        let definitions = [try DefinitionFile(compiled)]
        var sequence: Int64 = 0, total = 0
        var batch: [InterviewEvent] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            let receipt = BundleReceipt(
                hash: "b\(sequence)", fileName: "b\(sequence)", device: device, firstSequence: batch[0].sequence,
                lastSequence: sequence, receivedAt: 1)
            _ = try central.apply(events: batch, definitions: definitions, bundle: receipt)
            total += batch.count
            batch.removeAll(keepingCapacity: true)
        }
        for n in 0..<count {
            let id = InterviewID("bench-\(n)")
            let context = EngineContext(
                today: LocalDate(year: 2026, month: 9, day: 1), now: TimeOfDay(hour: 10, minute: 0), interviewer: "Sim")
            let run = simulator.run(
                seed: UInt64(n), context: context, startTimestamp: 1_790_000_000_000 + Int64(n) * 3_600_000, using: &rng)
            for e in run.events {
                sequence += 1
                var kind = e.kind
                if case .started(_, let s, let l, let p) = kind {
                    kind = .started(definition: compiled.hash, seed: s, language: l, preload: p)
                }
                batch.append(
                    InterviewEvent(
                        device: device, sequence: sequence, interview: id, timestamp: e.timestamp, interviewer: "Sim", kind: kind))
            }
            if n % 100 == 99 { try flush() }
        }
        try flush()
        return total
    }
}
