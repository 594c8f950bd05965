import ArgumentParser
import Fieldwork
import Foundation
import InterviewEngine
import SurveyModel
import SurveyStore

/// `terep sample`: the cases of a survey's sample at the central dataset.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Load the sample's cases, list them, and withdraw cases (the coordinator's side).",
        subcommands: [SampleImportCommand.self, SampleListCommand.self, SampleWithdrawCommand.self])
}

/// `--survey ID`, shared by the sample, assignment and package commands.
struct SurveyOption: ParsableArguments {
    @ArgumentParser.Option(help: ArgumentHelp("The survey id (as in the questionnaire's header, e.g. wellbeing).", valueName: "id"))
    var survey: String

    var id: SurveyID { SurveyID(survey) }
}

/// `terep sample import`: checks a sample file against the questionnaire and loads it.
struct SampleImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Check a sample file (CSV) against the survey's questionnaire and load its cases.",
        discussion: """
            The file has a case_id column and one column per preloaded question. Every problem of \
            every line is reported at once as FILE:LINE: …, and nothing is loaded when there is any. \
            Importing an amended file adds new cases and updates changed ones; it never deletes a \
            case (see terep sample withdraw).
            """)

    @OptionGroup var central: CentralDatasetOptions
    @OptionGroup var survey: SurveyOption
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The sample file (CSV, UTF-8; ',' or ';' between fields).") var file: String

    func run() throws {
        do {
            let store = try central.open()
            let progress = Console.progress()
            defer { progress.finish() }
            let report = try SampleImport.run(
                file: file, survey: survey.id, central: store, actor: actor.actor, at: DeviceStore.currentMilliseconds(),
                progress: progress)
            progress.finish()
            let r = report.result
            print(
                "Sample of \(report.survey) (\(DisplayText.escaped(report.definition.definition.version))): \(report.cases) cases "
                    + "in \(DisplayText.escaped(file)); \(r.added) added, \(r.updated) updated, \(r.unchanged) unchanged")
        } catch let error as FieldworkError {
            throw error
        } catch let error as StoreError {
            throw error
        }
    }
}

/// `terep sample list`: the sample's cases and where they are.
struct SampleListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the sample's cases: id, device (or withdrawn), address and preloaded values.",
        discussion: "One case a line, tab-separated; the counts go to standard error.")

    @OptionGroup var central: CentralDatasetOptions
    @OptionGroup var survey: SurveyOption

    func run() throws {
        do {
            let cases = try central.open(readOnly: true).sampleCases(survey: survey.id)
            for c in cases {
                let values = c.values.sorted { $0.key < $1.key }.map { "\($0.key)=\(DisplayText.escaped(Interview.display($0.value)))" }
                let place = c.withdrawn ? "withdrawn" : c.device.map { DisplayText.escaped($0.rawValue) } ?? "-"
                print("\(c.id)\t\(place)\t\(DisplayText.escaped(c.address ?? "-"))\t\(values.joined(separator: " "))")
            }
            let assigned = cases.filter { $0.device != nil }.count
            let withdrawn = cases.filter(\.withdrawn).count
            Console.error("\(cases.count) cases: \(assigned) assigned, \(withdrawn) withdrawn")
        } catch let error as StoreError {
            throw error
        }
    }
}

/// `terep sample withdraw`: takes cases out of the sample, with why (their data stay).
struct SampleWithdrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "Withdraw cases from the sample (logged with who, when and why; data stay).")

    @OptionGroup var central: CentralDatasetOptions
    @OptionGroup var survey: SurveyOption
    @OptionGroup var actor: ActorOptions
    @ArgumentParser.Option(name: .customLong("cases"), parsing: .upToNextOption, help: "The case ids.") var cases: [String]
    @ArgumentParser.Option(help: "Why (kept in the log).") var reason: String

    func run() throws {
        do {
            let store = try central.open()
            let n = try Assignment.withdraw(
                survey: survey.id, cases: cases.map(CaseID.init), reason: reason, central: store, actor: actor.actor,
                at: DeviceStore.currentMilliseconds())
            print("Withdrew \(n) case\(n == 1 ? "" : "s") of \(survey.id); their devices are told in their next package")
        } catch let error as FieldworkError {
            throw error
        } catch let error as StoreError {
            throw error
        }
    }
}
