import Fieldwork
import Foundation
import InterviewEngine
import SurveyCompiler
import SurveyExport
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
            print(
                "    (\(report.selection.included) interviews, \(report.interviewers.count) interviewers, "
                    + "\(report.alerts.count) alerts)")
        }
        print(
            "  report warm = \(String(format: "%.2f", warm / baseline))× the baseline; cold = "
                + "\(String(format: "%.2f", cold / baseline))×")
        // The targets' `where` (the well-being booster left out), per record: the engine's
        // evaluation (`AnswerCondition`) against a hand-written test of the same answer, both on
        // cleaned records held in memory, so the pass over the dataset does not drown it.
        if let scope = compiled.definition.targets?.scope {
            var records: [SurveyExport.InterviewRecord] = []
            _ = try CleanedDataset(central: central, survey: survey, statuses: .all).forEach { record in
                if records.count < 2_000 { records.append(record) }
            }
            let condition = AnswerCondition(scope.condition, plan: InterviewPlan(compiled.definition))
            let rounds = total / max(1, records.count)
            func perRecord(_ label: String, _ test: (SurveyExport.InterviewRecord) -> Bool) -> Double {
                var hits = 0
                let t = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<rounds { for r in records where test(r) { hits += 1 } }
                let ns = Double(DispatchTime.now().uptimeNanoseconds - t) / Double(rounds * records.count)
                print("  \(label): \(String(format: "%.2f", ns / 1000)) µs per record (\(hits) in scope)")
                return ns
            }
            let source = Address("sample_source")
            let hand = perRecord("baseline: sample_source == 1 by hand") { $0.answers[source] == .value(.choice(1)) }
            let engine = perRecord("`where \(scope.text)` by AnswerCondition") { r in condition.holds { r.answers[Address($0)] } }
            let reportPerRecord = warm * 1e9 / Double(total)
            print(
                "  `where` = \(String(format: "%.1f", engine / hand))× the hand-written test; "
                    + "\(String(format: "%.2f", engine / reportPerRecord * 100))% of the warm report's time per interview")
        }
    }

    /// Runs `body`, prints its time, rate and peak memory; returns the seconds.
    static func timed(_ label: String, _ interviews: Int, _ body: () throws -> Void) throws -> Double {
        CleanedCacheBenchmark.resetPeakRSS()
        let t = DispatchTime.now().uptimeNanoseconds
        try body()
        let s = MergeBenchmark.seconds(since: t)
        print(
            "  \(label): \(MergeBenchmark.fmt(s)) s = \(MergeBenchmark.rate(interviews, s)) interviews/s; "
                + "peak RSS \(String(format: "%.1f", ExportBenchmark.peakRSSMegabytes())) MB")
        return s
    }
}
