import Foundation
import SurveyExport
import SurveyModel

/// The export log written beside the files: what was selected and excluded and why, the
/// corrections applied (with the values they replaced), the personal-data mode, the
/// definitions used and the counts.
enum ExportLog {
    static func text(
        dataset: CleanedDataset, request: ExportRequest, schema: ExportSchema, summary: CleaningSummary, files: [URL],
        rows: [Int]?, commentsLeftOut: Int? = nil, created: Date
    ) -> String {
        var out: [String] = []
        let now = ISO8601DateFormatter().string(from: created)
        out.append("terep export of survey \(dataset.survey), \(now)")
        out.append("central dataset: \(dataset.central.location)")
        out.append("")
        out.append("## Definitions")
        let merged = Set(schema.versions.map(\.hash))
        for d in dataset.definitions {
            let mark = d.hash == dataset.schemaDefinition.hash ? " (schema)" : merged.contains(d.hash) ? " (merged into the schema)" : ""
            out.append("\(d.hash.rawValue) version \(d.definition.version): \(summary.byDefinition[d.hash] ?? 0) interviews\(mark)")
        }
        out.append("")
        if schema.versions.count > 1 { out += versions(schema) }
        out.append("## Selection")
        out.append("statuses selected: \(dataset.statuses)")
        out.append("interviews of the survey in the central dataset: \(dataset.interviewCount)")
        out.append("exported: \(summary.included) (with a multi-device conflict: \(summary.conflicts))")
        for (reason, n) in summary.excluded.sorted(by: { $0.key < $1.key }) { out.append("excluded, \(reason): \(n)") }
        out.append("test/training interviews (marked at the device): always excluded")
        out.append("")
        out.append("## Corrections")
        if let file = dataset.correctionsFile {
            out.append("file: \(file) (\(dataset.corrections?.entries.count ?? 0) instructions)")
            for e in summary.exclusions { out.append("line \(e.line): excluded \(e.interview): \(e.reason)") }
            for a in summary.applied {
                guard case .set(let address, let answer) = a.entry.action else { continue }
                let before = schema.logText(a.previous, of: address.variable)
                let after = schema.logText(answer, of: address.variable)
                out.append("line \(a.entry.line): \(a.entry.interview) \(address): \(before) -> \(after): \(a.entry.reason)")
            }
            for (entry, why) in summary.notApplied {
                out.append("line \(entry.line): not applied: interview \(entry.interview) is not in this export (\(why))")
            }
        } else {
            out.append("none")
        }
        out.append("")
        out.append("## Personal data")
        out.append("mode: \(request.pii.logText)")
        let piiVariables = schema.tables.flatMap(\.variables).filter(\.pii).map(\.name)
        if !schema.droppedPII.isEmpty { out.append("dropped: \(schema.droppedPII.map(\.rawValue).joined(separator: ", "))") }
        if !piiVariables.isEmpty { out.append("in the files: \(piiVariables.joined(separator: ", "))") }
        if let commentsLeftOut { out.append(comments(request.commentTexts, leftOut: commentsLeftOut)) }
        out.append("")
        out.append("## Files")
        for (i, table) in schema.tables.enumerated() {
            out.append("table \(table.name): \(rows.map { String($0[i]) } ?? "?") rows, \(table.variables.count) variables")
        }
        for f in files { out.append(f.lastPathComponent) }
        if !summary.skippedEvents.isEmpty {
            out.append("")
            out.append("## Events the engine refused during replay (skipped)")
            out += summary.skippedEvents
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// What happened to the interviewers' notes and confirmation reasons (free text that may name people).
    private static func comments(_ texts: CommentTexts, leftOut: Int) -> String {
        switch texts {
        case .leftOut:
            "comments: \(leftOut) notes and confirmation reasons left out (free text may name people); "
                + "--comments writes them to <survey>_comments.csv with names, phone numbers, e-mail addresses and the "
                + "interview's personal answers replaced by [name], [phone], [e-mail], [personal]"
        case .scrubbed:
            "comments: written (--comments) with names, phone numbers, e-mail addresses and the interview's personal answers "
                + "replaced by [name], [phone], [e-mail], [personal]; a heuristic: read them before passing them on"
                + (leftOut > 0 ? "; \(leftOut) on questions left out or pseudonymised are not written" : "")
        case .asTyped:
            "comments: as typed (--pii keep)" + (leftOut > 0 ? "; \(leftOut) on questions left out are not written" : "")
        }
    }

    /// What merging several questionnaire versions into one schema did (docs/exports.md).
    private static func versions(_ schema: ExportSchema) -> [String] {
        var out = ["## Versions"]
        out.append(
            "\(schema.versions.count) questionnaire versions in one schema, newest first: "
                + schema.versions.map(\.description).joined(separator: ", "))
        out.append(
            "rule: union of their variables in the newest version's order; labels from the newest version that has"
                + " the variable; types widened and value labels merged only where every value stays unchanged, else the"
                + " older values are kept apart in <name>_v<version>; iv_def_hash and iv_version say each row's version")
        if schema.versionNotes.isEmpty { out.append("the versions export identically") }
        out += schema.versionNotes.map(\.description)
        out.append("")
        return out
    }

}
