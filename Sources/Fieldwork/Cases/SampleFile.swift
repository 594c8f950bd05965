import SurveyModel
import SurveyStore

/// One case of a sample file: its id, preloaded values and field-management data, with the
/// line it came from.
public struct SampleCase: Hashable, Sendable {
    public var id: CaseID
    /// The preloaded values given (an empty cell gives none: the question is asked).
    public var values: [VariableName: Value]
    /// Where to find the case (the `address` column): shown to the interviewer, never part of
    /// the interview's data or exports.
    public var address: String?
    /// The coordinator's note for the interviewer (the `note` column).
    public var note: String?
    public var line: Int

    public init(id: CaseID, values: [VariableName: Value], address: String? = nil, note: String? = nil, line: Int) {
        self.id = id
        self.values = values
        self.address = address
        self.note = note
        self.line = line
    }
}

/// A problem with one line of a sample file: `FILE:LINE: message`.
public struct SampleProblem: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    /// `FILE:LINE: message`, with the file name escaped (the message escapes what the file held).
    public var description: String { "\(DisplayText.escaped(file)):\(line): \(message)" }
}

/// A sample file read and checked against a questionnaire: a `case_id` column, one column per
/// preloaded question (`preload` in the questionnaire), and optionally the field-management
/// columns `address` and `note` — every problem of every line, so the file is fixed in one go
/// (docs/coordinator.md, "The sample").
///
/// - The header names `case_id` once, and otherwise only top-level `preload` questions and the
///   field-management columns, each once; the preloads the device fills itself (`int_id`,
///   `visit_no`, `visit_ts`) are refused. A required, interviewer-only preload (nobody can ask
///   the respondent for it) needs a column.
/// - `address` (where to go) and `note` (for the interviewer) stay in field management: the
///   device shows them in its case list; they are never interview data and never exported.
///   One line each, at most ``maxFieldText`` characters.
/// - Every line has as many fields as the header and a case id that is well-formed and not on
///   an earlier line.
/// - Every value fits its question as the questionnaire alone says (``ValueLimits``: type, code
///   in the answer set, constant bounds, decimals, length). An empty cell preloads nothing: the
///   interviewer asks it — an error for a required interviewer-only preload.
public struct SampleFile: Sendable {
    /// The preload questions the file has columns for, in column order.
    public private(set) var columns: [VariableName] = []
    /// The cases as the central store takes them, in line order: kept in this form (``cases``
    /// adds their lines) so that an import hands them over without copying every case.
    public private(set) var inputs: [SampleCaseInput] = []
    /// Each input's line.
    private var lines: [Int] = []
    /// The cases read, in line order.
    public var cases: [SampleCase] {
        zip(inputs, lines).map { SampleCase(id: $0.id, values: $0.values, address: $0.address, note: $0.note, line: $1) }
    }
    /// Every problem found, in line order (capped at ``maxProblems``; ``omittedProblems`` counts the rest).
    public private(set) var problems: [SampleProblem] = []
    public private(set) var omittedProblems = 0

    /// More problems than this are counted, not kept (a wrong file would otherwise list every line).
    public static let maxProblems = 1000
    /// The field-management columns: not questions; kept with the case for the interviewer.
    public static let fieldColumns = ["address", "note"]
    /// An address or note may be at most this many characters.
    public static let maxFieldText = 200

    private let file: String

    /// Reads and checks a sample file's bytes against a questionnaire.
    public init(bytes: [UInt8], file: String, definition: SurveyDefinition) {
        self.file = file
        var reader = CSVRecords(bytes)
        do {
            guard let header = try reader.next() else {
                note(1, "the file is empty; its first line names the columns: case_id, then the preloaded questions")
                return
            }
            let layout = Layout(header: header.fields, definition: definition)
            for message in layout.problems { note(header.line, message) }
            var seen: [CaseID: Int] = [:]
            seen.reserveCapacity(bytes.count / 40)
            inputs.reserveCapacity(bytes.count / 40)  // pages never written are never touched
            lines.reserveCapacity(bytes.count / 40)
            var fields: [String] = []  // one array for every line's fields
            fields.reserveCapacity(layout.width)
            while let line = try reader.next(into: &fields) {
                check(fields, line: line, layout: layout, seen: &seen)
            }
        } catch {
            note(Self.line(of: error), Self.message(for: error))
        }
    }

    private mutating func note(_ line: Int, _ message: String) {
        guard problems.count < Self.maxProblems else { return omittedProblems += 1 }
        problems.append(SampleProblem(file: file, line: line, message: message))
    }

