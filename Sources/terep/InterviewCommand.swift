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
        abstract: "Run an interview in the terminal (new, or resume an unfinished one).",
        discussion: """
            Every confirmed answer is saved in the device database before the next question is \
            shown. On first use the device database is created at the default location with a \
            generated device id and the interviewer from --interviewer or $USER. Type ? during \
            the interview for the commands. Piped standard input works the same (for scripts).
            """)

    @Argument(help: "The questionnaire: a .survey source or a compiled definition (.json).")
    var file: String

    @OptionGroup var database: DeviceDatabaseOptions

    @ArgumentParser.Option(help: "Resume the unfinished interview with this id (see --list).")
    var resume: String?

    @Flag(help: "List the unfinished interviews of this questionnaire and exit.")
    var list = false

    @Flag(help: "Mark a new interview as test/training: kept, but excluded from exports and reports.")
    var training = false

    @ArgumentParser.Option(name: .customLong("case"), parsing: .singleValue, help: ArgumentHelp(
        "A preloaded case identifier, e.g. --case cluster_id=K042 (repeatable).", valueName: "name=value"))
    var cases: [String] = []

    @ArgumentParser.Option(name: .customLong("ui-lang"), help: "The interviewer's own texts: hu or en (default: the questionnaire's first language).")
    var uiLanguage: String?

    @ArgumentParser.Option(name: .customLong("lang"), help: "The questionnaire language to start in (default: its first language).")
    var language: String?

    @ArgumentParser.Option(help: "The seed for option randomisation (default: random).")
    var seed: UInt64?

    @ArgumentParser.Option(help: "The interviewer's name when the device database is created on first use (default: $USER).")
    var interviewer: String?

    func validate() throws {
        if let uiLanguage, UILanguage(rawValue: uiLanguage) == nil {
            throw ValidationError("--ui-lang must be hu or en, not '\(uiLanguage)'.")
        }
        if list && resume != nil { throw ValidationError("Use either --list or --resume, not both.") }
        if resume != nil && !cases.isEmpty { throw ValidationError("--case applies to a new interview, not to --resume.") }
        if resume != nil && training { throw ValidationError("--training applies to a new interview, not to --resume.") }
    }

    func run() throws {
        let compiled = try SurveyFile.load(file)
        let store = try DeviceDatabase.openOrCreate(database, interviewer: interviewer)
        let ui = uiLanguage.flatMap(UILanguage.init(rawValue:))
        let strings = UIStrings(ui ?? compiled.definition.languages.first.flatMap(UILanguage.init) ?? .en)
        if list { return try InterviewListing.print(store: store, survey: compiled, strings: strings) }
        do {
            try store.saveDefinition(compiled)
        } catch {
            throw failing(error)
        }
        if resume == nil, let open = try? store.interviews(status: .inProgress), !open.isEmpty {
            let unfinished = open.filter { $0.survey == compiled.definition.id }.count
            if unfinished > 0 { print(strings.unfinishedHint(unfinished, listCommand: "terep interview \(file) --list")) }
        }
        let prepared =
            if let resume { try PreparedSession.resuming(InterviewID(resume), store: store, strings: strings) }
            else { try PreparedSession.starting(compiled, store: store, options: self) }
        let end = prepared.run(store: store, uiLanguage: ui, resumeCommand: resumeCommand(prepared.id))
        throw InterviewOutcome.exitCode(end, strings: strings, resumeCommand: resumeCommand(prepared.id))
    }

    /// The command line that resumes an interview, as shown to the fieldworker.
    private func resumeCommand(_ id: InterviewID) -> String {
        var parts = ["terep", "interview", file]
        if let path = database.deviceDB { parts += ["--device-db", path] }
        return (parts + ["--resume", id.rawValue]).joined(separator: " ")
    }
}

/// The interview ready to run: its state and where to begin.
struct PreparedSession {
    var id: InterviewID
    var interview: Interview
    var startedAt: Int64
    var resumeAt: Address?

