import Foundation

import enum SurveyModel.DisplayText

/// `terep report --format json`: the report's figures for scripts.
public enum FieldworkReportJSON {
    /// The report as pretty-printed JSON with sorted keys and a final newline.
    /// Names from bundles (interviewers, case ids) are made terminal-safe (``DisplayText/json(_:)``).
    public static func render(_ report: FieldworkReport) -> String { DisplayText.json(report) + "\n" }
}
