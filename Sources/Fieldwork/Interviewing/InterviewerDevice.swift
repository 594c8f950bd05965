import InterviewEngine
import SurveyModel
import SurveyStore

/// A device database as the interviewer's front works with it, so that the front (the terminal
/// interviewer) needs no store of its own: who interviews on it, its cases, an assigned case's
/// interview started or continued, and what a session saves through and shows — its recorder,
/// the supervisor's notes, the interview's case values.
public struct InterviewerDevice: Sendable {
    public let store: DeviceStore

    public init(store: DeviceStore) {
        self.store = store
    }

    /// Who interviews on this device.
    public var interviewer: String { store.interviewer }
    public var deviceID: DeviceID { store.deviceID }

    /// The device's cases now (``CaseList``).
    public func cases() throws(StoreError) -> [CaseListEntry] {
        try CaseList.load(store: store)
    }

    /// The first language of the questionnaires `cases` are interviewed on, when they all have the
    /// same one: the language the case list speaks, as an interview speaks its questionnaire's
    /// (nil when they differ, there are none, or a questionnaire cannot be read).
    public func firstLanguage(of cases: [CaseListEntry]) -> LanguageCode? {
        var found: Set<LanguageCode> = []
        for hash in Set(cases.map(\.deviceCase.definition)) {
            guard let compiled = (try? store.definition(hash: hash)) ?? nil, let first = compiled.definition.languages.first else {
                return nil
            }
            found.insert(first)
        }
        return found.count == 1 ? found.first : nil
    }

    /// An assigned case's interview started, resumed or reopened, or why not
    /// (``InterviewStart/forCase(_:store:options:clock:)``).
    public func start(case id: CaseID, options: InterviewStartOptions) throws(CaseInterviewError) -> CaseInterviewStart {
        try InterviewStart.forCase(id, store: store, options: options)
    }

    /// Where a session of `interview` saves each event: one durable transaction each.
    public func recorder(for interview: InterviewID) -> StoreRecorder {
        StoreRecorder(store: store, interview: interview)
    }

    /// The supervisor's notes on `interview` when it was rejected; nil too when they cannot be
    /// read (a store that fails here fails at the session's first answer anyway, saying why).
    public func reviewNotes(for interview: InterviewID) -> ReviewNotes? {
        (try? ReviewNotes.load(interview, store: store)) ?? nil
    }

    /// What says which case the interview is, as a session's header shows it, field by field:
    /// the sample's case id and address (an assigned case's), then its case values as
    /// `name=value` by name, the automatic visit fields (``CaseIdentifiers/automatic``) left out;
    /// empty when it has none.
    public func caseValues(of interview: InterviewID) -> [String] {
        guard let record = (try? store.interview(id: interview)) ?? nil else { return [] }
        var fields: [String] = []
        if let id = record.caseID {
            fields.append(id.rawValue)
            if let address = ((try? store.assignedCase(id, survey: record.survey)) ?? nil)?.address, !address.isEmpty {
                fields.append(address)
            }
        }
        return fields
            + record.caseIdentifiers.filter { !CaseIdentifiers.automatic.contains($0.key) }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(Interview.display($0.value))" }
    }
}