    /// A new interview: saved with its `started` event, then shown from the first question.
    static func starting(_ compiled: CompiledSurvey, store: DeviceStore, options: InterviewCommand) throws -> PreparedSession {
        let definition = compiled.definition
        let language = LanguageCode(options.language ?? definition.languages.first?.rawValue ?? "hu")
        guard definition.languages.contains(language) else {
            throw ValidationError("--lang \(language): the questionnaire's languages are "
                + definition.languages.map(\.rawValue).joined(separator: ", ") + ".")
        }
        let now = InterviewClock.system.now()
        var preload = try CaseIdentifiers.parse(options.cases, definition: definition)
        CaseIdentifiers.addAutomatic(&preload, definition: definition, interviewer: store.interviewer, at: now)
        let new = NewInterview(
            definition: compiled.hash, seed: options.seed ?? UInt64.random(in: 1...UInt64.max), language: language,
            preload: preload, isTest: options.training)
        let started = InterviewEventKind.started(definition: compiled.hash, seed: new.seed, language: language, preload: preload)
        var interview: Interview
        do {
            let context = EngineContext(at: now, startedAt: now.timestamp, interviewer: store.interviewer)
            interview = try Interview(definition: definition, started: started, context: context)
            // The store writes the matching `trainingMarked(true)` event right after `started`.
            if options.training { _ = try interview.apply(.trainingMarked(true), context: context) }
        } catch {
            throw ValidationError("cannot start the interview: \(error)")
        }
        do {
            _ = try store.createInterview(new, timestamp: now.timestamp)
        } catch {
            throw failing(error)
        }
        return PreparedSession(id: new.id, interview: interview, startedAt: now.timestamp, resumeAt: nil)
    }

    /// An unfinished interview rebuilt from its log, on the definition it was started with.
    static func resuming(_ id: InterviewID, store: DeviceStore, strings: UIStrings) throws -> PreparedSession {
        do {
            guard let record = try store.interview(id: id) else { throw StoreError.unknownInterview(id) }
            guard record.status == .inProgress else {
                throw ValidationError("interview \(id) has already ended (outcome \(record.outcome.map(String.init) ?? "-")).")
            }
            guard let compiled = try store.definition(hash: record.definition) else {
                throw StoreError.unknownDefinition(record.definition)
            }
            let replay = try InterviewReplay(definition: compiled.definition, events: store.events(interview: id))
            return PreparedSession(id: id, interview: replay.interview, startedAt: replay.startedAt, resumeAt: replay.lastShown)
        } catch let error as StoreError {
            throw failing(error)
        } catch let error as EngineError {
            throw ValidationError("cannot replay interview \(id): \(error)")
        }
    }

    /// Runs the session on the real terminal, saving through the device store.
    func run(store: DeviceStore, uiLanguage: UILanguage?, resumeCommand: String) -> SessionEnd {
        StandardTerminal.installSignalHandlers()
        let terminal = StandardTerminal(environment: ProcessInfo.processInfo.environment)
        let session = InterviewSession(
            interview: interview, startedAt: startedAt, terminal: terminal,
            recorder: StoreRecorder(store: store, interview: id), clock: .system,
            options: SessionOptions(
                uiLanguage: uiLanguage, interviewer: store.interviewer, resumeCommand: resumeCommand, resumeAt: resumeAt))
        terminal.writeLine(resumeAt == nil ? session.strings.started(id) : session.strings.resumed(id))
        if interview.isTraining { terminal.writeLine(session.strings.trainingInterview) }
        return session.run()
    }
}

/// Turns how a session ended into the closing message and the process exit code.
enum InterviewOutcome {
    static func exitCode(_ end: SessionEnd, strings: UIStrings, resumeCommand: String) -> ExitCode {
        let out = StandardTerminal(environment: ProcessInfo.processInfo.environment)
        switch end {
        case .ended: return .success
        case .savedAndQuit:
            out.writeLine(strings.resumeHint(resumeCommand))
            return .success
        case .endOfInput:
            out.writeLine(strings.endOfInput + " " + strings.resumeHint(resumeCommand))
            return .success
        case .interrupted(let signal):
            out.writeLine("\n" + strings.interrupted(signal) + " " + strings.resumeHint(resumeCommand))
            return ExitCode(128 + signal)
        case .storageFailed:
            out.writeLine(strings.resumeHint(resumeCommand))
            return ExitCode(74)  // EX_IOERR; what happened was shown by the session
        }
    }
}

