import Fieldwork
import Foundation
import InterviewEngine
import SurveyCompiler
import SurveyExport
import SurveyModel
import SurveyReport
import SurveyStore

/// The cache of cleaned records (`CleanedDataset` + `cleaned_record`): a pass over every
/// interview with the cache off (replay only), cold (replay and fill the cache) and warm
/// (decode cached records), beside only reading the same events, in the same run.
enum CleanedCacheBenchmark {
    /// `fieldwork-cache`: the default-size dataset of `TerepBench fieldwork`.
    static func run() throws {
        let count = Int(ProcessInfo.processInfo.environment["TEREP_BENCH_FIELDWORK_INTERVIEWS"] ?? "") ?? 2_000
        let folder = try temporaryFolder("terep-cache-bench")
        defer { try? FileManager.default.removeItem(at: folder) }
        let compiled = try SurveyLoader.load(path: "questionnaires/wellbeing.survey")
        let central = try CentralStore.initialize(path: folder.appendingPathComponent("central.sqlite").path)
        let device = DeviceID("lap-1")
        _ = try central.registerDevice(device, publicKey: Data([1]), method: .explicit)
        let events = try FieldworkBenchmark.simulate(compiled, count: count, into: central, device: device)
        print("central dataset: \(count) simulated wellbeing interviews, \(events) events")
        try passes(central, survey: compiled.definition.id, interviews: count, events: events)

        for (label, clear) in [("cold", true), ("warm", false)] {
            if clear { try central.clearCleanedRecords() }
            let dir = folder.appendingPathComponent("out-\(label)")
            let dataset = try CleanedDataset(central: central, survey: compiled.definition.id, statuses: .all)
            let t = DispatchTime.now().uptimeNanoseconds
            let report = try SurveyExportRun.run(dataset, ExportRequest(formats: [.csv], directory: dir))
            let s = MergeBenchmark.seconds(since: t)
            print(
                "  terep export csv, cache \(label): \(report.summary.included) interviews in \(MergeBenchmark.fmt(s)) s = "
                    + "\(MergeBenchmark.rate(report.summary.included, s)) interviews/s (\(report.summary.cache.hits) cached)")
        }
        print("  peak RSS (VmHWM): \(String(format: "%.1f", ExportBenchmark.peakRSSMegabytes())) MB")
    }

    /// The raw read of every interview's events, then full passes: cache off, cold, warm.
    static func passes(_ central: CentralStore, survey: SurveyID, interviews: Int, events: Int) throws {
        let t0 = DispatchTime.now().uptimeNanoseconds
        var read = 0
        try central.forEachInterview { _, list in read += list.count }
        let readSeconds = MergeBenchmark.seconds(since: t0)
        print(
            "  baseline: read every interview's events  \(MergeBenchmark.fmt(readSeconds)) s = "
                + "\(MergeBenchmark.rate(interviews, readSeconds)) interviews/s, \(MergeBenchmark.rate(read, readSeconds)) events/s")
        let kinds: [(String, CleanedCacheUse, Bool, Bool)] = [
            ("cache off (replay)", .off, false, true), ("cold cache", .readWrite, true, true), ("warm cache", .readWrite, false, true),
            // What a report reads: the records' paradata and comments skipped, not decoded.
            ("warm cache, no paradata", .readWrite, false, false),
        ]
        for (label, use, clear, paradata) in kinds {
            if clear { try central.clearCleanedRecords() }
            resetPeakRSS()
            var dataset = try CleanedDataset(central: central, survey: survey, statuses: .all, cacheUse: use)
            dataset.withParadata = paradata
            let t = DispatchTime.now().uptimeNanoseconds
            var answers = 0
            let summary = try dataset.forEach { answers += $0.answers.count }
            let s = MergeBenchmark.seconds(since: t)
            print(
                "  CleanedDataset.forEach, \(label): \(summary.included) interviews (\(answers) answers) in \(MergeBenchmark.fmt(s)) s = "
                    + "\(MergeBenchmark.rate(summary.included, s)) interviews/s = \(String(format: "%.2f", s / readSeconds))× the read; "
                    + "cached \(summary.cache.hits), replayed \(summary.cache.replayed), stored \(summary.cache.stored); "
                    + "peak RSS \(String(format: "%.1f", ExportBenchmark.peakRSSMegabytes())) MB"
                    + (summary.cache.problem.map { "; cache problem: \($0)" } ?? ""))
        }
    }

