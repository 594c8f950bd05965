import Fieldwork
import Foundation
import SurveyCompiler
import SurveyExport
import SurveyModel
import SurveyStore

/// `cold-clean` (issue 16, "cold cleaning"): the first cleaning of a dataset's interviews —
/// what `terep merge` runs after merging new interviews (`CleanedDataset.refreshCache`) and what
/// `terep export` pays with the cache of cleaned records emptied — beside the raw floor of the
/// same run: `sqlite3 -csv` dumping every event of the central dataset (a whole process, as in
/// the issue). `TEREP_BENCH_COLD_INTERVIEWS` energy interviews (default 5,000) simulated by the
/// real engine; CPU seconds (user + system) for each, and the ratio to the dump.
enum ColdCleanBenchmark {
    static func run() throws {
        let count = Int(ProcessInfo.processInfo.environment["TEREP_BENCH_COLD_INTERVIEWS"] ?? "") ?? 5_000
        let folder = try CleanedCacheBenchmark.temporaryFolder("terep-cold-clean")
        defer { try? FileManager.default.removeItem(at: folder) }
        let compiled = try SurveyLoader.load(path: "questionnaires/energy.survey")
        let path = folder.appendingPathComponent("central.sqlite").path
        let central = try CentralStore.initialize(path: path)
        let device = DeviceID("lap-1")
        _ = try central.registerDevice(device, publicKey: Data([1]), method: .explicit)
        let events = try FieldworkBenchmark.simulate(compiled, count: count, into: central, device: device)
        print("central dataset: \(count) simulated energy interviews, \(events) events, \(CleanedCacheBenchmark.fileMegabytes(path)) MB")

        let dumpFile = folder.appendingPathComponent("events.csv")
        let dump = try measure {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            p.arguments = ["-csv", path, "SELECT * FROM event"]
            _ = FileManager.default.createFile(atPath: dumpFile.path, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: dumpFile)
            try p.run()
            p.waitUntilExit()
        }
        print("  baseline: sqlite3 -csv of every event: \(dump)")

        try central.clearCleanedRecords()
        var refreshed = CleanedCacheStatistics()
        let refresh = try measure {
            refreshed = try CleanedDataset(central: central, survey: compiled.definition.id, statuses: .all).refreshCache()
        }
        print(
            "  cold cleaning (what terep merge runs after a merge): \(refreshed.replayed) interviews replayed and stored: "
                + "\(refresh) = \(MergeBenchmark.rate(refreshed.replayed, refresh.wall)) interviews/s = \(refresh.ratio(to: dump)) the dump"
        )

        try central.clearCleanedRecords()
        var included = 0
        let export = try measure {
            let dataset = try CleanedDataset(central: central, survey: compiled.definition.id, statuses: .all)
            let report = try SurveyExportRun.run(dataset, ExportRequest(formats: [.csv], directory: folder.appendingPathComponent("out")))
            included = report.summary.included
        }
        print("  terep export csv, cache emptied: \(included) interviews: \(export) = \(export.ratio(to: dump)) the dump")
        print("  peak RSS (VmHWM): \(String(format: "%.1f", ExportBenchmark.peakRSSMegabytes())) MB")
    }

    struct Cost: CustomStringConvertible {
        var wall: Double
        var cpu: Double
        var description: String { String(format: "%.2f s CPU (%.2f s wall)", cpu, wall) }
        func ratio(to baseline: Cost) -> String { String(format: "%.1f×", cpu / baseline.cpu) }
    }

    /// Wall time and CPU time (user + system) of this process and its waited-for children.
    static func measure(_ body: () throws -> Void) throws -> Cost {
        func seconds(_ u: rusage) -> Double {
            Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
        }
        func cpu() -> Double {
            var own = rusage(), children = rusage()
            getrusage(RUSAGE_SELF.rawValue, &own)
            getrusage(RUSAGE_CHILDREN.rawValue, &children)
            return seconds(own) + seconds(children)
        }
        let c0 = cpu(), t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Cost(wall: MergeBenchmark.seconds(since: t0), cpu: cpu() - c0)
    }
}
