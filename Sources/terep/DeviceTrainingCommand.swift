import ArgumentParser
import Fieldwork
import Foundation
import SurveyModel
import SurveyStore
import TerminalInterviewer

/// `terep device training ID --on|--off`: marks an existing interview as test/training, or as
/// real, after the fact (one appended `trainingMarked` event that travels in the next bundle).
struct DeviceTraining: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training",
        abstract: "Mark an existing interview as training (test) or as real, or list the interviews.",
        discussion: """
            Appends one event to the interview's log (nothing is rewritten or deleted); the change \
            reaches the central dataset with the next bundle. Training interviews are kept but left \
            out of exports and reports. ID may be a unique beginning of the id (see --list).
            """)

    /// Which mark to set.
    enum Mark: String, EnumerableFlag {
        case on, off

        static func help(for value: Mark) -> ArgumentHelp? {
            switch value {
            case .on: "Mark the interview as training (test): kept, but left out of exports and reports."
            case .off: "Mark the interview as real: included in exports and reports again."
            }
        }
    }

    @Argument(help: "The interview's id, or a unique beginning of it.")
    var interview: String?

    @Flag var mark: Mark?

    @Flag(help: "List this device's interviews with their training mark and exit.")
    var list = false

    @OptionGroup var database: DeviceDatabaseOptions

    @ArgumentParser.Option(
        name: .customLong("ui-lang"), help: "The language of the messages: hu or en (default: the questionnaire's first language).")
    var uiLanguage: String?

    func validate() throws {
        if let uiLanguage, UILanguage(rawValue: uiLanguage) == nil {
            throw ValidationError("--ui-lang must be hu or en, not '\(uiLanguage)'.")
        }
        if list {
            guard interview == nil, mark == nil else { throw ValidationError("--list takes no interview id, --on or --off.") }
            return
        }
        guard let interview, !interview.isEmpty else {
            throw ValidationError("Give the interview's id (see --list), then --on or --off.")
        }
        guard mark != nil else { throw ValidationError("Say --on (training) or --off (real interview).") }
    }

    func run() throws {
        let store: DeviceStore
        let interviews: [DeviceInterview]
        do {
            store = try DeviceStore.open(path: database.path, readOnly: list)
            interviews = try store.interviews()
        } catch {
            throw error
        }
        if list { return try TrainingListing.print(interviews, strings: strings(store, for: interviews.first)) }
        guard let typed = interview, let mark else { throw CommandFailure(nil, status: ExitStatus.usage) }  // validate() said why
        let record: DeviceInterview
        switch InterviewLookup.match(typed, in: interviews) {
        case .found(let found): record = found
        case .none:
            throw CommandFailure(strings(store, for: nil).unknownInterview(typed, listCommand: listCommand), status: ExitStatus.failure)
        case .ambiguous(let count):
            let message = strings(store, for: nil).ambiguousInterview(typed, matches: count, listCommand: listCommand)
            throw CommandFailure(message, status: ExitStatus.failure)
        }
        let strings = strings(store, for: record)
        let training = mark == .on
        let change: TrainingMarkChange
        do {
            change = try store.markTraining(training, interview: record.id)
        } catch {
            throw error
        }
        switch change {
        case .unchanged:
            print(strings.trainingMarkUnchanged(record.id, training: training))
        case .marked:
            print(strings.trainingMarkSet(record.id, training: training))
            print(strings.trainingMarkTravels)
        }
    }

    /// The command that lists the interviews, as shown in messages.
    private var listCommand: String {
        (["terep", "device", "training", "--list"] + (database.deviceDB.map { ["--device-db", $0] } ?? []))
            .joined(separator: " ")
    }

    /// The messages' language: --ui-lang, else the first language of the interview's
    /// questionnaire (of any saved questionnaire when there is no interview), else English.
    private func strings(_ store: DeviceStore, for record: DeviceInterview?) -> UIStrings {
        if let chosen = uiLanguage.flatMap(UILanguage.init(rawValue:)) { return UIStrings(chosen) }
        let hash = record?.definition ?? (try? store.definitionHashes().first) ?? nil
        let first = hash.flatMap { try? store.definition(hash: $0) }?.definition.languages.first
        return UIStrings(first.flatMap(UILanguage.init) ?? .en)
    }
}

/// `terep device training --list`: every interview on the device with its training mark.
enum TrainingListing {
    static func print(_ interviews: [DeviceInterview], strings: UIStrings) throws {
        guard !interviews.isEmpty else { return Swift.print(strings.trainingListEmpty) }
        Swift.print(strings.trainingListTitle + ":")
        for record in interviews {
            let started = LocalClock.moment(at: record.startedAt)
            let status = record.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
            let outcome = (record.outcome.map(String.init) ?? "-").padding(toLength: 4, withPad: " ", startingAt: 0)
            let line =
                "  \(record.id)  \(started.date) \(started.time)  \(status) \(outcome) "
                + (record.isTest ? strings.trainingListMark : "-")
            Swift.print(line)
        }
    }
}
