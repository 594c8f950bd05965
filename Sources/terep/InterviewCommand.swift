import ArgumentParser
import Fieldwork
import Foundation
import InterviewEngine
import SurveyCompiler
import SurveyModel
import SurveyStore
import TerminalInterviewer

/// `terep interview FILE`: a new interview, or list and resume unfinished ones.
struct InterviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interview",
        abstract: "Run an interview in the terminal (new, resume an unfinished one, or reopen an ended one).",
        discussion: """
            Every confirmed answer is saved in the device database before the next question is \
            shown. On first use the device database is created at the default location with a \
            generated device id and the interviewer from --interviewer or $USER. Type ? during \
            the interview for the commands (F1 on the full screen). On a terminal the interview is a \
            full-screen form; with --plain, or when standard input or output is not a terminal \
            (piped scripts), it runs line by line. With --case CASE (a case id) it starts or \
            continues that assigned case's interview, its preloads filled in from the sample; \
            without a questionnaire or --case, on a device with assigned cases, it starts from the \
            case list (terep cases). --list, --resume and --reopen need no questionnaire: the device \
            database keeps the definition every interview was started on.
            """)

    @Argument(
        help:
            "The questionnaire: a .survey source or a compiled definition (.json); not needed for an assigned case, --list, --resume or --reopen."
    )
    var file: String?

    @OptionGroup var database: DeviceDatabaseOptions

    @ArgumentParser.Option(help: "Resume the unfinished interview with this id, or a unique beginning of it (see --list).")
    var resume: String?

    @ArgumentParser.Option(help: "Reopen the ended interview with this id, or a unique beginning of it, and resume it (needs --reason).")
    var reopen: String?

    @ArgumentParser.Option(help: "Why the interview is reopened (recorded with who and when), e.g. \"hh_n16 mistyped as 0\".")
    var reason: String?

    @Flag(help: "List the unfinished interviews of this questionnaire (without one: of every questionnaire on the device) and exit.")
    var list = false

    @Flag(help: "Mark a new interview as test/training: kept, but excluded from exports and reports.")
    var training = false

    @ArgumentParser.Option(
        name: .customLong("case"), parsing: .singleValue,
        help: ArgumentHelp(
            "An assigned case to start or continue, e.g. --case W-0042; or, with a questionnaire, a preloaded value, "
                + "e.g. --case cluster_id=K042 (repeatable).", valueName: "case|name=value"))
    var cases: [String] = []

    /// The assigned case `--case CASE` names (a value without `=`).
    var assignedCase: String? { cases.first { !$0.contains("=") } }

    @ArgumentParser.Option(
        name: .customLong("ui-lang"), help: "The interviewer's own texts: hu or en (default: the questionnaire's first language).")
    var uiLanguage: String?

    @ArgumentParser.Option(name: .customLong("lang"), help: "The questionnaire language to start in (default: its first language).")
    var language: String?

    @ArgumentParser.Option(help: "The seed for option randomisation (default: random).")
    var seed: UInt64?

    @ArgumentParser.Option(help: "The interviewer's name when the device database is created on first use (default: $USER).")
    var interviewer: String?

    @Flag(help: "Line by line instead of the full screen (also when standard input or output is not a terminal).")
    var plain = false

    func validate() throws {
        if let uiLanguage, UILanguage(rawValue: uiLanguage) == nil {
            throw ValidationError("--ui-lang must be hu or en, not '\(uiLanguage)'.")
        }
        if assignedCase != nil {
            if cases.count > 1 { throw ValidationError("--case CASE (an assigned case) goes alone: its preloads come from the sample.") }
            if file != nil { throw ValidationError("--case CASE takes the questionnaire from the case's package: leave out the file.") }
            if list || resume != nil || reopen != nil || training {
                throw ValidationError("--case CASE goes without --list, --resume, --reopen and --training.")
            }
        } else if file == nil, !cases.isEmpty || training {
            throw ValidationError(
                "A new interview needs its questionnaire file (--case NAME=VALUE and --training go with it), "
                    + "or --case CASE for an assigned case.")
        }
        if list && resume != nil { throw ValidationError("Use either --list or --resume, not both.") }
        if resume != nil && !cases.isEmpty { throw ValidationError("--case applies to a new interview, not to --resume.") }
        if resume != nil && training { throw ValidationError("--training applies to a new interview, not to --resume.") }
        if reopen != nil {
            if list || resume != nil { throw ValidationError("Use --reopen alone: not with --list or --resume.") }
            if !cases.isEmpty || training { throw ValidationError("--case and --training apply to a new interview, not to --reopen.") }
            if (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("Say why the interview is reopened: --reopen ID --reason \"…\".")
            }
            if let reason, TypedText.problem(in: reason) != nil {
                throw ValidationError("--reason must be printable text on one line, without control characters.")
            }
        } else if reason != nil {
            throw ValidationError("--reason goes with --reopen.")
        }
    }

    func run() throws {
        guard let file else {
            // --list, --resume and --reopen find the questionnaire in the device database.
            if list || resume != nil || reopen != nil { return try runStored() }
            return try runCase()
        }
        let compiled = try SurveyFile.load(file)
        let ui = uiLanguage.flatMap(UILanguage.init(rawValue:))
        let strings = UIStrings(ui ?? compiled.definition.languages.first.flatMap(UILanguage.init) ?? .en)
        // A mistyped --case is said before a device database is created for nothing.
        do { _ = try CaseIdentifiers.parse(cases, definition: compiled.definition) } catch {
            throw Self.startFailure(error, strings: strings)
        }
        let store = try DeviceDatabase.openOrCreate(database, interviewer: interviewer, strings: strings)
        let unfinished: [DeviceInterview]
        unfinished = try InterviewStart.unfinished(store: store, survey: compiled.definition.id)
        if list { return printUnfinished(unfinished, device: InterviewerDevice(store: store), strings: strings, surveys: false) }
        var notices: [String] = []
        if resume == nil, !unfinished.isEmpty { notices.append(strings.unfinishedHint(unfinished.count, listCommand: listCommand)) }
        let options = InterviewStartOptions(language: language.map(LanguageCode.init), seed: seed, cases: cases, training: training)
        let prepared: PreparedInterview
        if let existing = try existing(store: store, strings: strings, notices: &notices) {
            prepared = existing
        } else {
            do { prepared = try InterviewStart.begin(compiled, store: store, options: options) } catch {
                throw Self.startFailure(error, strings: strings)
            }
        }
        try runSession(prepared, store: store, strings: strings, notices: notices, resumeCommand: resumeCommand(prepared.id))
    }

    /// `--list`, `--resume ID` or `--reopen ID` without a questionnaire: every questionnaire's
    /// unfinished interviews, or the one named, on the definition the device database keeps for
    /// it. The database must exist (nothing to list or resume in a new one).
    private func runStored() throws {
        let store = try DeviceStore.open(path: database.path)
        let ui = uiLanguage.flatMap(UILanguage.init(rawValue:))
        if list {
            let unfinished = try InterviewStart.unfinished(store: store)
            return printUnfinished(unfinished, device: InterviewerDevice(store: store), strings: UIStrings(ui ?? .hu), surveys: true)
        }
        // Messages before the session in the language of the interview's own questionnaire.
        let named = try resumedID(resume ?? reopen ?? "", store: store, strings: UIStrings(ui ?? .hu))
        let definition = try InterviewStart.definition(of: named, store: store)
        let strings = UIStrings(ui ?? definition?.definition.languages.first.flatMap(UILanguage.init) ?? .hu)
        var notices: [String] = []
        guard let prepared = try existing(store: store, strings: strings, notices: &notices) else { return }
        try runSession(prepared, store: store, strings: strings, notices: notices, resumeCommand: resumeCommand(prepared.id))
    }

    private func printUnfinished(_ unfinished: [DeviceInterview], device: InterviewerDevice, strings: UIStrings, surveys: Bool) {
        guard !unfinished.isEmpty else { return print(strings.noUnfinished) }
        print(strings.unfinishedTitle + ":")
        for record in unfinished {
            print(InterviewStart.listingLine(record, survey: surveys, case: device.caseValues(of: record.id)))
        }
    }

    /// The interview `--reopen` or `--resume` names, prepared (nil when neither is given).
    private func existing(store: DeviceStore, strings: UIStrings, notices: inout [String]) throws -> PreparedInterview? {
        let resumed = try resume.map { try resumedID($0, store: store, strings: strings) }
        let reopened = try reopen.map { try resumedID($0, store: store, strings: strings) }
        do {
            if let reopened {
                let (interview, previous) = try InterviewStart.reopen(reopened, reason: reason ?? "", store: store)
                notices.append(strings.reopened(reopened, previousOutcome: previous))
                return interview
            }
            if let resumed { return try InterviewStart.resume(resumed, store: store) }
            return nil
        } catch {
            throw Self.startFailure(error, strings: strings)
        }
    }

    /// `--case CASE`, or no questionnaire: the assigned case's interview, or the case list to
    /// pick cases from (TerminalInterviewer's ``CaseListRounds``) — on the full screen when the
    /// terminal can show it, which each interview then takes over and gives back.
    private func runCase() throws {
        let store = try DeviceStore.open(path: database.path)  // cases come in a package: never a new database here
        let device = InterviewerDevice(store: store)
        let entries = try device.cases()
        let ui = uiLanguage.flatMap(UILanguage.init(rawValue:))
        // Like an interview, the list speaks its questionnaires' first language (Hungarian when they differ).
        let named = assignedCase.map { id in entries.filter { $0.deviceCase.id.rawValue == id } } ?? entries
        let strings = UIStrings(ui ?? device.firstLanguage(of: named).flatMap(UILanguage.init) ?? .hu)
        let environment = ProcessInfo.processInfo.environment
        let terminal = StandardTerminal(environment: environment)
        let options = InterviewStartOptions(language: language.map(LanguageCode.init), seed: seed)
        if let assignedCase {
            let id = CaseID(assignedCase)
            let run = SessionRunner.runCase(
                id, try Self.startCase(id, store: store, options: options, strings: strings), device: device, strings: strings,
                uiLanguage: ui, resumeCommand: caseResumeCommand(id), plain: plain, terminal: terminal, screen: nil)
            return try Self.finish(run.close(strings: strings, terminal: terminal))
        }
        guard !entries.isEmpty else {
            throw CommandFailure(strings.noCases + " " + strings.startWithoutCase, status: ExitStatus.usage)
        }
        StandardTerminal.installSignalHandlers()
        let rounds = CaseListRounds(
            device: device, options: options, strings: strings, uiLanguage: ui, plain: plain, terminal: terminal,
            resumeCommand: caseResumeCommand)
        if let screen = SessionRunner.fullScreen(plain: plain, terminal: terminal, environment: environment) {
            try Self.finish(try rounds.run(on: screen, entries: entries))
        } else {
            try Self.finish(try rounds.runPlain(entries: entries))
        }
    }

    /// The command line that continues an assigned case's interview, as shown to the fieldworker.
    private func caseResumeCommand(_ id: CaseID) -> String {
        var again = ["terep", "interview", "--case", id.rawValue]
        if let path = database.deviceDB { again += ["--device-db", path] }
        return again.joined(separator: " ")
    }

    /// The command ends as the interview did: normally when it finished (or the list was left),
    /// else with the outcome, which ``FailureEdge`` turns into the exit status.
    static func finish(_ outcome: InterviewOutcome) throws {
        if outcome != .finished { throw outcome }
    }

    /// An assigned case's interview started, resumed or reopened; a refusal as the command's failure.
    static func startCase(
        _ id: CaseID, store: DeviceStore, options: InterviewStartOptions, strings: UIStrings
    ) throws -> CaseInterviewStart {
        do { return try InterviewStart.forCase(id, store: store, options: options) } catch {
            if case .start(let inner) = error { throw Self.startFailure(inner, strings: strings) }
            throw CommandFailure(error.description, status: ExitStatus.usage)
        }
    }

    private func runSession(
        _ prepared: PreparedInterview, store: DeviceStore, strings: UIStrings, notices: [String], resumeCommand: String
    ) throws {
        let ui = uiLanguage.flatMap(UILanguage.init(rawValue:))
        let run = SessionRunner.run(
            prepared, device: InterviewerDevice(store: store), uiLanguage: ui, resumeCommand: resumeCommand, plain: plain,
            notices: notices)
        try Self.finish(run.close(strings: strings, terminal: StandardTerminal(environment: ProcessInfo.processInfo.environment)))
    }

    /// The interview `--resume` or `--reopen` names: its id or a unique beginning of it; otherwise exits with
    /// a message in the UI language (64, EX_USAGE).
    private func resumedID(_ typed: String, store: DeviceStore, strings: UIStrings) throws -> InterviewID {
        let interviews: [DeviceInterview]
        interviews = try store.interviews()
        let message: String
        switch InterviewLookup.match(typed, in: interviews) {
        case .found(let record): return record.id
        case .none: message = strings.unknownInterview(typed, listCommand: listCommand)
        case .ambiguous(let count): message = strings.ambiguousInterview(typed, matches: count, listCommand: listCommand)
        }
        throw CommandFailure(message, status: ExitStatus.usage)
    }

    /// The command that lists this questionnaire's unfinished interviews (every questionnaire's
    /// without a file), with the database given.
    private var listCommand: String {
        var parts = ["terep", "interview"] + (file.map { [$0] } ?? [])
        if let path = database.deviceDB { parts += ["--device-db", path] }
        return (parts + ["--list"]).joined(separator: " ")
    }

    /// The command line that resumes an interview, as shown to the fieldworker.
    private func resumeCommand(_ id: InterviewID) -> String {
        var parts = ["terep", "interview"] + (file.map { [$0] } ?? [])
        if let path = database.deviceDB { parts += ["--device-db", path] }
        return (parts + ["--resume", id.rawValue]).joined(separator: " ")
    }

    /// Why the interview could not start, as the failure ``FailureEdge`` reports: exit 1 for the
    /// device store's failures, 64 (EX_USAGE) for options that do not fit the questionnaire,
    /// 65 (EX_DATAERR) for a log that does not replay.
    static func startFailure(_ error: InterviewStartError, strings: UIStrings) -> any Error {
        switch error {
        case .store(let error): return error
        case .caseValue(let pair, .notAnOption(let text), let codes) where !codes.isEmpty:
            // "Type one of the codes shown" would point at a screen the command line does not have.
            let message = "--case \(pair): “\(text)” is not one of the codes: \(codes.joined(separator: ", "))."
            return CommandFailure(message, status: ExitStatus.usage)
        case .caseValue(let pair, let problem, _):
            return CommandFailure("--case \(pair): \(UIStrings(.en).problem(problem))", status: ExitStatus.usage)
        case .alreadyEnded(let id, let outcome):
            return CommandFailure(strings.interviewAlreadyEnded(id, outcome: outcome), status: ExitStatus.usage)
        case .unknownLanguage, .caseSyntax, .caseUnknown, .notEnded, .noReason, .approved:
            return CommandFailure(error.description, status: ExitStatus.usage)
        case .cannotStart, .cannotReplay: return CommandFailure(error.description, status: ExitStatus.dataError)
        }
    }
}

/// Reading a questionnaire file: a `.survey` source (compiled on the fly) or a compiled definition.
enum SurveyFile {
    static func load(_ path: String) throws -> CompiledSurvey {
        try SurveyLoader.load(path: path)  // a SurveyLoadError is a data error (FailureEdge)
    }
}

/// The device database: opened at its path, or created there on first use with its signing key
/// (said in `strings`' language: the interviewer's, for `terep interview`).
enum DeviceDatabase {
    static func openOrCreate(
        _ options: DeviceDatabaseOptions, interviewer: String?, strings: UIStrings = UIStrings(.en)
    ) throws -> DeviceStore {
        let (store, created) = try DeviceSetup.openOrCreate(path: options.path, interviewer: interviewer)
        if let created {
            Console.errorText(
                strings.deviceDatabaseCreated(
                    path: DisplayText.escaped(created.path), device: DisplayText.escaped(created.deviceID.rawValue),
                    interviewer: DisplayText.escaped(created.interviewer), registration: created.registration))
        }
        return store
    }
}
