import SurveyModel
import SurveyStore

/// Finds an interview on the device by its id or a unique beginning of it, as fieldworkers type
/// it (`terep interview --resume 89c0`, `terep device training 89c0 --on`).
public enum InterviewLookup {
    public enum Match: Sendable {
        case found(DeviceInterview)
        /// No interview's id is or starts with what was typed.
        case none
        /// More than one id starts with what was typed; the payload is how many.
        case ambiguous(Int)
    }

    /// The interview whose id is `typed`, else the only one whose id starts with it.
    public static func match(_ typed: String, in interviews: [DeviceInterview]) -> Match {
        if let exact = interviews.first(where: { $0.id.rawValue == typed }) { return .found(exact) }
        let matches = typed.isEmpty ? [] : interviews.filter { $0.id.rawValue.hasPrefix(typed) }
        switch matches.count {
        case 0: return .none
        case 1: return .found(matches[0])
        default: return .ambiguous(matches.count)
        }
    }
}
