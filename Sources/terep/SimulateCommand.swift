import ArgumentParser
import Foundation
import InterviewEngine
import SurveyModel
import SurveyStore
import TerminalInterviewer

/// `terep simulate FILE --interviews N`: fills a device database with random but valid interviews.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Fill a device database with simulated interviews (random but valid answers).",
        discussion: """
            Drives the real interview engine: routing, checks, rosters, don't know / refused at a \
            realistic rate and soft-check confirmations. The same --seed gives the same interviews.
            """)

    @Argument(help: "The questionnaire: a .survey source or a compiled definition (.json).")
    var file: String

    @ArgumentParser.Option(help: "How many interviews to simulate.")
    var interviews: Int

    @OptionGroup var database: DeviceDatabaseOptions

    @ArgumentParser.Option(help: "The random seed (default: random).")
    var seed: UInt64?

    @ArgumentParser.Option(help: "The interviewer's name when the device database is created (default: $USER).")
    var interviewer: String?

    @Flag(help: "Mark every simulated interview as test/training (excluded from exports and reports).")
    var training = false

    func validate() throws {
        guard interviews >= 1 else { throw ValidationError("--interviews must be at least 1.") }
    }

    func run() throws {
        let compiled = try SurveyFile.load(file)
        let store = try DeviceDatabase.openOrCreate(database, interviewer: interviewer)
        var rng = SplitMix64(seed: seed ?? UInt64.random(in: 0...UInt64.max))
        let clock = ContinuousClock()
        var totals: [Int: Int] = [:]
        var events = 0
        let elapsed = try clock.measure {
            do throws(StoreError) {
                try store.saveDefinition(compiled)
                for i in 0..<interviews {
                    let (outcome, count) = try Simulation.one(compiled, number: i, store: store, rng: &rng, training: training)
                    totals[outcome ?? -1, default: 0] += 1
                    events += count
                }
            } catch {
                throw failing(error)
            }
        }
        let outcomes = totals.keys.sorted().map { "\($0 < 0 ? "unfinished" : String($0)): \(totals[$0] ?? 0)" }
        print("Simulated \(interviews) interviews (\(events) events) into \(database.path) in \(elapsed).")
        print("Outcomes: " + outcomes.joined(separator: ", "))
    }
}

/// One simulated interview, written like a real one: created with its `started` event (and a
/// `trainingMarked(true)` event when `training`), then its events appended in one transaction.
enum Simulation {
    static func one(
        _ compiled: CompiledSurvey, number: Int, store: DeviceStore, rng: inout SplitMix64, training: Bool = false
    ) throws(StoreError) -> (outcome: Int?, events: Int) {
        let definition = compiled.definition
        let seed = rng.next()
        // Interviews an hour apart, from a fixed day, so a seed always gives the same log.
        let start = 1_780_000_000_000 + Int64(number) * 3_600_000
        let moment = LocalClock.moment(at: start)
        let simulator = InterviewSimulator(definition: definition)
        let run = simulator.run(
            seed: seed, context: EngineContext(at: moment, startedAt: start, interviewer: store.interviewer),
            startTimestamp: start, using: &rng)
        guard case .started(_, _, let language, let preload)? = run.events.first?.kind else { return (nil, 0) }
        let id = InterviewID(uuid(rng.next(), rng.next()))
        let new = NewInterview(id: id, definition: compiled.hash, seed: seed, language: language, preload: preload, isTest: training)
        _ = try store.createInterview(new, timestamp: start)
        let pending = run.events.dropFirst().map { PendingEvent(interview: id, timestamp: $0.timestamp, kind: $0.kind) }
        _ = try store.appendBatch(Array(pending))
        if case .ended(let outcome) = run.interview.status { return (outcome, run.events.count) }
        return (nil, run.events.count)
    }

    /// A version-4-shaped lower-case UUID from two random words.
    static func uuid(_ a: UInt64, _ b: UInt64) -> String {
        func hex(_ v: UInt64, _ digits: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: max(0, digits - s.count)) + s
        }
        let hi = hex((a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000, 16)
        let lo = hex((b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000, 16)
        let all = hi + lo
        let c = Array(all)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
            + String(c[20..<32])
    }
}
