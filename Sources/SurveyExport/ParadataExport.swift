import Foundation
import SurveyModel

/// Writes the paradata, comments and visits of an export beside its CSV files, one interview at a time:
///
/// - `<survey>_paradata.csv`: one row per event (interview, event number, time, device, kind,
///   question and rows, seconds spent until the interview's next event);
/// - `<survey>_durations.csv`: one row per question and rows an interview showed or answered
///   (seconds spent on it, times shown, answers given);
/// - `<survey>_comments.csv`: one row per interviewer's note or soft-check confirmation reason,
///   written as ``CommentTexts`` says (left out by default under `--pii drop`/`pseudonymise`);
/// - `<survey>_visits.csv`: one row per visit to the interview's case (its sample case id, the
///   visit's number, local start and end, the outcome code it ended with).
///
/// Seconds are counted as `iv_minutes` is: a pause longer than `sessionGap` ends a session and
/// counts nothing, so an interview's seconds add up to its time spent. Personal data follows
/// the schema: for a question left out or pseudonymised, an answer's kind is only `answered`
/// (a refusal or a change is not told) and its notes and reasons are not written (their text
/// may repeat the answer).
public struct ParadataExport {
    public static let tables: [ExportTable] = [
        table(
            "paradata",
            [
                ("interview_id", .string(width: 64)), ("event", .integer(1...2_000_000)), ("time", .datetime),
                ("device", .string(width: 64)), ("kind", .string(width: 20)), ("variable", .string(width: 32)),
                ("rows", .string(width: 64)), ("seconds", .decimal(places: 1)),
            ]),
        table(
            "durations",
            [
                ("interview_id", .string(width: 64)), ("variable", .string(width: 32)), ("rows", .string(width: 64)),
                ("seconds", .decimal(places: 1)), ("shown", .integer(0...1_000_000)), ("answers", .integer(0...1_000_000)),
            ]),
        table(
            "comments",
            [
                ("interview_id", .string(width: 64)), ("variable", .string(width: 32)), ("rows", .string(width: 64)),
                ("kind", .string(width: 10)), ("check", .string(width: 32)), ("time", .datetime), ("text", .string(width: 1 << 20)),
            ]),
        table(
            "visits",
            [
                ("interview_id", .string(width: 64)), ("case_id", .string(width: 64)), ("visit", .integer(1...1_000_000)),
                ("start", .localDatetime), ("end", .localDatetime), ("outcome", .integer(-1_000_000...1_000_000)),
            ]),
    ]

    private static func table(_ name: String, _ columns: [(String, ExportType)]) -> ExportTable {
        ExportTable(
            name: name, roster: nil, rosterPath: [], label: name,
            variables: columns.map { name, type in
                ExportVariable(name: name, label: name, type: type, measure: .nominal, source: .answer(VariableName(name)))
            })
    }

    private var paradata: CSVWriter<FileSink>
    private var durations: CSVWriter<FileSink>
    private var comments: CSVWriter<FileSink>?
    private let commentTexts: CommentTexts
    private var visits: CSVWriter<FileSink>
    private var renames: [(from: URL, to: URL)] = []
    private let sessionGap: Int64
    /// Questions whose answers must not be told apart and whose texts are not written.
    private let personal: Set<VariableName>
    /// Rows written per file (paradata, durations, comments, visits).
    public private(set) var rowCounts = [0, 0, 0, 0]
    /// Notes and reasons not written: every one when comments are left out, and those on a
    /// question left out or pseudonymised.
    public private(set) var commentsLeftOut = 0

    /// The files this export produces (final names).
    public var files: [URL] { renames.map(\.to) }

    /// Opens the files in `directory` (under temporary names until ``finish()``).
    public init(
        schema: ExportSchema, directory: URL, dialect: CSVDialect = .rfc4180, sessionGap: Int64, comments: CommentTexts,
        fileMode: UInt16 = 0o644
    ) throws(ExportError) {
        self.sessionGap = sessionGap
        self.commentTexts = comments
        self.personal = Set(schema.droppedPII)
            .union(schema.tables.flatMap(\.variables).filter(\.isPseudonym).compactMap(\.source.question))
        var renames: [(URL, URL)] = []
        func open(_ table: ExportTable) throws(ExportError) -> CSVWriter<FileSink> {
            let name = "\(schema.survey.rawValue)_\(table.name).csv"
            let final = directory.appendingPathComponent(name), partial = directory.appendingPathComponent(".\(name).partial")
            renames.append((partial, final))
            return try CSVWriter(
                table: table, specialCodes: schema.specialCodes, dialect: dialect, sink: try FileSink(path: partial.path, mode: fileMode))
        }
        paradata = try open(Self.tables[0])
        durations = try open(Self.tables[1])
        self.comments = comments == .leftOut ? nil : try open(Self.tables[2])
        visits = try open(Self.tables[3])
        self.renames = renames
    }

