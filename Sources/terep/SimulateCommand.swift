import ArgumentParser
import Fieldwork
import Foundation
import InterviewEngine
import SurveyStore

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
                throw error
            }
        }
        let outcomes = totals.keys.sorted().map { "\($0 < 0 ? "unfinished" : String($0)): \(totals[$0] ?? 0)" }
        print("Simulated \(interviews) interviews (\(events) events) into \(database.path) in \(elapsed).")
        print("Outcomes: " + outcomes.joined(separator: ", "))
    }
}
