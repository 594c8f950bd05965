import Fieldwork
import InterviewEngine
import SurveyModel

extension InterviewController {
    /// The question screen for an address, piped and in the interview's language.
    public func screen(for at: Address) -> QuestionScreen {
        guard let entry = index[at.variable] else { return QuestionScreen(name: at.description, text: "") }
        let question = entry.question
        var screen = QuestionScreen(name: at.description, text: interview.render(question.text, at: at))
        for id in entry.ancestors {
            guard let group = index.groups[id] else { continue }
            switch group.kind {
            case .section:
                if let title = group.title { screen.sections.append(interview.render(title, at: at)) }
            case .grid:
                screen.gridStem = group.text.map { interview.render($0, at: at) }
            case .roster:
                screen.rosterRows.append(rosterLine(group, at: at, depth: entry.rosters.firstIndex(of: id) ?? 0))
            }
        }
        if let i = route.firstIndex(of: at) { screen.position = .init(index: i + 1, count: route.count) }
        screen.hint = question.hint.map { interview.render($0, at: at) }
        screen.interviewerOnly = question.interviewerOnly
        let current = interview.answer(at: at)
        screen.options = interview.options(at: at).map { option in
            QuestionScreen.OptionLine(
                code: option.code, label: interview.render(option.label, at: at), selected: isSelected(option.code, in: current))
        }
        screen.allowed = allowedInput(question, at: at)
        if question.kind != .note, question.kind.valueType != nil {
            screen.specials = strings.specialsAllowed(question.specials.filter { $0 != .notApplicable })
        } else {
            screen.allowed = strings.continuePrompt
        }
        // A stale answer is not offered for Enter to keep; the session says why (StaleAnswers.swift).
        screen.current = interview.staleIssues(at: at) == nil ? current.map { describe($0, at: at) } : nil
        if current == nil, let proposed = interview.defaultValue(at: at) { screen.proposed = describe(.value(proposed), at: at) }
        return screen
    }

    /// `Háztartástagok · 2/4 — Anna` for the roster row of `at` at a nesting depth.
    private func rosterLine(_ group: Group, at: Address, depth: Int) -> String {
        let rows = Array(at.rows.prefix(depth + 1))
        let row = rows.last ?? 1
        let count = interview.rowCount(of: group.id, parentRows: Array(rows.dropLast()))
        let label = interview.rowLabel(group.id, rows: rows)
        let line = strings.rosterRow(row, of: count, label: label)
        guard let title = group.title else { return line }
        return interview.render(title, at: at) + " · " + line
    }

    private func isSelected(_ code: Int, in answer: Answer?) -> Bool {
        switch answer?.value {
        case .choice(let c)?: c == code
        case .choices(let cs)?: cs.contains(code)
        default: false
        }
    }

    /// What may be typed at a question, with its evaluated bounds.
    func allowedInput(_ q: Question, at: Address) -> String? {
        switch q.kind {
        case .singleChoice: return strings.singleChoice
        case .multipleChoice(_, let min, let max):
            let example = interview.options(at: at).filter { !$0.exclusive }.map(\.code)
            return strings.multipleChoice(min: min, max: max, example: example)
        case .integer:
            let (lo, hi) = interview.range(at: at)
            return strings.integerRange(min: lo?.integerValue, max: hi?.integerValue)
        case .decimal(_, _, let places):
            let (lo, hi) = interview.range(at: at)
            return strings.decimalRange(min: lo?.doubleValue, max: hi?.doubleValue, places: places)
        case .date:
            let (lo, hi) = interview.range(at: at)
            return strings.dateRange(min: lo?.dateValue, max: hi?.dateValue)
        case .time: return strings.timeFormat
        case .datetime: return strings.dateTimeFormat
        case .text(let maxLength, _): return strings.textLimit(maxLength)
        case .scale(let min, let max, _): return strings.scaleRange(min: min, max: max)
        case .note, .calculated: return nil
        }
    }

    /// An answer as the fieldworker reads it: codes with their labels, specials by name.
    public func describe(_ answer: Answer, at: Address) -> String {
        switch answer {
        case .special(let s): return strings.special(s)
        case .value(let value):
            let options = interview.options(at: at)
            func label(_ code: Int) -> String {
                options.first { $0.code == code }.map { "\(code) \(interview.render($0.label, at: at))" } ?? String(code)
            }
            switch value {
            case .choice(let c): return label(c)
            case .choices(let cs): return cs.map(label).joined(separator: "; ")
            case .decimal(let d):
                if case .decimal(_, _, let places)? = index[at.variable]?.question.kind {
                    return strings.number(d, places: places)
                }
                return Interview.display(value)
            case .integer(let i):
                if case .scale? = index[at.variable]?.question.kind { return label(i) }
                return String(i)
            default: return Interview.display(value)
            }
        }
    }

    /// The message for an engine validation issue, in the UI language; check messages are
    /// rendered from `preview`, the interview as it will be once the answer is saved.
    func message(for issue: ValidationIssue, submitted: Answer, at: Address, in preview: Interview) -> String {
        let problem: AnswerProblem
        switch issue {
        case .wrongType(let expected, _):
            switch expected {
            case .integer: problem = .notAnInteger
            case .decimal: problem = .notANumber
            case .date: problem = .notADate
            case .time: problem = .notATime
            case .datetime: problem = .notADateTime
            default: problem = .notAnOption("?")
            }
        case .outOfRange(let lo, let hi):
            switch lo ?? hi {
            case .decimal?: problem = .decimalOutOfRange(min: lo?.doubleValue, max: hi?.doubleValue)
            case .date?: problem = .dateOutOfRange(min: lo?.dateValue, max: hi?.dateValue)
            default: problem = .integerOutOfRange(min: lo?.integerValue, max: hi?.integerValue)
            }
        case .tooManyDecimals(let places): problem = .tooManyDecimals(places: places)
        case .tooLong(let maxLength):
            let actual = submitted.value.flatMap(\.textValue)?.count ?? 0
            problem = .tooLong(max: maxLength, actual: actual)
        case .patternMismatch: problem = .patternMismatch
        case .notAnOption(let code): problem = .notAnOption(String(code))
        case .tooFewChoices(let min): problem = .tooFewChoices(min: min)
        case .tooManyChoices(let max): problem = .tooManyChoices(max: max)
        case .exclusiveCombined(let code): problem = .exclusiveCombined(code: code)
        case .specialNotAllowed(let s): problem = .specialNotAllowed(s)
        case .checkFailed(let failure): problem = .check(preview.render(failure.message, at: at))
        case .unavailable(let error): return strings.engineRefused(error)
        }
        return strings.problem(problem)
    }
}

extension Value {
    var integerValue: Int? {
        switch self {
        case .integer(let i), .choice(let i): i
        default: nil
        }
    }

    var doubleValue: Double? {
        switch self {
        case .decimal(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }

    var dateValue: LocalDate? {
        if case .date(let d) = self { return d }
        return nil
    }

    var textValue: String? {
        if case .text(let t) = self { return t }
        return nil
    }
}
