import InterviewEngine
import SurveyModel

/// The review of an interview (`.a`): every on-route answer, the notes, the confirmed and open
/// soft checks, failing hard checks and unanswered required questions — each entry with the
/// question it is about, so the full screen can jump there. Off-route answers are kept but not
/// shown. Built by the controller; the line view prints it, the full screen pages through it.
public struct Review: Hashable, Sendable {
    public enum Section: CaseIterable, Hashable, Sendable {
        case answers, notes, confirmed, warnings, errors, unanswered
        /// Answers an earlier change made invalid.
        case stale
    }

    public struct Entry: Hashable, Sendable {
        public var section: Section
        /// The question's address as typed in `.u` (or a check's name).
        public var place: String
        public var text: String
        /// Where to go for this entry, when it is on the route.
        public var address: Address?
    }

    public var entries: [Entry]

    public func entries(in section: Section) -> [Entry] { entries.filter { $0.section == section } }
}

extension InterviewController {
    /// The review of the interview as it stands.
    public func review() -> Review {
        var entries: [Review.Entry] = []
        let route = self.route
        let onRoute = Set(route)
        for address in route {
            guard let question = index[address.variable]?.question, question.kind != .note else { continue }
            if let answer = interview.answer(at: address) {
                entries.append(.init(section: .answers, place: address.description, text: describe(answer, at: address), address: address))
            } else if question.required && address.variable != interview.definition.outcome?.variable {
                entries.append(.init(section: .unanswered, place: address.description, text: "", address: address))
            }
        }
        for note in interview.notes {
            let place = note.address?.description ?? "—"
            let address = note.address.flatMap { onRoute.contains($0) ? $0 : nil }
            entries.append(.init(section: .notes, place: place, text: note.text + " (\(note.interviewer))", address: address))
        }
        func check(_ failure: CheckFailure, _ section: Review.Section) -> Review.Entry {
            let place = failure.question?.description ?? Address(VariableName(failure.check.rawValue), rows: failure.rows).description
            var text = interview.render(failure.message, at: failure.question)
            if let confirmation = failure.confirmation {
                text += " — " + strings.confirmedBy(confirmation.interviewer, reason: confirmation.reason)
            }
            return .init(section: section, place: place, text: text, address: failure.question)
        }
        let failing = interview.failingChecks
        entries += failing.filter { $0.severity == .warning && $0.confirmation != nil }.map { check($0, .confirmed) }
        entries += interview.openWarnings.map { check($0, .warnings) }
        entries += failing.filter { $0.severity == .error }.map { check($0, .errors) }
        for (item, line) in zip(interview.staleAnswers, staleLines()) {
            entries.append(.init(section: .stale, place: line.place, text: line.message, address: item.address))
        }
        return Review(entries: entries)
    }
}

extension UIStrings {
    /// A review section's heading.
    public func reviewHeading(_ section: Review.Section) -> String {
        switch section {
        case .answers: reviewAnswers
        case .notes: t("Megjegyzések", "Notes")
        case .confirmed: t("Megerősített figyelmeztetések", "Confirmed warnings")
        case .warnings: reviewWarnings
        case .errors: reviewErrors
        case .unanswered: reviewUnanswered
        case .stale: reviewStale
        }
    }

    public func confirmedBy(_ interviewer: String, reason: String?) -> String {
        let why = reason.map { t(", indok: \($0)", ", reason: \($0)") } ?? ""
        return t("megerősítette: \(interviewer)\(why)", "confirmed by \(interviewer)\(why)")
    }
}
