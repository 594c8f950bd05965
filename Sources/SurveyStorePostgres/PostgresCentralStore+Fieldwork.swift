import Foundation
import SurveyModel
import SurveyStore

/// Fieldwork management (the log, publishing, the sample, assignments, packages) on PostgreSQL.
///
/// Not implemented yet: the tables exist (migrations v1–v6 mirror SQLite's), but nothing writes
/// them (the sample and the review entries are read: PostgresCentralStore+Reviews.swift). Every
/// requirement here refuses with one reason, before anything is written, so a coordinator whose
/// central dataset is in PostgreSQL is told to keep fieldwork management on an SQLite central
/// dataset for now (the commands refuse a `postgres://` URL before reaching here).
extension PostgresCentralStore {
    public var fieldworkUnavailable: String? {
        "sample, assignments, publishing and packages are not available on a PostgreSQL central dataset yet (\(location)); "
            + "keep fieldwork management on an SQLite central dataset (docs/storage.md)"
    }

    private var notYet: StoreError { .invalid(fieldworkUnavailable ?? "") }

    public func fieldworkThrough() throws(StoreError) -> Int64 { throw notYet }

    public func fieldworkLog(survey: SurveyID?, interview: InterviewID?, device: DeviceID?, through: Int64) throws(StoreError)
        -> [FieldworkLogEntry]
    { throw notYet }

    public func publish(_ file: DefinitionFile, actor: String, at time: Int64) throws(StoreError) -> Int64 { throw notYet }

    public func publishedDefinitions(through: Int64) throws(StoreError) -> [SurveyID: DefinitionHash] { throw notYet }

    public func importSample(survey: SurveyID, cases: [SampleCaseInput], file: String, actor: String, at time: Int64)
        throws(StoreError) -> SampleImportResult
    { throw notYet }

    public func withdraw(survey: SurveyID, cases: [CaseID], reason: String, actor: String, at time: Int64) throws(StoreError)
        -> [Int64]
    { throw notYet }

    public func assign(survey: SurveyID, _ changes: [AssignmentChange], actor: String, at time: Int64) throws(StoreError)
        -> [CaseID]
    { throw notYet }

    public func packageSnapshot(device: DeviceID) throws(StoreError) -> PackageSnapshot { throw notYet }
}