/// Reading a questionnaire file: a `.survey` source (compiled on the fly) or a compiled definition.
enum SurveyFile {
    static func load(_ path: String) throws -> CompiledSurvey {
        do {
            return try SurveyLoader.load(path: path)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(65)  // EX_DATAERR
        }
    }
}

/// The device database: opened at its path, or created there on first use.
enum DeviceDatabase {
    /// Opens the device database, creating it (with a generated device id) when there is none.
    static func openOrCreate(_ options: DeviceDatabaseOptions, interviewer: String?) throws -> DeviceStore {
        let path = options.path
        do {
            guard !FileManager.default.fileExists(atPath: path) else { return try DeviceStore.open(path: path) }
            let env = ProcessInfo.processInfo.environment
            let name = interviewer ?? [env["USER"], env["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty } ?? "interviewer"
            let device = DeviceID("dev-" + String(UInt64.random(in: 0...UInt64.max), radix: 16))
            let store = try DeviceStore.initialize(path: path, deviceID: device, interviewer: name)
            FileHandle.standardError.write(Data(
                "Created the device database \(path) (device \(device), interviewer \(name)).\n".utf8))
            return store
        } catch {
            throw failing(error)
        }
    }
}

/// `--case name=value`, and the visit data the device fills in by itself.
enum CaseIdentifiers {
    /// Parses `name=value` pairs into preloaded values of the questionnaire's `preload` questions.
    static func parse(_ pairs: [String], definition: SurveyDefinition) throws -> [VariableName: Value] {
        let index = SurveyIndex(definition)
        var out: [VariableName: Value] = [:]
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--case \(pair): write name=value, e.g. --case cluster_id=K042.")
            }
            let name = VariableName(String(pair[..<eq]))
            let text = String(pair[pair.index(after: eq)...])
            guard let entry = index[name], entry.rosters.isEmpty, entry.question.kind.valueType != nil else {
                let known = index.questionsInOrder.filter { index[$0]?.question.preload == true }.map(\.rawValue)
                let list = known.isEmpty ? "." : "; preloaded questions: " + known.joined(separator: ", ") + "."
                throw ValidationError("--case \(pair): '\(name)' is not a question of this questionnaire" + list)
            }
            let offered = index.answerSet(of: entry.question)?.options.map(\.code) ?? []
            switch AnswerParser.parse(text, kind: entry.question.kind, offered: offered) {
            case .success(let value): out[name] = value
            case .failure(let problem):
                throw ValidationError("--case \(pair): \(UIStrings(.en).problem(problem))")
            }
        }
        return out
    }

    /// Fills `int_id` (the interviewer), `visit_ts` (now) and `visit_no` (1) when the
    /// questionnaire preloads them and they were not given.
    static func addAutomatic(
        _ preload: inout [VariableName: Value], definition: SurveyDefinition, interviewer: String, at now: Moment
    ) {
        let index = SurveyIndex(definition)
        func fill(_ name: VariableName, _ value: Value) {
            guard preload[name] == nil, let q = index[name]?.question, q.preload, q.kind.valueType == value.type else { return }
            preload[name] = value
        }
        fill("int_id", .text(interviewer))
        fill("visit_ts", .text("\(now.date)T\(now.time)"))
        fill("visit_no", .integer(1))
    }
}

/// `terep interview FILE --list`: the unfinished interviews of a questionnaire.
enum InterviewListing {
    static func print(store: DeviceStore, survey: CompiledSurvey, strings: UIStrings) throws {
        let unfinished: [InterviewRecord]
        do {
            unfinished = try store.interviews(status: .inProgress).filter { $0.survey == survey.definition.id }
        } catch {
            throw failing(error)
        }
        guard !unfinished.isEmpty else { return Swift.print(strings.noUnfinished) }
        Swift.print(strings.unfinishedTitle + ":")
        for record in unfinished {
            let started = LocalClock.moment(at: record.startedAt)
            let cases = record.caseIdentifiers.sorted { $0.key < $1.key }.map { $0.key.rawValue + "=" + Interview.display($0.value) }
            Swift.print("  \(record.id)  \(started.date) \(started.time)  \(record.eventCount)  \(cases.joined(separator: " "))")
        }
    }
}
