import ArgumentParser
import Fieldwork
import Foundation
import SurveyModel
import SurveyStore

/// `terep assign`: gives the sample's cases to a device, or moves them to another.
struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Give cases of the sample to a device (--to: move them from it to another).",
        discussion: """
            Choose the cases by id (--cases), by preloaded values (--where VAR=VALUE, repeatable, all \
            must hold) and/or by number (--count N, the first N by case id). Without --to, the \
            unassigned cases are given to --device; with --to, cases on --device are moved to the \
            --to device, which is told in its next package, as the first device is told to hand them \
            back. A case belongs to one device at a time. Every assignment is logged with who and when.
            """)

    @OptionGroup var central: CentralDatasetOptions
    @OptionGroup var survey: SurveyOption
    @OptionGroup var actor: ActorOptions
    @ArgumentParser.Option(help: "The device that gets the cases (or, with --to, the one they come from).") var device: String
    @ArgumentParser.Option(help: "Move the cases from --device to this device.") var to: String?
    @ArgumentParser.Option(name: .customLong("cases"), parsing: .upToNextOption, help: "Case ids.") var cases: [String] = []
    @ArgumentParser.Option(
        name: .customLong("where"), parsing: .singleValue,
        help: ArgumentHelp("A preloaded value, e.g. district=6 (repeatable).", valueName: "VAR=VALUE"))
    var conditions: [String] = []
    @ArgumentParser.Option(help: "At most this many cases (the first by case id).") var count: Int?

    func run() throws {
        let request = AssignmentRequest(
            survey: survey.id, device: DeviceID(device), to: to.map(DeviceID.init), cases: cases.map(CaseID.init),
            conditions: conditions, count: count)
        do {
            let store = try central.open()
            let report = try Assignment.run(request, central: store, actor: actor.actor, at: DeviceStore.currentMilliseconds())
            let target = DisplayText.escaped(report.device.rawValue)
            let verb = report.from.map { "Moved from \(DisplayText.escaped($0.rawValue)) to" } ?? "Assigned to"
            print(
                "\(verb) \(target): \(report.changed.count) case\(report.changed.count == 1 ? "" : "s")"
                    + (report.unchanged > 0 ? " (\(report.unchanged) already there)" : ""))
            if report.changed.isEmpty && report.unchanged == 0 { Console.error("note: no case matched") }
        } catch let error as FieldworkError {
            throw error
        } catch let error as StoreError {
            throw error
        }
    }
}
