import Fieldwork
import InterviewEngine
import SurveyModel
import TerminalInterviewer

/// A small bilingual questionnaire touching every screen element the terminal shows.
enum Fixture {
    static func hu(_ hu: String, _ en: String) -> LocalizedText { LocalizedText(["hu": hu, "en": en]) }
    static func lit(_ i: Int) -> Expr { .literal(.integer(i)) }

    static let yesNo = AnswerSet(
        id: "YESNO",
        options: [
            Option(code: 1, label: hu("igen", "yes")), Option(code: 0, label: hu("nem", "no")),
        ])
    static let problems = AnswerSet(
        id: "NB_PROB",
        options: [
            Option(code: 1, label: hu("közbiztonság", "safety")), Option(code: 2, label: hu("szemét", "litter")),
            Option(code: 3, label: hu("zaj", "noise")), Option(code: 96, label: hu("egyéb", "other"), other: true),
            Option(code: 97, label: hu("nincs", "none"), exclusive: true),
        ])
    static let outcomes = AnswerSet(
        id: "OUTCOME",
        options: [
            Option(code: 11, label: hu("Teljes", "Complete")), Option(code: 21, label: hu("Visszautasítás", "Refusal")),
            Option(code: 42, label: hu("Nincs 16+ lakos", "No eligible respondent")),
        ])
    static let sat = AnswerSet(
        id: "SAT10",
        options: [
            Option(code: 0, label: hu("Egyáltalán nem elégedett", "Not at all satisfied")),
            Option(code: 10, label: hu("Teljes mértékben elégedett", "Completely satisfied")),
        ])

    /// hh_n16 (0..15, 0 ends with 42) → consent (no DK) → life_sat (scale) → nb_prob (max 3)
    /// → hh_size (error if < hh_n16, warning if > 10) → roster mem[hh_size]: m_name → ve_date.
    static let definition: SurveyDefinition = {
        let screening = Group(
            id: "A", kind: .section, title: hu("A. Szűrés", "A. Screening"),
            children: [
                .question(
                    Question(
                        name: "outcome", kind: .singleChoice(ChoiceSpec(answerSet: "OUTCOME")),
                        text: hu("Látogatás eredménye", "Visit outcome"), required: false, interviewerOnly: true)),
                .question(
                    Question(
                        name: "hh_n16", kind: .integer(min: lit(0), max: lit(15)),
                        text: hu(
                            "Hány 16 éves vagy idősebb személy lakik itt állandóan?",
                            "How many people aged 16+ live here permanently?"))),
                .end(
                    EndRule(
                        condition: .binary(.equal, .variable("hh_n16"), lit(0)), outcome: 42,
                        message: hu("Nincs megkérdezhető személy.", "Nobody eligible."))),
                .question(
                    Question(
                        name: "consent", kind: .singleChoice(ChoiceSpec(answerSet: "YESNO")),
                        text: hu("Hozzájárul, hogy elkezdjük?", "Do you agree to start?"), specials: [])),
            ])
        let main = Group(
            id: "B", kind: .section, title: hu("B. Közérzet", "B. Well-being"),
            children: [
                .question(
                    Question(
                        name: "life_sat", kind: .scale(min: 0, max: 10, labels: "SAT10"),
                        text: hu(
                            "Mindent egybevéve mennyire elégedett Ön mostanában az életével?",
                            "Overall, how satisfied are you with life as a whole these days?"),
                        hint: hu("Mutassa a kártyát.", "Show the card."))),
                .question(
                    Question(
                        name: "nb_prob", kind: .multipleChoice(ChoiceSpec(answerSet: "NB_PROB"), min: nil, max: 3),
                        text: hu("Melyek a legnagyobb gondok a környékén?", "Which are the biggest problems in your area?"))),
                .question(
                    Question(
                        name: "hh_size", kind: .integer(min: lit(1), max: lit(15)),
                        text: hu("Önnel együtt hányan élnek a háztartásban?", "Including you, how many live in the household?"),
                        checks: [
                            Check(
                                id: "chk_hh_size", severity: .error,
                                condition: .binary(.less, .variable("hh_size"), .variable("hh_n16")),
                                message: hu(
                                    "A háztartás létszáma nem lehet kisebb a 16 év felettiek számánál ({hh_n16}).",
                                    "Household size cannot be smaller than the number aged 16+ ({hh_n16}).")),
                            Check(
                                id: "chk_hh_size_2", severity: .warning,
                                condition: .binary(.greater, .variable("hh_size"), lit(10)),
                                message: hu("Szokatlanul nagy háztartás.", "Unusually large household.")),
                        ])),
                .group(
                    Group(
                        id: "mem",
                        kind: .roster(
                            RosterSpec(
                                count: .variable("hh_size"), maxRows: 15,
                                rowLabel: hu("{m_name}", "{m_name}"))),
                        title: hu("Háztartástagok", "Household members"),
                        children: [
                            .question(
                                Question(
                                    name: "m_name", kind: .text(maxLength: 20, pattern: nil),
                                    text: hu("Keresztneve?", "First name?"), pii: true))
                        ])),
                .question(
                    Question(
                        name: "ve_date",
                        kind: .date(
                            min: .literal(.date(LocalDate(year: 2020, month: 1, day: 1))),
                            max: .literal(.date(LocalDate(year: 2026, month: 12, day: 31)))),
                        text: hu("Mikor volt a legutóbbi rendezvény?", "When was the last event?"), required: false)),
            ])
        return SurveyDefinition(
            id: "fixture", version: "1", title: hu("Próba", "Trial"), languages: ["hu", "en"],
            outcome: OutcomeSpec(variable: "outcome", completeCode: 11),
            answerSets: [yesNo, problems, outcomes, sat], items: [.group(screening), .group(main)])
    }()

