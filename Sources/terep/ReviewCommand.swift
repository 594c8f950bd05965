import ArgumentParser
import Fieldwork
import Foundation
import SurveyModel
import SurveyStore

/// `terep review`: the supervisor approves or rejects a merged interview, or comments on one of
/// its answers.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Approve or reject a merged interview, or comment on one of its answers.",
        discussion: """
            Give one of --approve, --reject "why" or --question VAR --comment "…". A rejection goes \
            back to the interviewer in the device's next package, with the \
            comments made on the same state of the interview shown at their questions; the fix comes \
            back in a bundle and waits for review again. An approved interview is locked on the \
            device. Every decision is logged with who (--by) and when, and exported (iv_review).
            """)

    @OptionGroup var central: CentralDatasetOptions
    @OptionGroup var actor: ActorOptions
    @ArgumentParser.Option(help: ArgumentHelp("The interview's id, or a unique beginning of it.", valueName: "id"))
    var interview: String
    @ArgumentParser.Flag(help: "Approve the interview (with --comment: a note on the approval).") var approve = false
    @ArgumentParser.Option(help: ArgumentHelp("Reject the interview, saying what to fix.", valueName: "comment"))
    var reject: String?
    @ArgumentParser.Option(help: ArgumentHelp("The answer to comment on (m_age[2] for a roster's question).", valueName: "VAR"))
    var question: String?
    @ArgumentParser.Option(help: ArgumentHelp("The comment on --question, or the note on --approve.", valueName: "text"))
    var comment: String?

    func validate() throws {
        let chosen = [approve, reject != nil, question != nil].filter { $0 }.count
        guard chosen == 1 else {
            throw ValidationError("give exactly one of --approve, --reject \"why\" or --question VAR --comment \"…\"")
        }
        if question != nil, comment == nil { throw ValidationError("--question needs --comment \"…\"") }
        if reject != nil, comment != nil {
            throw ValidationError("--reject carries its own comment; comment on an answer with a separate --question VAR --comment")
        }
    }

    func run() throws {
        let request: ReviewRequest
        if let reject {
            request = .reject(comment: reject)
        } else if let question {
            request = .comment(question: question, text: comment ?? "")
        } else {
            request = .approve(note: comment)
        }
        let store = try central.open()
        let receipt = try SupervisorReview.record(
            request, interview: interview, central: store, actor: actor.actor, at: DeviceStore.currentMilliseconds())
        let entry = receipt.entry
        let id = entry.interview?.rawValue ?? interview
        let what: String
        switch entry.action {
        case .approved: what = "Approved"
        case .rejected: what = "Rejected"
        default: what = "Commented on \(entry.question?.description ?? "") of"
        }
        let device = entry.device.map { "; it reaches \(DisplayText.escaped($0.rawValue)) in its next package" } ?? ""
        print("\(what) interview \(DisplayText.escaped(id)) (log entry \(entry.sequence), by \(DisplayText.escaped(entry.actor)))\(device)")
    }
}
