import CentralTestSupport
import Foundation
import InterviewEngine
import PropertyBased
import SurveyModel
import SurveyReport
import SurveyStore
import Testing

@testable import Fieldwork

/// Issue 12's merge property for the review loop and the visits: the bundles of two laptops,
/// cut at random places, merged at the centre in any order and with repetitions, give the same
/// visits, final states, review states and case figures.
///
/// Each laptop works its cases (non-contacts on several days, appointments, completes); the
/// supervisor rejects one interview per laptop once the first wave is merged; the laptop's fix
/// is a second wave. Every order merges the whole first wave (in its own order, with repeats),
/// records the same decisions, then merges the second wave (in its own order, with repeats of
/// either wave). On each central store (``CentralImplementation/all``); PostgreSQL's state must
/// also be SQLite's for the same work.
@Suite struct ReviewVisitPropertyTests {
    struct Work: Sendable, CustomStringConvertible {
        var cases: Int
        var repeats: Int
        var seed: UInt64
        var description: String { "\(cases) cases per laptop, \(repeats) repeats, seed \(seed)" }
    }

    static let work = zip(Gen.int(in: 2...5), Gen.int(in: 0...6), Gen.uint64(in: 0...UInt64.max))
        .map { Work(cases: $0, repeats: $1, seed: $2) }

    static let devices: [DeviceID] = ["lap-1", "lap-2"]

    /// One laptop's events: per case an interview of 1–3 visits on days the generator picks,
    /// each ended with 23, 21 or 11; then (the second wave) a fix of its first complete interview.
    static func logs(_ work: Work, hash: DefinitionHash) -> (first: [DeviceID: [InterviewEvent]], fix: [DeviceID: [InterviewEvent]]) {
        var rng = SplitMix64(seed: work.seed)
        var first: [DeviceID: [InterviewEvent]] = [:], fix: [DeviceID: [InterviewEvent]] = [:]
        for (d, device) in devices.enumerated() {
            var sequence: Int64 = 0
            var events: [InterviewEvent] = []
            var completes: [InterviewID] = []
            func add(_ id: InterviewID, _ kind: InterviewEventKind, _ at: Int64, into list: inout [InterviewEvent]) {
                sequence += 1
                list.append(
                    InterviewEvent(device: device, sequence: sequence, interview: id, timestamp: at, interviewer: "K\(d)", kind: kind))
            }
            for c in 0..<work.cases {
                let id = InterviewID("iv-\(device)-\(c)")
                let caseID = CaseID("A\(d)\(c)")
                let visits = Int(rng.next() % 3) + 1
                var day = Int(rng.next() % 3)
                for v in 0..<visits {
                    let at = ReportFinalRuleTests.time(day: day, minutes: 60 * Int(rng.next() % 10) + v)
                    if v == 0 {
                        add(
                            id, .started(definition: hash, seed: 1, language: "hu", preload: ["sample_source": .choice(1)]), at,
                            into: &events)
                        add(id, .assignedCase(caseID), at, into: &events)
                    } else {
                        add(id, .reopened(reason: "visit \(v + 1)"), at, into: &events)
                    }
                    let code = v + 1 < visits ? 23 : [23, 21, 11][Int(rng.next() % 3)]
                    if code == 11 {
                        add(id, .answered(Address("consent"), .value(.choice(1))), at + 1_000, into: &events)
                        completes.append(id)
                    }
                    add(id, .ended(outcome: code), at + 2_000, into: &events)
                    day += Int(rng.next() % 2) + 1
                }
            }
            first[device] = events
            var second: [InterviewEvent] = []
            if let fixed = completes.first {
                let at = ReportFinalRuleTests.time(day: 9)
                add(fixed, .reopened(reason: "the supervisor asked"), at, into: &second)
                add(fixed, .answered(Address("consent"), .value(.choice(1))), at + 1_000, into: &second)
                add(fixed, .ended(outcome: 11), at + 2_000, into: &second)
            }
            fix[device] = second
        }
        return (first, fix)
    }

    /// A device's log cut into bundles at random places.
    static func bundles(_ log: [InterviewEvent], rng: inout SplitMix64) -> [[InterviewEvent]] {
        var out: [[InterviewEvent]] = []
        var rest = log[...]
        while !rest.isEmpty {
            let n = Int(rng.next() % 4) + 1
            out.append(Array(rest.prefix(n)))
            rest = rest.dropFirst(n)
        }
        return out
    }

    /// What the review loop and the visits look like at the centre: every record's visits,
    /// final and review state, and the case figures.
    static func state(_ central: any CentralDataset) throws -> String {
        let dataset = try CleanedDataset(central: central, survey: "cs", statuses: .all, cacheUse: .off)
        var lines: [String] = []
        _ = try dataset.forEach { record in
            lines.append(
                "\(record.id) \(record.caseID?.rawValue ?? "-") \(record.visits) final \(String(describing: record.isFinal)) review \(record.review)"
            )
        }
        // The case and outcome figures (not the sync figures: the bundle log is not merged data).
        let report = try FieldworkReportBuilder(
            central: central, survey: "cs", language: "en", today: LocalDate(year: 2026, month: 9, day: 20)
        ).build()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        lines.append(String(decoding: try encoder.encode(report.cases), as: UTF8.self))
        lines.append(String(decoding: try encoder.encode(report.outcomes), as: UTF8.self))
        return lines.joined(separator: "\n")
    }

