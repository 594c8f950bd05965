import ArgumentParser
import Fieldwork
import Foundation
import SurveyStore

import struct SurveyModel.GroupID
import struct SurveyModel.LanguageCode
import struct SurveyModel.SurveyID

/// `terep export`: cleaned interviews of one survey to CSV, SPSS, Stata, JSON Lines and a codebook.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a survey's cleaned interviews for analysts (CSV, SPSS, Stata, JSON Lines, codebook).",
        discussion: """
            Only completed interviews by default; answers off route are -7 and never exported as values; \
            multi-device conflicts resolved by the central rule (iv_conflict = 1). Applies \
            <survey>.corrections from the output directory or exports/ (or --corrections FILE) and writes \
            <survey>_export.log beside the files. See docs/exports.md.
            """)

    @OptionGroup var central: CentralDatasetOptions
    @Option(help: "The survey id.") var survey: String
    @Option(
        help:
            "csv, sav, dta, jsonl, codebook or ddi (repeat or separate with commas); sav and dta add the CSV and the .sps/.do that rebuild them from it."
    ) var format: [String]
    @Flag(help: "CSV for Hungarian Excel: a BOM, ';' and a decimal comma.") var excel = false
    @Option(help: "The label language (hu or en; default: the survey's first).") var lang: String?
    @Option(
        name: .customLong("survey-version"),
        help: "A definition hash (or prefix), or all (every version merged into one schema; see docs/exports.md).")
    var surveyVersion = "all"
    @Option(help: "completed, all, or statuses (ended, in_progress) and outcome codes, comma-separated.")
    var status = "completed"
    @Option(help: "Personal data: drop, pseudonymise or keep.") var pii = "drop"
    @Option(
        name: .customLong("pii-key"),
        help:
            "The secret key file for keyed pseudonyms (--pii pseudonymise, and identifiers under --pii drop; without it they get a one-time key)."
    ) var piiKey: String?
    @Option(help: "A corrections file (default: <survey>.corrections in -o DIR or exports/, if present).")
    var corrections: String?
    @Option(help: "A small top-level roster to export wide, in the interview table (repeat or separate with commas).")
    var wide: [String] = []
    @Flag(
        help:
            "Also write the interviewers' notes and confirmation reasons (<survey>_comments.csv) under --pii drop or pseudonymise, with what looks like names, phone numbers and e-mail addresses replaced by a marker (see docs/exports.md)."
    )
    var comments = false
    @Flag(help: "Replace the files of an earlier export.") var force = false
    @Option(name: .shortAndLong, help: "The output directory.") var output: String

    func run() throws {
        do {
            let dir = URL(fileURLWithPath: output), id = SurveyID(survey)
            let (formats, codebook, ddi) = try ExportRequest.formats(format, excel: excel)
            var request = ExportRequest(
                formats: formats, codebook: codebook, language: lang.map(LanguageCode.init),
                pii: try ExportRequest.pii(pii, keyFile: piiKey), directory: dir, force: force)
            request.ddi = ddi
            request.comments = comments
            request.wideRosters = wide.flatMap { $0.split(separator: ",").map { GroupID(String($0)) } }
            let fix = try ExportRequest.corrections(explicit: corrections, survey: id, directory: dir)
            // Writable when possible, so the cache of cleaned records fills (a merge may run meanwhile).
            let store = try central.openForReading()
            let dataset = try CleanedDataset(
                central: store, survey: id, version: VersionSelection(parsing: surveyVersion),
                statuses: try StatusSelection(parsing: status), correctionsText: fix?.text, correctionsFile: fix?.path ?? "")
            let progress = Console.progress()
            let report = try SurveyExportRun.run(dataset, request) { done, total in
                progress.update("exporting", done: done, of: total, "interviews")
            }
            progress.finish()
            print(
                "Exported \(report.summary.included) interviews to \(dir.path) (\(report.files.count) files; log: \(report.log.lastPathComponent))"
            )
            if report.versions.count > 1 {
                let apart = report.separatedVariables
                print(
                    "\(report.versions.count) questionnaire versions merged (newest: \(report.versions[0]))"
                        + (apart.isEmpty ? "" : "; older values kept apart in \(apart.joined(separator: ", "))") + "; see the log")
            }
        }
    }
}
