import SurveyModel

/// The fieldwork log's rules, one owner for both stores (`CentralStore+Fieldwork.swift`,
/// `CentralStore+Reviews.swift` and PostgreSQL's): each store reads the rows a change needs,
/// asks here what may be done and why not, and writes what it is told. A refusal names every
/// reason, in this order, and writes nothing.
package enum FieldworkRules {
    /// A sample case's place as a change finds it.
    package struct CaseState: Sendable {
        package var device: DeviceID?
        package var withdrawn: Bool

        package init(device: DeviceID?, withdrawn: Bool) {
            self.device = device
            self.withdrawn = withdrawn
        }
    }

    /// Which assignment changes to make (a case already on its device is left out), or every
    /// reason to refuse them all: a device not registered or revoked (by device id), then per
    /// change a case not in the sample, withdrawn, not on `previous` (a move) or already on
    /// another device (a first assignment).
    package static func assignments(
        _ changes: [AssignmentChange], survey: SurveyID, devices: [DeviceID: RegistrationStatus], cases: [CaseID: CaseState]
    ) -> (todo: [AssignmentChange], problems: [String]) {
        var problems: [String] = []
        var todo: [AssignmentChange] = []
        for device in Set(changes.map(\.device)).sorted() {
            switch devices[device] {
            case nil: problems.append("device \(device) is not registered; register it with terep central add-device")
            case .revoked: problems.append("device \(device) is revoked")
            case .active: break
            }
        }
        for change in changes {
            guard let state = cases[change.caseID] else {
                problems.append("case \(change.caseID) is not in the sample of \(survey)")
                continue
            }
            let now = state.device
            if state.withdrawn {
                problems.append("case \(change.caseID) is withdrawn")
            } else if now == change.device {
                continue
            } else if let previous = change.previous, now != previous {
                problems.append("case \(change.caseID) is \(now.map { "on device \($0)" } ?? "not assigned"), not on \(previous)")
            } else if change.previous == nil, let now {
                problems.append("case \(change.caseID) is assigned to \(now); reassign it with --device \(now) --to \(change.device)")
            } else {
                todo.append(change)
            }
        }
        return (todo, problems)
    }

    /// The log entry publishing a questionnaire version (sequence 0 until appended).
    package static func publication(_ file: DefinitionFile, actor: String, at time: Int64) -> FieldworkLogEntry {
        FieldworkLogEntry(
            sequence: 0, at: time, actor: actor, action: .published, survey: file.survey.definition.id, definition: file.survey.hash,
            text: file.survey.definition.version)
    }

    /// Every reason to refuse withdrawing `ids` (a case not in the sample or already withdrawn).
    package static func withdrawalProblems(_ ids: [CaseID], survey: SurveyID, cases: [CaseID: CaseState]) -> [String] {
        ids.compactMap { id in
            guard let state = cases[id] else { return "case \(id) is not in the sample of \(survey)" }
            return state.withdrawn ? "case \(id) is already withdrawn" : nil
        }
    }

    /// A review decision's log entry (sequence 0 until appended) on the interview as a store
    /// read it — its survey (nil: no start merged yet), whether its visit has ended, its case,
    /// the latest `ended`/`reopened` event (the state judged) and its definition — addressed to
    /// `holder` (the device holding its case now), else to the device that ended it. Refused
    /// for an interview with no start yet, or an approval or a rejection of one in progress.
    package static func review(
        _ decision: ReviewDecision, interview id: InterviewID, survey: SurveyID?, ended: Bool, caseID: CaseID?,
        holder: DeviceID?, status: (device: DeviceID?, sequence: Int64?), definition: DefinitionHash?, actor: String, at time: Int64
    ) throws(StoreError) -> FieldworkLogEntry {
        guard let survey else {
            throw .refused(["interview \(id) has no start here yet (a bundle with its beginning is still to be merged)"])
        }
        if case .comment = decision {
        } else if !ended {
            throw .refused(["interview \(id) is in progress: review it once its visit has ended"])
        }
        var entry = FieldworkLogEntry(
            sequence: 0, at: time, actor: actor, action: decision.action, survey: survey, caseID: caseID,
            device: holder ?? status.device, interview: id, definition: definition, reviewedDevice: status.device,
            reviewedSequence: status.sequence)
        switch decision {
        case .approve(let comment): entry.text = comment
        case .reject(let comment): entry.text = comment
        case .comment(let address, let text):
            entry.question = address
            entry.text = text
        }
        return entry
    }
}