    @Test(
        "any order and repetition of bundles at the centre gives the same visits, final and review states, and case figures",
        arguments: CentralImplementation.all)
    func bundlesInAnyOrderGiveTheSameState(_ store: CentralImplementation) async {
        await propertyCheck(count: 12, input: Self.work) { work in
            do {
                let states = try Self.states(work, on: store, orders: 3)
                #expect(states.count == 1, "different merge orders gave different states")
                let hash = try CentralFixture.compile(ReportCasesTests.source).hash
                let fixes = !Self.logs(work, hash: hash).fix.values.allSatisfy(\.isEmpty)
                #expect(states.first?.contains("review fixed") == true || !fixes)
                if store.name != CentralImplementation.sqlite.name {
                    #expect(states == (try Self.states(work, on: .sqlite, orders: 1)), "\(store.name) and SQLite differ")
                }
            } catch {
                Issue.record("\(work) on \(store.name): \(error)")
            }
        }
    }

    /// The states `orders` random merge orders of the work's bundles leave on new datasets of
    /// `store` (the first wave, the supervisor's decisions, the fixes with repeats of either).
    static func states(_ work: Work, on store: CentralImplementation, orders: Int) throws -> Set<String> {
        let compiled = try CentralFixture.compile(ReportCasesTests.source)
        let (first, fix) = Self.logs(work, hash: compiled.hash)
        var rng = SplitMix64(seed: work.seed ^ 0x5EED)
        var firstBundles: [(DeviceID, [InterviewEvent])] = []
        var fixBundles: [(DeviceID, [InterviewEvent])] = []
        for device in Self.devices {
            firstBundles += Self.bundles(first[device] ?? [], rng: &rng).map { (device, $0) }
            fixBundles += Self.bundles(fix[device] ?? [], rng: &rng).map { (device, $0) }
        }
        var states: Set<String> = []
        for _ in 0..<orders {
            let central = try Self.prepared(compiled, cases: work.cases, on: store)
            let again = (0..<work.repeats).compactMap { _ in firstBundles.randomElement(using: &rng) }
            for (device, events) in firstBundles.shuffled(using: &rng) + again {
                try Self.apply(events, device: device, to: central, compiled)
            }
            // The supervisor rejects each laptop's first complete, with a comment.
            for device in Self.devices {
                guard let fixed = fix[device]?.first?.interview else { continue }
                try central.review(.comment(Address("consent"), "biztos?"), interview: fixed, actor: "Sári", at: 5)
                try central.review(.reject(comment: "javítsa"), interview: fixed, actor: "Sári", at: 6)
            }
            let mixed = fixBundles + (0..<work.repeats).compactMap { _ in (firstBundles + fixBundles).randomElement(using: &rng) }
            for (device, events) in mixed.shuffled(using: &rng) { try Self.apply(events, device: device, to: central, compiled) }
            states.insert(try Self.state(central))
        }
        return states
    }

    /// A central dataset with the survey published, each laptop's cases in the sample and assigned.
    static func prepared(_ compiled: CompiledSurvey, cases: Int, on store: CentralImplementation) throws -> any CentralDataset {
        let central = try store.make()
        try central.publish(try DefinitionFile(compiled), actor: "Kata", at: 1)
        for device in devices { try central.registerDevice(device, publicKey: Data(device.rawValue.utf8), method: .explicit, at: 1) }
        var inputs: [SampleCaseInput] = []
        for d in devices.indices {
            for c in 0..<cases { inputs.append(SampleCaseInput(id: CaseID("A\(d)\(c)"), values: ["sample_source": .choice(1)])) }
        }
        _ = try central.importSample(survey: "cs", cases: inputs, file: "minta.csv", actor: "Kata", at: 1)
        for (d, device) in devices.enumerated() {
            try central.assign(
                survey: "cs", (0..<cases).map { AssignmentChange(caseID: CaseID("A\(d)\($0)"), device: device, previous: nil) },
                actor: "Kata", at: ReportFinalRuleTests.time(day: 0))
        }
        return central
    }

    static func apply(_ events: [InterviewEvent], device: DeviceID, to central: any CentralDataset, _ compiled: CompiledSurvey) throws {
        let receipt = BundleReceipt(
            hash: "\(device)-\(events.first?.sequence ?? 0)-\(events.last?.sequence ?? 0)", fileName: "b.terepbundle", device: device,
            firstSequence: events.first?.sequence ?? 0, lastSequence: events.last?.sequence ?? 0, receivedAt: 1)
        _ = try central.apply(
            events: events, definitions: [try DefinitionFile(compiled)], bundle: receipt,
            interviewDefinitions: Dictionary(events.map { ($0.interview, compiled.hash) }, uniquingKeysWith: { a, _ in a }))
    }
}
