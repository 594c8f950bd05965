import ArgumentParser
import Fieldwork
import Foundation
import SurveyReport
import SurveyStore

import struct SurveyModel.LanguageCode
import enum SurveyModel.LocalClock
import struct SurveyModel.LocalDate
import struct SurveyModel.SurveyID
import struct SurveyModel.TimeOfDay

/// `terep report`: fieldwork monitoring for coordinators (progress, quotas, outcomes and
/// response rates, interviewers' data quality, sync health, item non-response).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Fieldwork progress, quotas, response rates, interviewer data quality and sync health.",
        discussion: """
            Counts interviews of every status with the cleaning of `terep export --status all` (training \
            interviews and interviews the corrections file excludes left out), so its numbers match the \
            export's. Text fits 80 columns; -o report.html writes one self-contained HTML file with charts; \
            --format json gives the same figures for scripts. See docs/coordinator.md.
            """)

    /// The output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, html
    }

    @OptionGroup var central: CentralDatasetOptions
    @Option(help: "The survey id.") var survey: String
    @Option(help: "The report language (hu or en; default: the survey's first).") var lang: String?
    @Option(help: "text, json or html (default: text, or from the -o file's extension).") var format: Format?
    @Option(name: .shortAndLong, help: "Write the report to this file (.html and .json choose the format).")
    var output: String?
    @Option(help: "A corrections file (default: exports/<survey>.corrections, if present).") var corrections: String?
    @Option(help: "Flag questions whose don't know + refused share is above this (0–1).") var threshold = 0.10
    @Option(help: "The day the report counts as today, YYYY-MM-DD (default: the clock), for reproducible reports.")
    var today: String?
    @Option(help: "List open cases of the sample with no visit for this many days.") var staleDays = 7

    func run() throws {
        do {
            let (day, time) = try Self.now(today)
            let id = SurveyID(survey)
            let fix = try ExportRequest.corrections(explicit: corrections, survey: id, directory: URL(fileURLWithPath: "exports"))
            // Writable when possible, so the cache of cleaned records fills (a merge may run meanwhile).
            let store = try central.openForReading()
            var builder = FieldworkReportBuilder(
                central: store, survey: id, language: lang.map(LanguageCode.init), correctionsText: fix?.text,
                correctionsFile: fix?.path ?? "corrections", today: day, time: time, threshold: threshold)
            builder.staleDays = staleDays
            let report = try builder.build()
            let text = Self.render(report, format: try Self.format(format, output: output))
            if let output {
                do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                    throw FieldworkError.io(path: output, message: "cannot write the report: \(error.localizedDescription)")
                }
                print("Wrote the report of \(report.selection.included) interviews to \(output)")
            } else {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        }
    }

    /// The format asked for, else the output file's extension, else text.
    static func format(_ explicit: Format?, output: String?) throws(FieldworkError) -> Format {
        if let explicit { return explicit }
        guard let output else { return .text }
        switch URL(fileURLWithPath: output).pathExtension.lowercased() {
        case "html", "htm": return .html
        case "json": return .json
        default: return .text
        }
    }

    static func render(_ report: FieldworkReport, format: Format) -> String {
        switch format {
        case .text: FieldworkReportText.render(report, width: 80)
        case .json: FieldworkReportJSON.render(report)
        case .html: FieldworkReportHTML.render(report)
        }
    }

    /// `--today` (a day, or a day and time `YYYY-MM-DDTHH:MM`), else the local clock.
    static func now(_ text: String?) throws(FieldworkError) -> (LocalDate, TimeOfDay) {
        guard let text else {
            let moment = LocalClock.moment(at: Int64(time(nil)) * 1000)
            return (moment.date, moment.time)
        }
        let pieces = text.split(separator: "T", maxSplits: 1).map(String.init)
        guard let day = pieces.first.flatMap(LocalDate.init(iso:)) else {
            throw .usage("--today: '\(text)' is not a date; write it as YYYY-MM-DD, e.g. 2026-09-10")
        }
        guard pieces.count == 2 else { return (day, TimeOfDay(hour: 0, minute: 0)) }
        guard let time = TimeOfDay(text: pieces[1]) else {
            throw .usage("--today: '\(pieces[1])' is not a time of day; write it as HH:MM, e.g. 2026-09-10T18:00")
        }
        return (day, time)
    }
}
