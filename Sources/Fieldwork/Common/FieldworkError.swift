import SurveyExport
import SurveyModel
import SurveyStore
import SurveySync

/// Why cleaning or exporting a survey failed; each case says what, where and what to do.
public enum FieldworkError: Error, Sendable, CustomStringConvertible {
    /// Reading the central dataset failed.
    case store(StoreError)
    /// Writing an export failed.
    case export(ExportError)
    /// A bad line in the corrections file.
    case corrections(file: String, line: Int, message: String)
    /// No definition of this survey id is in the central dataset.
    case unknownSurvey(SurveyID, known: [String])
    /// No (or more than one) definition matches the requested version hash.
    case unknownVersion(String, known: [String])
    /// An interview's events cannot be replayed.
    case replay(interview: InterviewID, message: String)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// The export directory holds an earlier export and `--force` was not given.
    case wouldOverwrite([String])
    /// The export directory holds files that are not from a terep export.
    case notAnExportDirectory(String, foreign: [String])
    /// A bad combination of options.
    case usage(String)
    /// A sample file with problems (every one, `FILE:LINE: …`; `omitted` beyond the cap): nothing was loaded.
    case sample([SampleProblem], omitted: Int)
    /// A package that was refused or could not be written.
    case package(PackageError)

    public var description: String {
        switch self {
        case .store(let e): "\(e)"
        case .export(let e): "\(e)"
        case .corrections(let file, let line, let message): "\(file):\(line): \(message)"
        case .unknownSurvey(let s, let known):
            "survey '\(s)' is not in the central dataset"
                + (known.isEmpty ? " (it holds no definitions yet; merge bundles first)" : "; it holds: \(known.joined(separator: ", "))")
        case .unknownVersion(let v, let known):
            "--survey-version \(v) matches no single definition of the survey; give more of the hash or 'all'. Definitions: "
                + known.joined(separator: ", ")
        case .replay(let id, let message): "interview \(id): \(message)"
        case .io(let path, let message): "\(path): \(message)"
        case .wouldOverwrite(let files):
            "the directory holds an earlier export (\(files.prefix(3).joined(separator: ", "))\(files.count > 3 ? ", …" : "")); "
                + "pass --force to replace it whole or choose another -o directory"
        case .notAnExportDirectory(let path, let foreign):
            "\(path) holds files that are not from a terep export (\(foreign.prefix(3).joined(separator: ", "))"
                + "\(foreign.count > 3 ? ", …" : "")); an export directory holds one export: give -o a new or empty directory,"
                + " e.g. exports/<survey>-<date>"
        case .usage(let message): message
        case .sample(let problems, let omitted):
            "the sample was not loaded: \(problems.count + omitted) problem\(problems.count + omitted == 1 ? "" : "s")"
                + (omitted > 0 ? " (the first \(problems.count) shown)" : "") + "\n"
                + problems.map(\.description).joined(separator: "\n")
        case .package(let error): "\(error)"
        }
    }
}
