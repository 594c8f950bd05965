import SurveyModel

/// Everything the full screen shows, as plain values: built from the controller's state by
/// ``ScreenModelBuilder`` and drawn into a ``CellGrid`` by ``ScreenRenderer``. Nothing here
/// knows about ncurses, so golden captures and the benchmark need no terminal.
public struct ScreenModel: Hashable, Sendable {
    public var header: Header
    public var body: Body
    /// Messages of the last action (errors, warnings, confirmations), in order.
    public var messages: [Message]
    /// The question the session waits an answer to (confirm a warning…), shown above the input line.
    public var prompt: Message?
    /// The input line; nil while an overlay (menu, review, help) has the keyboard.
    public var editor: EditorLine?
    /// The keys that work now, for the status line.
    public var keys: [KeyHint]

    public struct Message: Hashable, Sendable {
        public var text: String
        public var tone: MessageTone

        public init(text: String, tone: MessageTone) {
            self.text = text
            self.tone = tone
        }
    }

    public struct Header: Hashable, Sendable {
        /// The questionnaire's title.
        public var title: String
        /// The interview's id, shortened (the full id is in the review and on exit).
        public var interview: String
        /// What says which case this is, field by field: the sample's case id and address, then
        /// the case identifiers (`cluster_id=K042`); never left out of the header.
        public var cases: [String]
        /// The questionnaire language, upper case (`HU`).
        public var language: String
        /// The current section, with its position among the sections on route.
        public var section: String?
        public var sectionNumber: Int
        public var sectionCount: Int
        /// Answered questions, and the estimate of what is left.
        public var answered: Int
        public var remaining: Int
        /// 0…100, never lower than before in the same session.
        public var percent: Int
        public var training: Bool
        /// The second line, already worded: training mark, interview, case, section, progress.
        public var details: [Detail]
    }

    /// One part of the header's details, and what it is (``HeaderLayout`` decides what a narrow
    /// screen shortens or leaves out).
    public struct Detail: Hashable, Sendable {
        public enum Kind: Hashable, Sendable { case training, interview, cases, section, progress }
        public var kind: Kind
        public var text: String
        /// The part never shortened (the section's position, `4/11. szakasz`), shown after the text.
        public var fixed: String? = nil
    }

    public enum Body: Hashable, Sendable {
        /// The current question, and the page of the form it is on.
        case form(QuestionPane, FormPane?)
        /// The section menu, the review, the help or the closing check: a list over the whole body.
        case list(ListPane)
        /// Nothing to show (the interview ended).
        case empty
    }

    public struct EditorLine: Hashable, Sendable {
        public var label: String
        public var editor: LineEditor
        /// `12/20` for texts with a limit.
        public var counter: String?
        /// A reminder under the line (what Enter does on an empty line).
        public var hint: String?
    }

    public struct KeyHint: Hashable, Sendable {
        public var key: String
        public var action: String
        /// 0: always shown; otherwise left out when the keys do not fit on one line, the highest
        /// first (F1's help lists them all).
        public var spare = 0
    }
}

/// The current question: the same ``QuestionScreen`` the line view prints, and the lines the
/// full screen words itself.
public struct QuestionPane: Hashable, Sendable {
    public var screen: QuestionScreen
    /// `Jelenlegi válasz: 3 Gázkonvektor (Enter = megtartja)`, `Javasolt érték: …`.
    public var current: String?
    public var proposed: String?
    /// `KÉRDEZŐ TÖLTI KI` for questions the interviewer answers.
    public var interviewerOnly: String?
    /// Why the stored answer no longer fits, when an earlier change made it invalid.
    public var stale: String?
    /// The supervisor's comments at this answer of a rejected interview, worded (shown while the
    /// question is current).
    public var comments: [String] = []
}

/// The page of the form the current question is on: a section's questions, or a roster or grid
/// as a table (one row per member or item).
public struct FormPane: Hashable, Sendable {
    /// A section's questions (name, question, answer), a grid (item, answer), or a roster
    /// (row number, then one column per question).
    public enum Kind: Hashable, Sendable { case fields, grid, roster }

    public var kind: Kind
    public var title: String
    /// Column headings (tables); for fields: name, question, answer.
    public var columns: [String]
    public var rows: [Row]
    /// The row of the current question within ``rows``, and its column in a table.
    public var focusRow: Int?
    public var focusColumn: Int?
    /// Rows of the page not in ``rows`` (a long roster is windowed around the current row).
    public var hiddenAbove: Int
    public var hiddenBelow: Int

    public struct Row: Hashable, Sendable {
        public var cells: [String]
        /// Cells of questions not asked in this row (routing), drawn dimmed.
        public var offRoute: Set<Int>
    }
}

/// A full-body list: the section menu, the review pager, the help, the closing check.
public struct ListPane: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case sections, review, help, closing }

    public var kind: Kind
    public var title: String
    public var lines: [Line]
    /// The highlighted line (the one Enter jumps to), if the list is navigable.
    public var selected: Int?

    public struct Line: Hashable, Sendable {
        public var text: String
        /// A second column, right-aligned (a section's completion).
        public var trailing: String?
        public var tone: MessageTone
        public var heading: Bool
        /// Whether Enter on this line goes somewhere.
        public var selectable: Bool

        public init(text: String, trailing: String? = nil, tone: MessageTone = .plain, heading: Bool = false, selectable: Bool = false) {
            self.text = text
            self.trailing = trailing
            self.tone = tone
            self.heading = heading
            self.selectable = selectable
        }
    }
}
