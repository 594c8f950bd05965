import Foundation
import SurveyModel
import SurveyStore
import SurveySync

/// What a sample import did.
public struct SampleImportReport: Sendable {
    public var survey: SurveyID
    public var definition: CompiledSurvey
    public var result: SampleImportResult
    /// Cases in the file.
    public var cases: Int
}

/// Publishing questionnaires and loading the sample: the coordinator's first steps
/// (docs/coordinator.md, "The sample").
public enum SampleImport {
    /// A sample file may be at most this large (100,000 cases take about 6 MB).
    public static let maxFileSize = 256 << 20

    /// `terep central add-survey`: stores a compiled questionnaire (every version is kept) and
    /// makes it the survey's current version; returns the log entry.
    @discardableResult
    public static func publish(_ compiled: CompiledSurvey, central: any CentralDataset, actor: String, at time: Int64) throws(StoreError)
        -> Int64
    {
        try central.publish(try DefinitionFile(compiled), actor: actor, at: time)
    }

    /// The current (latest published) questionnaire of a survey.
    public static func currentDefinition(of survey: SurveyID, central: any CentralDataset) throws(FieldworkError) -> CompiledSurvey {
        let published = try storing { () throws(StoreError) in try central.publishedDefinitions() }
        guard let hash = published[survey] else {
            throw .usage(
                "survey '\(DisplayText.escaped(survey.rawValue))' has no published questionnaire"
                    + (published.isEmpty ? "" : " (published: \(published.keys.sorted().map(\.rawValue).joined(separator: ", ")))")
                    + "; publish it first with terep central add-survey --central C FILE.survey")
        }
        guard let compiled = try storing({ () throws(StoreError) in try central.definition(hash: hash) }) else {
            throw .store(.unknownDefinition(hash))
        }
        return compiled
    }

    /// Reads a sample file and checks every line against the survey's current questionnaire;
    /// when any line is bad nothing is loaded and every problem is reported
    /// (``FieldworkError/sample(_:omitted:)``). New cases are added, changed ones updated, and
    /// none deleted. `progress` says what is being done: the file checked, then the cases stored.
    public static func run(
        file path: String, survey: SurveyID, central: any CentralDataset, actor: String, at time: Int64,
        progress: ProgressLine = .silent
    ) throws(FieldworkError) -> SampleImportReport {
        let compiled = try currentDefinition(of: survey, central: central)
        let bytes: Data
        do { bytes = try UntrustedFile.read(path: path, maxSize: maxFileSize) } catch {
            throw .io(path: DisplayText.escaped(path), message: BundleError(file: "", kind: error).reason)
        }
        progress.update("checking the sample file (\(bytes.count / 1000) kB)")
        let sample = SampleFile(bytes: [UInt8](bytes), file: path, definition: compiled.definition)
        guard sample.problems.isEmpty else { throw .sample(sample.problems, omitted: sample.omittedProblems) }
        let inputs = sample.inputs
        progress.update("storing \(inputs.count) cases")
        let result = try storing { () throws(StoreError) in
            try central.importSample(survey: survey, cases: inputs, file: path, actor: actor, at: time)
        }
        return SampleImportReport(survey: survey, definition: compiled, result: result, cases: inputs.count)
    }

    static func storing<T>(_ body: () throws(StoreError) -> T) throws(FieldworkError) -> T {
        do { return try body() } catch { throw .store(error) }
    }
}
