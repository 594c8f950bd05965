import SurveyModel

/// What happened in an interview, event by event, as analysts get it in `<survey>_paradata.csv`:
/// the kind of event, where (a question and its roster rows), when, and on which device. No
/// answer values: those are in the data files.
public struct ParadataEvent: Hashable, Sendable {
    public var kind: ParadataKind
    /// The question (and roster rows) the event is about; nil for interview-level events.
    public var address: Address?
    /// Milliseconds since 1970-01-01T00:00:00Z, from the device clock.
    public var timestamp: Int64
    public var device: DeviceID

    public init(kind: ParadataKind, address: Address?, timestamp: Int64, device: DeviceID) {
        self.kind = kind
        self.address = address
        self.timestamp = timestamp
        self.device = device
    }
}

/// The kinds of paradata events (the `kind` column).
public enum ParadataKind: String, Hashable, Sendable, CaseIterable {
    case started, shown
    /// A first answer at the question.
    case answered
    /// An answer that replaced a different one.
    case changed
    /// Don't know or refused.
    case special
    case cleared, note
    case warningConfirmed = "warning_confirmed"
    case rowAdded = "row_added"
    case rowRemoved = "row_removed"
    case language, ended, reopened

    /// The code stored in the cache of cleaned records.
    public var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self) ?? 0) }

    public init?(code: UInt8) {
        guard Int(code) < Self.allCases.count else { return nil }
        self = Self.allCases[Int(code)]
    }
}

/// A text the interviewer typed: a note on a question or the interview, or the reason given
/// when confirming a soft check (`<survey>_comments.csv`).
public struct InterviewComment: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case note
        /// The reason typed when confirming a soft check.
        case reason
    }

    public var kind: Kind
    /// The question (and rows) it is about; nil for a note on the whole interview or a
    /// confirmation of a check on a group.
    public var address: Address?
    /// The confirmed check, for a reason.
    public var check: CheckID?
    public var timestamp: Int64
    public var text: String

    public init(kind: Kind, address: Address?, check: CheckID? = nil, timestamp: Int64, text: String) {
        self.kind = kind
        self.address = address
        self.check = check
        self.timestamp = timestamp
        self.text = text
    }
}

extension InterviewComment {
    /// The notes and confirmation reasons of an event log, in merge order (empty texts left out).
    public static func comments(of log: [InterviewEvent], owner: (CheckID) -> VariableName?) -> [InterviewComment] {
        log.compactMap { event in
            switch event.kind {
            case .note(let a, let text) where !text.isEmpty:
                InterviewComment(kind: .note, address: a, timestamp: event.timestamp, text: text)
            case .warningConfirmed(let check, let rows, let reason?) where !reason.isEmpty:
                InterviewComment(
                    kind: .reason, address: owner(check).map { Address($0, rows: rows) }, check: check,
                    timestamp: event.timestamp, text: reason)
            default: nil
            }
        }
    }
}

extension ParadataEvent {
    /// The paradata of an event log in merge order: each event's kind, with an answer told apart
    /// as first, changed or special by the answers before it; a confirmed check is placed at the
    /// question `owner` names for it. Labels on the interview (training marks, the case it is for)
    /// are left out.
    public static func events(of log: [InterviewEvent], owner: (CheckID) -> VariableName?) -> [ParadataEvent] {
        var last: [Address: Answer] = [:]
        var out: [ParadataEvent] = []
        out.reserveCapacity(log.count)
        for event in log {
            let kind: ParadataKind, address: Address?
            switch event.kind {
            case .started: (kind, address) = (.started, nil)
            case .shown(let a): (kind, address) = (.shown, a)
            case .answered(let a, let answer):
                if case .special = answer {
                    kind = .special
                } else {
                    kind = last[a].map { $0 == answer ? .answered : .changed } ?? .answered
                }
                last[a] = answer
                address = a
            case .cleared(let a):
                last[a] = nil
                (kind, address) = (.cleared, a)
            case .note(let a, _): (kind, address) = (.note, a)
            case .warningConfirmed(let check, let rows, _):
                (kind, address) = (.warningConfirmed, owner(check).map { Address($0, rows: rows) })
            case .rowAdded: (kind, address) = (.rowAdded, nil)
            case .rowRemoved: (kind, address) = (.rowRemoved, nil)
            case .languageChanged: (kind, address) = (.language, nil)
            case .ended: (kind, address) = (.ended, nil)
            case .reopened: (kind, address) = (.reopened, nil)
            case .trainingMarked, .assignedCase: continue
            }
            out.append(ParadataEvent(kind: kind, address: address, timestamp: event.timestamp, device: event.device))
        }
        return out
    }
}
