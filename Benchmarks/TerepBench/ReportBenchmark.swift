import Fieldwork
import Foundation
import SurveyCompiler
import SurveyModel
import SurveyStore

/// `terep report`'s figures (``FieldworkReportBuilder``) on the `report-scale` dataset, beside a
/// bare pass over the same cleaned records in the same run.
enum ReportBenchmark {
    /// `report`: 100,000 interviews (`TEREP_BENCH_REPORT_INTERVIEWS`, cloned from
    /// `TEREP_BENCH_REPORT_DISTINCT` simulated ones) on 100 devices; the report with the cache
    /// of cleaned records cold (replay) and warm, and the baseline: `CleanedDataset.forEach`
    /// doing nothing with the records (warm).
    static func run() throws {
        let env = ProcessInfo.processInfo.environment
        let total = Int(env["TEREP_BENCH_REPORT_INTERVIEWS"] ?? "") ?? 100_000
        let distinct = Int(env["TEREP_BENCH_REPORT_DISTINCT"] ?? "") ?? 1_000
        let folder = try CleanedCacheBenchmark.temporaryFolder("terep-report-bench")
        defer { try? FileManager.default.removeItem(at: folder) }
        let compiled = try SurveyLoader.load(path: "questionnaires/wellbeing.survey")
        let central = try CentralStore.initialize(path: folder.appendingPathComponent("central.sqlite").path)
        let events = try CleanedCacheBenchmark.build(compiled, total: total, distinct: distinct, into: central)
        print("central dataset: \(total) wellbeing interviews (\(distinct) simulated, cloned), \(events) events")
        let survey = compiled.definition.id
        let builder = FieldworkReportBuilder(central: central, survey: survey, today: LocalDate(year: 2026, month: 11, day: 1))

        try central.clearCleanedRecords()
        let cold = try timed("terep report figures, cache cold", total) { _ = try builder.build() }
        let baseline = try timed("baseline: CleanedDataset.forEach, cache warm", total) {
            _ = try CleanedDataset(central: central, survey: survey, statuses: .all).forEach { _ in }
        }
        let warm = try timed("terep report figures, cache warm", total) {
            let report = try builder.build()
            print("    (\(report.selection.included) interviews, \(report.interviewers.count) interviewers, "
                + "\(report.alerts.count) alerts)")
        }
        print("  report warm = \(String(format: "%.2f", warm / baseline))× the baseline; cold = "
            + "\(String(format: "%.2f", cold / baseline))×")
    }

    /// Runs `body`, prints its time, rate and peak memory; returns the seconds.
    static func timed(_ label: String, _ interviews: Int, _ body: () throws -> Void) throws -> Double {
        CleanedCacheBenchmark.resetPeakRSS()
        let t = DispatchTime.now().uptimeNanoseconds
        try body()
        let s = MergeBenchmark.seconds(since: t)
        print("  \(label): \(MergeBenchmark.fmt(s)) s = \(MergeBenchmark.rate(interviews, s)) interviews/s; "
            + "peak RSS \(String(format: "%.1f", ExportBenchmark.peakRSSMegabytes())) MB")
        return s
    }
}