    /// One line: its field count, case id and values; the case is added when they are right
    /// (made in place: a case returned was copied into the array and the original destroyed).
    private mutating func check(_ fields: [String], line: Int, layout: Layout, seen: inout [CaseID: Int]) {
        guard fields.count == layout.width else {
            return note(line, "\(fields.count) field\(fields.count == 1 ? "" : "s"), but the header has \(layout.width) columns")
        }
        var ok = true
        var id: CaseID?
        if let column = layout.caseColumn {
            let text = fields[column]
            if let why = CaseID.problem(with: text) {
                note(line, "case id '\(DisplayText.escaped(text))': \(why)")
                ok = false
            } else if let first = seen.updateValue(line, forKey: CaseID(text)) {
                seen[CaseID(text)] = first  // the first line stays the one named
                note(line, "case id '\(text)' is already on line \(first)")
                ok = false
            } else {
                id = CaseID(text)
            }
        }
        var field: (address: String?, note: String?) = (nil, nil)
        for (name, index) in layout.fieldColumns {
            let text = Self.trimmed(fields[index])
            guard !text.isEmpty else { continue }
            if text.utf8.count > Self.maxFieldText, text.count > Self.maxFieldText {  // never more characters than bytes
                note(line, "\(name): \(text.count) characters, more than \(Self.maxFieldText)")
                ok = false
            } else if Self.hasLineBreak(text) {
                note(line, "\(name): a line break inside; write the \(name) on one line")
                ok = false
            } else if name == "address" {
                field.address = text
            } else {
                field.note = text
            }
        }
        var values = layout.template  // every column's name: each value stored at its slot, nothing hashed
        var empty: [VariableName] = []
        for (n, column) in layout.questions.enumerated() {
            let text = fields[column.index]
            if text.isEmpty {
                if column.isRequired {
                    note(line, "missing preload '\(column.name)': it is required and only the sample can give it")
                    ok = false
                }
                empty.append(column.name)
                continue
            }
            switch column.value(of: text) {
            case .success(let value): values.values[layout.slots[n]] = value
            case .failure(let message):
                note(line, "\(column.name): \(message)")
                ok = false
            }
        }
        guard ok, let id, layout.problems.isEmpty else { return }
        for name in empty { values.removeValue(forKey: name) }  // an empty cell preloads nothing
        inputs.append(SampleCaseInput(id: id, values: values, address: field.address, note: field.note))
        lines.append(line)
    }

    /// Whether a text holds a line break (a `Character` that `isNewline`), read from its bytes:
    /// a Character is a newline when its first scalar is LF, VT, FF, CR, NEL (U+0085), LINE or
    /// PARAGRAPH SEPARATOR (U+2028/9), and each of these scalars begins a Character of its own
    /// (grapheme clusters break before every control and separator), so the text holds a
    /// newline Character exactly when its UTF-8 holds one of these scalars.
    static func hasLineBreak(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var before: (UInt8, UInt8) = (0, 0)  // the two bytes before the current one
            for b in bytes {
                switch b {
                case 0x0A...0x0D: return true
                case 0x85 where before.1 == 0xC2: return true  // C2 85: U+0085
                case 0xA8...0xA9 where before == (0xE2, 0x80): return true  // E2 80 A8/A9: U+2028, U+2029
                default: before = (before.1, b)
                }
            }
            return false
        }
    }

    /// `trimmingSpaces` (spaces, tabs and line breaks around the text), but the text itself
    /// when its first and last bytes are none of these: then neither are its first and last
    /// Characters (each of the four is a Character of one scalar, equal to nothing else).
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        return space(first) || space(last) ? text.trimmingSpaces : text
    }

    private static func line(of error: CSVRecords.Failure) -> Int {
        switch error {
        case .unterminatedQuote(let line), .strayQuote(let line), .notUTF8(let line), .fieldTooLong(let line): line
        }
    }

    private static func message(for error: CSVRecords.Failure) -> String {
        switch error {
        case .unterminatedQuote: "a quoted field is never closed (a '\"' is missing); nothing after it could be read"
        case .strayQuote: "a '\"' in the middle of a field; put the whole field in quotes and double the quote inside"
        case .notUTF8: "the file is not UTF-8 text; save it as CSV UTF-8"
        case .fieldTooLong: "a field is longer than \(CSVRecords.maxFieldBytes) bytes"
        }
    }
}

/// The columns of a sample file, checked against the questionnaire.
private struct Layout {
    /// A question's column. A class: every line reads every column, and a copy of the struct
    /// (a whole `Question`) per cell was a fifth of reading a sample.
    final class Column {
        let index: Int
        let name: VariableName
        /// The question's kind alone (not the whole `Question`: what parsing reads).
        let kind: QuestionKind
        let isRequired: Bool
        let offered: [Int]
        let limits: ValueLimits