    /// Writes one interview's paradata, durations and comments.
    public mutating func write(_ record: InterviewRecord) throws(ExportError) {
        let id = Cell.text(record.id.rawValue)
        var spent: [Address: (ms: Int64, shown: Int, answers: Int)] = [:]
        var order: [Address] = []
        for (i, e) in record.paradata.enumerated() {
            let next = i + 1 < record.paradata.count ? record.paradata[i + 1].timestamp : e.timestamp
            let gap = next - e.timestamp
            let ms = gap > 0 && gap <= sessionGap ? gap : 0
            var kind = e.kind
            if let a = e.address, personal.contains(a.variable), kind == .special || kind == .changed { kind = .answered }
            try paradata.write([
                id, .number(Double(i + 1)), .number(Double(e.timestamp)), .text(e.device.rawValue), .text(kind.rawValue),
                e.address.map { .text($0.variable.rawValue) } ?? .empty, Self.rows(e.address),
                .number((Double(ms) / 100).rounded() / 10),
            ])
            rowCounts[0] += 1
            guard let a = e.address else { continue }
            if spent[a] == nil { order.append(a) }
            var s = spent[a] ?? (0, 0, 0)
            s.ms += ms
            if kind == .shown { s.shown += 1 }
            if kind == .answered || kind == .changed || kind == .special { s.answers += 1 }
            spent[a] = s
        }
        for a in order {
            guard let s = spent[a] else { continue }
            try durations.write([
                id, .text(a.variable.rawValue), Self.rows(a), .number((Double(s.ms) / 100).rounded() / 10),
                .number(Double(s.shown)), .number(Double(s.answers)),
            ])
            rowCounts[1] += 1
        }
        try writeComments(of: record, id: id)
        try writeVisits(of: record, id: id)
    }

    private mutating func writeVisits(of record: InterviewRecord, id: Cell) throws(ExportError) {
        let caseID = record.caseID.map { Cell.text($0.rawValue) } ?? .empty
        for v in record.visits {
            try visits.write([
                id, caseID, .number(Double(v.number)), .number(Double(v.start.seconds) * 1000),
                v.end.map { .number(Double($0.seconds) * 1000) } ?? .empty, v.outcome.map { .number(Double($0)) } ?? .empty,
            ])
            rowCounts[3] += 1
        }
    }

    private mutating func writeComments(of record: InterviewRecord, id: Cell) throws(ExportError) {
        guard !record.comments.isEmpty else { return }
        guard comments != nil else {
            commentsLeftOut += record.comments.count
            return
        }
        let scrubber = commentTexts == .scrubbed ? CommentScrubber(personal: personalTexts(of: record)) : nil
        for c in record.comments {
            if let a = c.address, personal.contains(a.variable) {
                commentsLeftOut += 1
                continue
            }
            let text = c.text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
            try comments?.write([
                id, c.address.map { .text($0.variable.rawValue) } ?? .empty, Self.rows(c.address), .text(c.kind.rawValue),
                c.check.map { .text($0.rawValue) } ?? .empty, .number(Double(c.timestamp)),
                .text(scrubber?.scrub(text) ?? text),
            ])
            rowCounts[2] += 1
        }
    }

    /// The interview's answers to personal questions (left out or pseudonymised) and its
    /// interviewer, which a comment must not repeat.
    private func personalTexts(of record: InterviewRecord) -> [String] {
        var texts = [record.interviewer]
        for (address, answer) in record.answers where personal.contains(address.variable) {
            switch answer {
            case .value(.text(let t)): texts.append(t.precomposedStringWithCanonicalMapping)
            case .value(.integer(let n)) where abs(n) >= 100: texts.append(String(n))
            default: break
            }
        }
        return texts
    }

    /// Roster rows as `2` or `1,3` (empty outside rosters).
    private static func rows(_ address: Address?) -> Cell {
        guard let rows = address?.rows, !rows.isEmpty else { return .empty }
        return .text(rows.map(String.init).joined(separator: ","))
    }

    /// Completes the files and moves them to their final names.
    public mutating func finish() throws(ExportError) {
        try paradata.finish()
        try durations.finish()
        try comments?.finish()
        try visits.finish()
        for (from, to) in renames {
            do { try FileManager.default.moveItem(at: from, to: to) } catch {
                throw .io(path: to.path, message: "could not move the finished file into place: \(error)")
            }
        }
    }
}