    /// `report-scale`: a central dataset of 100,000 interviews (`TEREP_BENCH_REPORT_INTERVIEWS`):
    /// 1,000 distinct interviews simulated by the real engine (`TEREP_BENCH_REPORT_DISTINCT`),
    /// cloned under new interview ids on 100 devices, spread over 60 days from 2026-10-01,
    /// merged through `CentralStore.apply` in bundles of 100 interviews; then the steps of
    /// `TEREP_BENCH_REPORT_STEPS` (default `read,cold,warm,report-cold,report-warm`).
    /// `TEREP_BENCH_REPORT_CENTRAL=PATH` keeps the dataset at PATH, or reuses it if it exists,
    /// so a step can run alone in a fresh process (its peak RSS then is the step's own).
    static func runAtScale() throws {
        let env = ProcessInfo.processInfo.environment
        let total = Int(env["TEREP_BENCH_REPORT_INTERVIEWS"] ?? "") ?? 100_000
        let distinct = Int(env["TEREP_BENCH_REPORT_DISTINCT"] ?? "") ?? 1_000
        let steps = (env["TEREP_BENCH_REPORT_STEPS"] ?? "read,cold,warm,report-cold,report-warm").split(separator: ",").map(String.init)
        let folder = try temporaryFolder("terep-report-scale")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = env["TEREP_BENCH_REPORT_CENTRAL"] ?? folder.appendingPathComponent("central.sqlite").path
        let compiled = try SurveyLoader.load(path: "questionnaires/wellbeing.survey")
        let central: CentralStore
        if FileManager.default.fileExists(atPath: path) {
            central = try CentralStore.openForReading(path: path)
            print(
                "central dataset \(path): \(try central.status().interviews.values.reduce(0, +)) interviews, \(try central.eventCount()) events, "
                    + "\(fileMegabytes(path)) MB, \(try central.cleanedRecordCount()) cached records")
        } else {
            central = try CentralStore.initialize(path: path)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let events = try build(compiled, total: total, distinct: distinct, into: central)
            print(
                "central dataset: \(total) wellbeing interviews (\(distinct) simulated, cloned), \(events) events, "
                    + "built in \(MergeBenchmark.fmt(MergeBenchmark.seconds(since: t0))) s, \(fileMegabytes(path)) MB")
        }
        let survey = compiled.definition.id
        var readSeconds: Double?
        for step in steps {
            resetPeakRSS()
            let before = residentMegabytes()
            let t = DispatchTime.now().uptimeNanoseconds
            var line: String
            switch step {
            case "read":
                var read = 0, interviews = 0
                try central.forEachInterview { _, list in
                    read += list.count
                    interviews += 1
                }
                let s = MergeBenchmark.seconds(since: t)
                readSeconds = s
                line =
                    "baseline: read every interview's events: \(MergeBenchmark.fmt(s)) s = "
                    + "\(MergeBenchmark.rate(interviews, s)) interviews/s, \(MergeBenchmark.rate(read, s)) events/s"
            case "cold", "warm":
                if step == "cold" { try central.clearCleanedRecords() }
                let dataset = try CleanedDataset(central: central, survey: survey, statuses: .all)
                let summary = try dataset.forEach { _ in }
                let s = MergeBenchmark.seconds(since: t)
                line =
                    "CleanedDataset.forEach, \(step) cache: \(summary.included) interviews in \(MergeBenchmark.fmt(s)) s = "
                    + "\(MergeBenchmark.rate(summary.included, s)) interviews/s"
                    + (readSeconds.map { String(format: " = %.2f× the read", s / $0) } ?? "")
                    + "; cached \(summary.cache.hits), replayed \(summary.cache.replayed), stored \(summary.cache.stored)"
                    + (summary.cache.problem.map { "; cache problem: \($0)" } ?? "")
            case "report-cold", "report-warm":
                if step == "report-cold" { try central.clearCleanedRecords() }
                let builder = FieldworkReportBuilder(
                    central: central, survey: survey, today: LocalDate(year: 2026, month: 11, day: 29), time: TimeOfDay(hour: 20, minute: 0)
                )
                let report = try builder.build()
                let built = MergeBenchmark.seconds(since: t)
                let text = FieldworkReportText.render(report), html = FieldworkReportHTML.render(report)
                let s = MergeBenchmark.seconds(since: t)
                line =
                    "terep report \(step.dropFirst(7)) cache: build \(MergeBenchmark.fmt(built)) s + text and HTML "
                    + "\(MergeBenchmark.fmt(s - built)) s = \(MergeBenchmark.fmt(s)) s for \(report.selection.included) interviews "
                    + "(\(text.utf8.count / 1000) kB text, \(html.utf8.count / 1000) kB HTML)"
            case "refresh":
                let statistics = try CleanedDataset(central: central, survey: survey, statuses: .all).refreshCache()
                let s = MergeBenchmark.seconds(since: t)
                line =
                    "refreshCache (what terep merge runs after merging): replayed \(statistics.replayed), "
                    + "fresh \(statistics.hits) in \(MergeBenchmark.fmt(s)) s"
            case "evening":
                let day = Int(env["TEREP_BENCH_REPORT_DAY"] ?? "") ?? 500
                let events = try mergeDay(compiled, interviews: day, into: central)
                let merged = MergeBenchmark.seconds(since: t)
                let statistics = try CleanedDataset(central: central, survey: survey, statuses: .all).refreshCache()
                let s = MergeBenchmark.seconds(since: t)
                line =
                    "evening: merge a day of \(day) new interviews (\(events) events) \(MergeBenchmark.fmt(merged)) s, then "
                    + "refreshCache replayed \(statistics.replayed), fresh \(statistics.hits) in \(MergeBenchmark.fmt(s - merged)) s"
            default:
                print("  unknown step \(step) (read, cold, warm, refresh, evening, report-cold, report-warm)")
                continue
            }
            print(
                "  \(line); RSS \(String(format: "%.1f", before)) MB before, peak \(String(format: "%.1f", ExportBenchmark.peakRSSMegabytes())) MB"
            )
        }
        print("  file: \(fileMegabytes(path)) MB with \(try central.cleanedRecordCount()) cached records")
    }

