import Foundation
import SurveyModel

/// The decompressed package payload (docs/package-format.md §3):
///
/// ```
/// terep-package-payload 1\n
/// definition <hash> <byte length>\n<compiled-survey file bytes>\n     (as in a bundle)
/// cases <count>\n    {"case":"W-0042","changedAt":…,"changedBy":"…","definition":"…","preload":{…},"state":"assigned","survey":"wellbeing"}\n …
/// reviews <count>\n  {"actor":"…","at":…,"decision":"rejected","interview":"…","reviewedDevice":"…",…}\n …
/// ```
enum PackagePayload {
    static let header = "terep-package-payload 1"

    static func encode(_ contents: PackageContents) throws(BundleError.Kind) -> Data {
        var out = Data(header.utf8)
        out.append(0x0A)
        BundlePayload.appendDefinitions(contents.definitionFiles, to: &out)
        let encoder = SurveyDefinition.canonicalEncoder()
        out.append(Data("cases \(contents.cases.count)\n".utf8))
        for item in contents.cases.sorted(by: { ($0.survey, $0.id) < ($1.survey, $1.id) }) {
            guard let line = try? encoder.encode(item) else { throw .io("could not encode case \(item.id)") }
            out.append(line)
            out.append(0x0A)
        }
        out.append(Data("reviews \(contents.reviews.count)\n".utf8))
        for mark in contents.reviews.sorted(by: { $0.sequence < $1.sequence }) {
            guard let line = try? encoder.encode(mark) else { throw .io("could not encode review \(mark.sequence)") }
            out.append(line)
            out.append(0x0A)
        }
        return out
    }

    /// Parses a payload, checking its framing, every definition's hash, and that each case names
    /// an included definition; never traps.
    static func decode(_ data: Data) throws(BundleError.Kind) -> (PackageContents, [DefinitionHash: CompiledSurvey]) {
        var cursor = LineCursor(data: data)
        guard cursor.nextLine() == header else { throw .malformedPayload("missing '\(header)' header") }
        let (files, definitions, next) = try BundlePayload.readDefinitions(&cursor)
        let decoder = JSONDecoder()
        let cases: [DeviceCase] = try lines(of: "cases", after: next, &cursor) { data throws(BundleError.Kind) in
            do { return try decoder.decode(DeviceCase.self, from: data) } catch {
                throw .malformedPayload("bad case line: \(BundlePayload.describe(error, json: data))")
            }
        }
        let reviews: [ReviewMark] = try lines(of: "reviews", after: cursor.nextLine(), &cursor) { data throws(BundleError.Kind) in
            do { return try decoder.decode(ReviewMark.self, from: data) } catch {
                throw .malformedPayload("bad review line: \(BundlePayload.describe(error, json: data))")
            }
        }
        guard cursor.atEnd else { throw .malformedPayload("unexpected data after the last review") }
        var seen: Set<String> = []
        for item in cases {
            guard seen.insert("\(item.survey) \(item.id)").inserted else {
                throw .malformedPayload("case \(item.id) of \(item.survey) listed twice")
            }
            guard definitions[item.definition] != nil else {
                throw .malformedPayload("case \(item.id) names definition \(item.definition.short), which is not included")
            }
            if let why = CaseID.problem(with: item.id.rawValue) { throw .malformedPayload("case id: \(why)") }
        }
        return (PackageContents(definitionFiles: files, cases: cases, reviews: reviews), definitions)
    }

    /// A `NAME <count>` line (already read as `line`), then that many JSON lines.
    private static func lines<T>(
        of section: String, after line: String?, _ cursor: inout LineCursor, _ decode: (Data) throws(BundleError.Kind) -> T
    ) throws(BundleError.Kind) -> [T] {
        guard let line, line.hasPrefix(section + " "), let n = Int(line.dropFirst(section.count + 1)), n >= 0 else {
            throw .malformedPayload("missing '\(section) <count>' line")
        }
        var out: [T] = []
        for _ in 0..<n {
            guard let data = cursor.nextLineData() else { throw .malformedPayload("\(n) \(section) declared, \(out.count) found") }
            out.append(try decode(data))
        }
        return out
    }
}
