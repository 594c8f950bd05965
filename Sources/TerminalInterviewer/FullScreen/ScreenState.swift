import InterviewEngine
import SurveyModel

/// What the full screen remembers between keys, besides the controller's state: the input line,
/// an open list (menu, review, help), the last messages, and the progress already shown.
public struct ScreenState: Sendable {
    /// A list covering the body, with its highlighted line.
    public enum List: Hashable, Sendable {
        case sections(selected: Int)
        case review(selected: Int)
        case help(top: Int)
        case closing(ClosingReport, top: Int)
    }

    public var editor = LineEditor()
    /// What the input line held when the question came up (its answer as typed), so that Enter
    /// on an unchanged line keeps the answer instead of saving it again.
    public var original = ""
    /// The question the input line belongs to.
    public var editing: Address?
    public var list: List?
    public var messages: [ScreenModel.Message] = []
    /// The progress shown so far: it never goes down in a session.
    public var percent = 0

    public init() {}

    /// Whether the input line differs from what the question came up with.
    public var edited: Bool { editor.text != original }
}
