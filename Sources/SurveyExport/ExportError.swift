/// Why an export could not be derived or written; each case says what, where and what to do.
public enum ExportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A variable name breaks SPSS/Stata rules (length, characters, reserved word).
    case invalidName(table: String, name: String, reason: String)
    /// Two variables of one table have names equal ignoring case.
    case duplicateName(table: String, name: String, other: String)
    /// A row has the wrong number of cells for its table.
    case rowShape(table: String, expected: Int, got: Int)
    /// A text value does not fit the declared string width.
    case valueTooWide(variable: String, bytes: Int, width: Int)
    /// A number does not fit the storage type chosen for it.
    case valueOutOfRange(variable: String, value: Double, storage: String)
    /// An answer's type does not match its question (the record contradicts the definition).
    case typeMismatch(interview: String, address: String, expected: String, found: String)
    /// A roster asked to be exported wide cannot be.
    case cannotWiden(roster: String, reason: String)
    /// Questionnaire versions cannot share one schema (e.g. a roster moved into another one).
    case incompatibleVersions(String)
    /// The label language asked for is not a language of the questionnaire.
    case unknownLanguage(String, available: [String])
    /// Reading or writing a file failed.
    case io(path: String, message: String)
    /// `write` or `finish` was called after `finish`.
    case alreadyFinished(format: String)
    /// `SOURCE_DATE_EPOCH` is set but is not whole seconds since 1970 (``ExportCreationTime``).
    case invalidSourceDateEpoch(String)

    public var description: String {
        switch self {
        case .invalidName(let table, let name, let reason):
            "table '\(table)': variable name '\(name)' \(reason); rename it in the questionnaire"
        case .duplicateName(let table, let name, let other) where name == other:
            "table '\(table)': the name '\(name)' is used twice (a question may not reuse a key, provenance"
                + " or indicator name); rename the question"
        case .duplicateName(let table, let name, let other):
            "table '\(table)': variables '\(name)' and '\(other)' differ only in case; SPSS and Stata"
                + " treat them as one, so rename one of them"
        case .rowShape(let table, let expected, let got):
            "table '\(table)': a row has \(got) cells but the table has \(expected) variables"
        case .valueTooWide(let variable, let bytes, let width):
            "variable '\(variable)': a text of \(bytes) bytes does not fit its width of \(width) bytes;"
                + " pass a larger width in ExportOptions.stringWidths"
        case .valueOutOfRange(let variable, let value, let storage):
            "variable '\(variable)': the value \(value) does not fit its \(storage) storage"
        case .typeMismatch(let interview, let address, let expected, let found):
            "interview \(interview), \(address): expected a \(expected) answer but found \(found)"
        case .cannotWiden(let roster, let reason):
            "roster '\(roster)' cannot be exported wide: \(reason); export it as its own table"
        case .incompatibleVersions(let message):
            message
        case .unknownLanguage(let language, let available):
            "the questionnaire has no texts in '\(language)'; its languages are \(available.joined(separator: ", "))"
        case .io(let path, let message):
            "\(path): \(message)"
        case .alreadyFinished(let format):
            "the \(format) writer was already finished; create a new one for another file"
        case .invalidSourceDateEpoch(let value):
            "SOURCE_DATE_EPOCH is '\(value)', not whole seconds since 1970 (e.g. 1764547200); set it right or unset it"
        }
    }
}
