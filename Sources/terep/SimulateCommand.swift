import ArgumentParser
import Fieldwork
import Foundation
import InterviewEngine
import SurveyModel
import SurveyStore

/// `terep simulate FILE --interviews N`: fills a device database with random but valid interviews.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Fill a device database with simulated interviews (random but valid answers).",
        discussion: """
            Drives the real interview engine: routing, checks, rosters, don't know / refused at a \
            realistic rate and soft-check confirmations. The same --seed gives the same interviews. \
            Without a questionnaire, on a device with assigned cases (terep device receive), it visits \
            the cases that are still open instead: each new case's interview starts with its preloads, \
            some visits find nobody at home, and a case the questionnaire's final rules keep open is \
            visited again on a later day, until it is final or --visits is reached.
            """)

    @Argument(
        help: "The questionnaire: a .survey source or a compiled definition (.json); leave it out to visit the device's assigned cases.")
    var file: String?

    @ArgumentParser.Option(help: "How many interviews to simulate (with a questionnaire).")
    var interviews: Int?

    @ArgumentParser.Option(help: "At most this many visits to each assigned case (default: 4).")
    var visits: Int = 4

    @OptionGroup var database: DeviceDatabaseOptions

    @ArgumentParser.Option(help: "The random seed (default: random).")
    var seed: UInt64?

    @ArgumentParser.Option(help: "The interviewer's name when the device database is created (default: $USER).")
    var interviewer: String?

    @Flag(help: "Mark every simulated interview as test/training (excluded from exports and reports).")
    var training = false

    func validate() throws {
        if file != nil {
            guard let interviews else { throw ValidationError("Say how many interviews to simulate: --interviews N.") }
            guard interviews >= 1 else { throw ValidationError("--interviews must be at least 1.") }
        } else {
            if interviews != nil { throw ValidationError("--interviews goes with a questionnaire; assigned cases are each visited.") }
            if training { throw ValidationError("--training goes with a questionnaire: assigned cases are real ones.") }
        }
        guard (1...20).contains(visits) else { throw ValidationError("--visits must be from 1 to 20.") }
    }

    func run() throws {
        var rng = SplitMix64(seed: seed ?? UInt64.random(in: 0...UInt64.max))
        guard let file, let interviews else { return try runCases(rng: &rng) }
        let compiled = try SurveyFile.load(file)
        let store = try DeviceDatabase.openOrCreate(database, interviewer: interviewer)
        let clock = ContinuousClock()
        var totals: [Int: Int] = [:]
        var events = 0
        let progress = Console.progress()
        let elapsed = try clock.measure {
            do throws(StoreError) {
                try store.saveDefinition(compiled)
                for i in 0..<interviews {
                    let (outcome, count) = try Simulation.one(compiled, number: i, store: store, rng: &rng, training: training)
                    totals[outcome ?? -1, default: 0] += 1
                    events += count
                    progress.update("simulating", done: i + 1, of: interviews, "interviews")
                }
            } catch {
                throw error
            }
        }
        progress.finish()
        let outcomes = totals.keys.sorted().map { "\($0 < 0 ? "unfinished" : String($0)): \(totals[$0] ?? 0)" }
        print("Simulated \(interviews) interviews (\(events) events) into \(database.path) in \(elapsed).")
        print("Outcomes: " + outcomes.joined(separator: ", "))
    }

    /// Visits the device's assigned cases that are still open.
    private func runCases(rng: inout SplitMix64) throws {
        let store = try DeviceStore.open(path: database.path)
        guard try !store.assignedCases().isEmpty else {
            throw CommandFailure(
                "\(DisplayText.escaped(database.path)) has no assigned cases: give a questionnaire and --interviews N, "
                    + "or receive the coordinator's package first (terep device receive FILE)", status: ExitStatus.usage)
        }
        var simulation = CaseSimulation()
        simulation.maxVisits = visits
        let clock = ContinuousClock()
        var summary = CaseSimulationSummary()
        let elapsed = try clock.measure { summary = try simulation.run(store: store, rng: &rng) }
        print(
            "Visited \(summary.cases) assigned cases (\(summary.visits) visits, \(summary.events) events) in \(database.path) in \(elapsed)."
        )
        print("Cases: " + summary.statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
    }
}