    static func fileMegabytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0) / 1_000_000
    }

    /// The current resident set (VmRSS) in MB.
    static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kb / 1000
    }

    /// Simulates `distinct` interviews and merges `total` clones of them; returns the events merged.
    static func build(_ compiled: CompiledSurvey, total: Int, distinct: Int, into central: CentralStore) throws -> Int {
        var rng = SystemRandomNumberGenerator()
        let simulator = InterviewSimulator(definition: compiled.definition)
        let context = EngineContext(today: LocalDate(year: 2026, month: 10, day: 1), now: TimeOfDay(hour: 8, minute: 0), interviewer: "Sim")
        let start: Int64 = 1_790_834_400_000  // 2026-10-01 06:00 UTC
        let runs = (0..<distinct).map { n in
            simulator.run(seed: UInt64(n), context: context, startTimestamp: start, using: &rng).events
        }
        let definitions = [try DefinitionFile(compiled)]
        let perDevice = 1_000
        var merged = 0
        for d in 0..<(total + perDevice - 1) / perDevice {
            let device = DeviceID(String(format: "lap-%03d", d))
            _ = try central.registerDevice(device, publicKey: Data(device.rawValue.utf8), method: .explicit)
            var sequence: Int64 = 0
            var batch: [InterviewEvent] = []
            for k in 0..<min(perDevice, total - d * perDevice) {
                let n = d * perDevice + k
                let id = InterviewID(String(format: "rs-%06d", n))
                let shift = Int64(n % 60) * 86_400_000 + Int64((n / 60) % 480) * 60_000
                for e in runs[n % distinct] {
                    sequence += 1
                    var kind = e.kind
                    if case .started(_, let s, let l, let p) = kind {
                        kind = .started(definition: compiled.hash, seed: s, language: l, preload: p)
                    }
                    batch.append(
                        InterviewEvent(
                            device: device, sequence: sequence, interview: id, timestamp: e.timestamp + shift,
                            interviewer: "int-\(d % 40)", kind: kind))
                }
                if k % 100 == 99 || k == perDevice - 1 || n == total - 1 {
                    let receipt = BundleReceipt(
                        hash: "\(device)-\(sequence)", fileName: "\(device)-\(sequence)", device: device,
                        firstSequence: batch[0].sequence, lastSequence: sequence, receivedAt: 1)
                    _ = try central.apply(events: batch, definitions: definitions, bundle: receipt)
                    merged += batch.count
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        return merged
    }

    /// Merges `interviews` newly simulated interviews from a new device (one evening's bundle);
    /// returns the events merged.
    static func mergeDay(_ compiled: CompiledSurvey, interviews: Int, into central: CentralStore) throws -> Int {
        var rng = SystemRandomNumberGenerator()
        let simulator = InterviewSimulator(definition: compiled.definition)
        let context = EngineContext(
            today: LocalDate(year: 2026, month: 11, day: 29), now: TimeOfDay(hour: 9, minute: 0), interviewer: "Sim")
        let device = DeviceID("evening-\(UUID().uuidString.prefix(8))")
        _ = try central.registerDevice(device, publicKey: Data(device.rawValue.utf8), method: .explicit)
        var batch: [InterviewEvent] = []
        var sequence: Int64 = 0
        for n in 0..<interviews {
            let id = InterviewID("\(device)-\(n)")
            let start: Int64 = 1_795_939_200_000 + Int64(n) * 60_000  // 2026-11-29 06:00 UTC onwards
            for e in simulator.run(seed: UInt64(50_000 + n), context: context, startTimestamp: start, using: &rng).events {
                sequence += 1
                var kind = e.kind
                if case .started(_, let s, let l, let p) = kind {
                    kind = .started(definition: compiled.hash, seed: s, language: l, preload: p)
                }
                batch.append(
                    InterviewEvent(
                        device: device, sequence: sequence, interview: id, timestamp: e.timestamp, interviewer: "int-new", kind: kind))
            }
        }
        let receipt = BundleReceipt(
            hash: "\(device)-day", fileName: "\(device)-day", device: device, firstSequence: 1, lastSequence: sequence, receivedAt: 2)
        _ = try central.apply(events: batch, definitions: [try DefinitionFile(compiled)], bundle: receipt)
        return batch.count
    }

    static func temporaryFolder(_ prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Resets the kernel's peak-RSS mark (VmHWM), so the next reading covers one phase only.
    static func resetPeakRSS() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}
