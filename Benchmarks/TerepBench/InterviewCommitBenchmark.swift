import Fieldwork
import Foundation
import InterviewEngine
import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import SurveyStore
import TerminalInterviewer
import TestSupportFixtures

/// Answer-to-durable-commit in the real interviewer: from a typed answer line to the next
/// question's prompt on screen (parse → engine validate → device-store append with WAL and
/// `synchronous=FULL` → engine apply → next question rendered), beside a raw single-row SQLite
/// commit (the physical floor) measured in the same run, interleaved answer by answer.
///
/// The form is the shared synthetic generator's (1,000 questions, 500 calculations, 2,000
/// checks), compiled with its roster raised to 200 rows (`hh_size` 200), so about 3,000 answers.
///
/// `swift run -c release TerepBench interview-commit`
enum InterviewCommitBenchmark {
    static func run() throws {
        guard let form = try SyntheticInterview() else { return }
        defer { form.remove() }
        let raw = try RawSQLite(path: form.folder.appendingPathComponent("raw.sqlite").path)
        let terminal = BenchTerminal(raw: raw)
        let session = InterviewSession(
            interview: form.interview, spent: ActiveTime(startedAt: form.start.timestamp), terminal: terminal,
            recorder: form.recorder, clock: .system, options: SessionOptions(interviewer: "B", resumeCommand: "-"))
        terminal.session = session
        let began = DispatchTime.now().uptimeNanoseconds
        let end = session.run()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        report(terminal, end: end, seconds: seconds)
    }

    static func report(_ t: BenchTerminal, end: SessionEnd, seconds: Double) {
        print(
            "form: synthetic 1,000 questions + roster 'mem' 200 rows × 10; \(t.answerTimes.count) answers "
                + "in \(String(format: "%.1f", seconds)) s, session ended: \(end)")
        func line(_ label: String, _ times: [UInt64]) {
            let p = { (q: Double) in millis(StoreBenchmark.percentile(times, q)) }
            print("  \(label)  p50 \(p(0.50)) ms   p95 \(p(0.95)) ms   p99 \(p(0.99)) ms   max \(millis(times.max() ?? 0)) ms")
        }
        line("answer → durable commit → next prompt", t.answerTimes)
        line("raw sqlite3 single-row commit (floor) ", t.rawTimes)
        let roster = t.rosterTimes
        if roster.count >= 200 {
            line("  roster rows, first 100 answers     ", Array(roster.prefix(100)))
            line("  roster rows, last 100 answers      ", Array(roster.suffix(100)))
        }
        let p99 = Double(StoreBenchmark.percentile(t.answerTimes, 0.99)) / 1e6
        print(
            "  targets: p95 < 50 ms, p99 < 100 ms → p99 \(String(format: "%.2f", p99)) ms "
                + (p99 < 100 ? "(met)" : "(NOT met)"))
    }

    static func millis(_ ns: UInt64) -> String { String(format: "%.2f", Double(ns) / 1e6) }
}

/// The synthetic form (1,000 questions, 500 calculations, 2,000 checks) with its roster raised to
/// 200 rows, started in a fresh device store: what the interviewer benchmarks run on.
struct SyntheticInterview {
    let folder: URL
    let interview: Interview
    let recorder: StoreRecorder
    let start: Moment

    /// Nil (and says why) when the synthetic form does not compile.
    init?() throws {
        let source = SyntheticSurvey(roster: true).source()
            .replacingOccurrences(of: "question hh_size integer 1..15", with: "question hh_size integer 1..200")
            .replacingOccurrences(of: "roster mem count hh_size max 15", with: "roster mem count hh_size max 200")
        let result = compile(SourceFile(path: "synthetic.survey", text: source), loader: InMemoryLoader())
        guard let compiled = result.compiled else {
            print("the synthetic form did not compile")
            return nil
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("terep-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try DeviceStore.initialize(
            path: folder.appendingPathComponent("device.sqlite").path, deviceID: "bench", interviewer: "B")
        try store.saveDefinition(compiled)
        let record = try store.createInterview(NewInterview(definition: compiled.hash, seed: 1, language: "hu"), timestamp: 0)
        start = InterviewClock.system.now()
        let context = EngineContext(today: start.date, now: start.time, interviewer: "B")
        interview = try Interview(
            definition: compiled.definition,
            started: .started(definition: compiled.hash, seed: 1, language: "hu", preload: [:]), context: context)
        recorder = StoreRecorder(store: store, interview: record.id)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// A terminal that types a valid answer to whatever question is on screen, confirms soft
/// checks, and times each answer from the moment its line is returned to the next prompt.
final class BenchTerminal: Terminal {
    weak var session: InterviewSession?
    let raw: RawSQLite
    private(set) var answerTimes: [UInt64] = []
    private(set) var rawTimes: [UInt64] = []
    private(set) var rosterTimes: [UInt64] = []
    private var started: UInt64?
    private var answeringRoster = false
    private var lastWrite = ""
    private var repeats = 0
    private var lastAddress: Address?
    let width = 100
    let colour = false
    let interactive = false

    init(raw: RawSQLite) { self.raw = raw }

    func readLine() -> TerminalInput {
        guard let session, let at = session.cursor else { return .endOfInput }
        guard lastWrite.hasSuffix("> ") else {
            started = nil  // a soft-check confirmation: a person decides, not timed
            return .line("i")
        }
        if at == lastAddress { repeats += 1 } else { repeats = 0 }
        lastAddress = at
        guard repeats < 3 else {
            print("the benchmark's answer to \(at) was refused: \(lastWrite.suffix(300))")
            return .endOfInput
        }
        // The floor, interleaved: one raw durable commit per answer, outside the timed window.
        let r0 = DispatchTime.now().uptimeNanoseconds
        try? raw.commitOne(sequence: Int64(rawTimes.count + 1), payload: "{\"answered\":\(rawTimes.count)}")
        rawTimes.append(DispatchTime.now().uptimeNanoseconds - r0)
        answeringRoster = !at.rows.isEmpty
        let line = Self.answer(at, in: session.interview)
        started = DispatchTime.now().uptimeNanoseconds
        return .line(line)
    }

    func write(_ text: String) {
        lastWrite = text
        guard text.hasSuffix("> "), let t0 = started else { return }
        let elapsed = DispatchTime.now().uptimeNanoseconds - t0
        answerTimes.append(elapsed)
        if answeringRoster { rosterTimes.append(elapsed) }
        started = nil
    }

    /// A valid answer that fails no check of the synthetic form.
    static func answer(_ at: Address, in interview: Interview) -> String {
        guard let question = interview.question(at.variable) else { return "" }
        switch question.kind {
        case .integer:
            switch at.variable.rawValue {
            case "hh_size": return "200"
            case "m_age": return "30"
            default: return "5"
            }
        case .decimal: return "5.5"
        case .singleChoice, .multipleChoice:
            let codes = interview.options(at: at).map(\.code)
            return String(codes.first { $0 != 0 && $0 != 3 } ?? codes.first ?? 1)
        case .scale(let min, _, _): return String(min)
        case .text: return at.variable.rawValue == "m_name" ? "Név\(at.rows.first ?? 0)" : "szöveg"
        case .date: return "2026-01-15"
        case .time: return "10:30"
        case .datetime: return "2026-01-15 10:30"
        case .note, .calculated: return ""
        }
    }
}