        init(index: Int, name: VariableName, question: Question, isRequired: Bool, offered: [Int], limits: ValueLimits) {
            self.index = index
            self.name = name
            kind = question.kind
            self.isRequired = isRequired
            self.offered = offered
            self.limits = limits
        }

        /// The value of a non-empty cell, or why it does not fit the question.
        func value(of text: String) -> Result<Value, SampleValueProblem> {
            switch AnswerParser.parse(text, kind: kind, offered: offered) {
            case .failure(let problem): return .failure(SampleValueProblem(problem, text: text, offered: offered))
            case .success(let value):
                if let why = limits.problem(with: value) { return .failure(SampleValueProblem(message: why)) }
                return .success(value)
            }
        }
    }

    var width: Int
    var caseColumn: Int?
    var questions: [Column] = []
    /// Every question column's name with a placeholder value, and each column's index in it (in
    /// the order of `questions`): a case's values start as a copy of it (one allocation, no key
    /// hashed; a copy keeps the indices of its original) and each cell is stored at its index.
    var template: [VariableName: Value] = [:]
    var slots: [Dictionary<VariableName, Value>.Index] = []
    /// `address` and `note`, by column index.
    var fieldColumns: [(name: String, index: Int)] = []
    var problems: [String] = []

    init(header: [String], definition: SurveyDefinition) {
        width = header.count
        let index = SurveyIndex(definition)
        let survey = "\(definition.id) \(definition.version)"
        let preloaded = index.questionsInOrder.filter { name in
            guard let entry = index[name] else { return false }
            return entry.question.preload && entry.rosters.isEmpty && !CaseIdentifiers.automatic.contains(name)
        }
        var seen: Set<String> = []
        for (i, raw) in header.enumerated() {
            let name = raw.trimmingSpaces
            guard seen.insert(name).inserted else {
                problems.append("column '\(DisplayText.escaped(name))' is named twice")
                continue
            }
            if name == "case_id" {
                caseColumn = i
                continue
            }
            if SampleFile.fieldColumns.contains(name) {
                fieldColumns.append((name, i))
                continue
            }
            let variable = VariableName(name)
            if CaseIdentifiers.automatic.contains(variable), index[variable] != nil {
                problems.append("column '\(name)' is filled in by the device itself; leave it out of the sample")
                continue
            }
            guard let entry = index[variable], entry.question.preload, entry.rosters.isEmpty else {
                problems.append(
                    "column '\(DisplayText.escaped(name))' is not a preloaded question of \(survey); its preloaded questions are "
                        + (preloaded.isEmpty ? "none" : preloaded.map(\.rawValue).joined(separator: ", "))
                        + " (and the field-management columns address and note)")
                continue
            }
            let q = entry.question
            questions.append(
                Column(
                    index: i, name: variable, question: q, isRequired: q.required && q.interviewerOnly,
                    offered: index.answerSet(of: q)?.options.map(\.code) ?? [],
                    limits: ValueLimits(question: q, answerSets: index.answerSets)))
        }
        if caseColumn == nil { problems.insert("there is no 'case_id' column; the first line names the columns", at: 0) }
        for column in questions { template[column.name] = .integer(0) }
        slots = questions.map { template.index(forKey: $0.name)! }
        let given = Set(questions.map(\.name))
        for name in preloaded where !given.contains(name) {
            guard let q = index[name]?.question, q.required, q.interviewerOnly else { continue }
            problems.append("missing column '\(name)': a required preload that only the sample can give")
        }
    }
}

/// Why a cell's text is not a value of its question, in words.
struct SampleValueProblem: Error, CustomStringConvertible {
    let description: String

    init(message: String) { description = message }

    init(_ problem: AnswerProblem, text: String, offered: [Int]) {
        let shown = "'\(DisplayText.escaped(text))'"
        switch problem {
        case .notAnInteger: description = "\(shown) is not a whole number"
        case .notANumber: description = "\(shown) is not a number"
        case .tooManyDecimals(let places): description = "\(shown) has more than \(places) decimal places"
        case .notAnOption(let code):
            description = "'\(DisplayText.escaped(code))' is not one of its codes (\(offered.map(String.init).joined(separator: ", ")))"
        case .notADate: description = "\(shown) is not a date (write 2026-10-01)"
        case .notATime: description = "\(shown) is not a time of day (write 17:30)"
        case .notADateTime: description = "\(shown) is not a date and time (write 2026-10-01T17:30)"
        case .duplicateChoice(let code): description = "code \(code) is given twice"
        default: description = "\(shown) does not fit the question"
        }
    }
}