    static let start = Moment(
        timestamp: 1_780_000_000_000, date: LocalDate(year: 2026, month: 6, day: 1),
        time: TimeOfDay(hour: 10, minute: 0))
    static let context = EngineContext(today: start.date, now: start.time, interviewer: "anna")

    static func interview(language: LanguageCode = "hu") throws -> Interview {
        try Interview(
            definition: definition, started: .started(definition: "h", seed: 1, language: language, preload: [:]),
            context: context)
    }
}

/// Collects events as the device store would, optionally failing like a full disk after N.
final class MemoryRecorder: InterviewRecorder {
    private(set) var events: [InterviewEventKind] = []
    var failAfter: Int?

    init(failAfter: Int? = nil) { self.failAfter = failAfter }

    func record(_ kind: InterviewEventKind, timestamp: Int64) throws(RecordingError) {
        if let failAfter, events.count >= failAfter { throw RecordingError("the disk is full", cause: .diskFull) }
        events.append(kind)
    }

    /// The answers recorded, without the paradata.
    var answers: [InterviewEventKind] {
        events.filter { if case .shown = $0 { false } else { true } }
    }
}

/// Runs a scripted session on the fixture and returns what happened.
struct ScriptedRun {
    let terminal: ScriptedTerminal
    let recorder: MemoryRecorder
    let session: InterviewSession
    let end: SessionEnd

    init(
        _ lines: [String], uiLanguage: UILanguage? = nil, width: Int = 80, failAfter: Int? = nil,
        ending: TerminalInput = .endOfInput, interview: Interview? = nil, resumeAt: Address? = nil,
        review: ReviewNotes? = nil
    ) throws {
        try self.init(
            inputs: lines.map(TerminalInput.line), uiLanguage: uiLanguage, width: width, failAfter: failAfter, ending: ending,
            interview: interview, resumeAt: resumeAt, review: review)
    }

    /// A run whose script holds signals between its lines too (`.interrupted(2)`: Ctrl-C), on a
    /// terminal that is `interactive` or a pipe.
    init(
        inputs: [TerminalInput], interactive: Bool = false, uiLanguage: UILanguage? = nil, width: Int = 80, failAfter: Int? = nil,
        ending: TerminalInput = .endOfInput, interview: Interview? = nil, resumeAt: Address? = nil,
        review: ReviewNotes? = nil
    ) throws {
        terminal = ScriptedTerminal(inputs: inputs, width: width, interactive: interactive, ending: ending)
        recorder = MemoryRecorder(failAfter: failAfter)
        session = InterviewSession(
            interview: try interview ?? Fixture.interview(), spent: ActiveTime(startedAt: Fixture.start.timestamp), terminal: terminal,
            recorder: recorder, clock: .stepping(from: Fixture.start),
            options: SessionOptions(
                uiLanguage: uiLanguage, interviewer: "anna", resumeCommand: "terep interview x --resume 1",
                resumeAt: resumeAt, review: review))
        end = session.run()
    }

    var output: String { terminal.output }
}
