import Foundation

/// `terep report --format json`: the report's figures for scripts.
public enum FieldworkReportJSON {
    /// The report as pretty-printed JSON with sorted keys and a final newline.
    public static func render(_ report: FieldworkReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Every field is a plain value type: encoding cannot fail.
        guard let data = try? encoder.encode(report) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
