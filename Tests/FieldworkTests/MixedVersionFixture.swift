import Foundation
import SurveyModel
import SurveyStore

/// Three versions of a small questionnaire, as a methodologist revises it during fieldwork, and
/// a central dataset with interviews of each.
///
/// Version 1 → 2: `pet` moves into the `mem` roster, `worry` and the `car` roster are dropped,
/// `income` allows more, `comment` gets longer, TRUST gains code 9, PROB's code 2 changes
/// meaning (noise → traffic) and gains 3. Version 2 → 3: `income` becomes a single choice of
/// bands, `comment` a number, SAT's codes swap meaning, `hh_size`/`mem` allow fewer rows, OUT
/// loses code 23, `m_job` is added and `phone` is marked `pii`.
enum MixedVersionFixture {
    static func source(_ version: Int) -> String {
        let v1 = version == 1, v3 = version == 3
        let out = v3 ? #"11 en "Complete" 21 en "Refusal""# : #"11 en "Complete" 21 en "Refusal" 23 en "Vacant""#
        let sat = v3 ? #"1 en "bad" 2 en "good""# : #"1 en "good" 2 en "bad""#
        let trust = version == 2 ? #"1 en "no" 2 en "yes" 9 en "can't say""# : #"1 en "no" 2 en "yes""#
        let prob = v1 ? #"1 en "safety" 2 en "noise""# : #"1 en "safety" 2 en "traffic" 3 en "litter""#
        let maxRows = v3 ? 10 : 15
        let pet = #"question pet yesno { text en "Pet?" }"#
        return """
            survey t {
              title en "T"
              version "\(version)"
              languages en
              outcome outcome complete 11
              specials dk rf
            }
            answers OUT { \(out) }
            answers SAT { \(sat) }
            answers TRUST { \(trust) }
            answers PROB { \(prob) }
            answers INCB { 1 en "low" 2 en "middle" 3 en "high" }
            question outcome single OUT { interviewer optional nodk text en "Outcome" }
            question hh_size integer 1..\(maxRows) { text en "Household size?" }
            roster mem count hh_size max \(maxRows) {
              title en "Members"
              question m_age integer 0..110 { text en "Age?" }
              \(v1 ? "" : pet)
              \(v3 ? #"question m_job text { optional maxlength 30 text en "Job?" }"# : "")
            }
            \(v1 ? pet : "")
            \(v3 ? #"question income single INCB { text en "Income band?" }"#
                : "question income integer 0..\(v1 ? 1_000_000 : 5_000_000) { text en \"Income?\" }")
            \(v1 ? #"question worry integer 1..5 { text en "Worry?" }"# : "")
            \(v3 ? #"question comment integer 0..99 { optional text en "Comment code" }"#
                : "question comment text { optional maxlength \(v1 ? 20 : 40) text en \"Comment\" }")
            question sat single SAT { text en "Satisfied?" }
            question trust single TRUST { text en "Trust?" }
            question prob multiple PROB { text en "Problems?" }
            \(v1 ? """
                question cars integer 0..3 { text en "Cars?" }
                roster car count cars max 3 {
                  title en "Cars"
                  question c_km integer 0..100000 { text en "Km?" }
                }
                """ : "")
            question phone text { optional \(v3 ? "pii" : "") maxlength 20 text en "Phone" }
            """
    }

    static let a1 = InterviewID("a1000000-0000-4000-8000-000000000001")
    static let a2 = InterviewID("a2000000-0000-4000-8000-000000000002")
    static let a3 = InterviewID("a3000000-0000-4000-8000-000000000003")
    static let b1 = InterviewID("b1000000-0000-4000-8000-000000000001")
    static let c1 = InterviewID("c1000000-0000-4000-8000-000000000001")
    static let phones = ["+36301111111", "+36302222222", "+36303333333", "+36304444444"]

    struct Built {
        var central: CentralStore
        /// Versions 1, 2, 3.
        var versions: [CompiledSurvey]
    }

    /// A1, A2 (vacant, outcome 23) in version 1; B1 in version 2; C1 in version 3; then A3 in
    /// version 1 on a device that was not updated (started last of all).
    static func build() throws -> Built {
        let versions = try (1...3).map { try CentralFixture.compile(source($0)) }
        var central = try Central()
        func a(_ name: String, _ value: Value, _ rows: [Int] = []) -> InterviewEventKind {
            .answered(Address(VariableName(name), rows: rows), .value(value))
        }
        try central.interview(
            a1, versions[0],
            [
                a("hh_size", .integer(2)), a("m_age", .integer(40), [1]), a("m_age", .integer(9), [2]), a("pet", .choice(1)),
                a("income", .integer(250_000)), a("worry", .integer(4)), a("comment", .text("  old text ")), a("sat", .choice(1)),
                a("trust", .choice(2)), a("prob", .choices([2])), a("cars", .integer(1)), a("c_km", .integer(12_000), [1]),
                a("phone", .text(phones[0])), .ended(outcome: 11),
            ])
        try central.interview(a2, versions[0], [.ended(outcome: 23)])
        try central.interview(
            b1, versions[1],
            [
                a("hh_size", .integer(11)), a("m_age", .integer(33), [1]), a("pet", .choice(0), [1]), a("income", .integer(3_000_000)),
                a("comment", .text("v2 text")), a("sat", .choice(2)), a("trust", .choice(9)), a("prob", .choices([2, 3])),
                a("phone", .text(phones[1])), .ended(outcome: 11),
            ])
        try central.interview(
            c1, versions[2],
            [
                a("hh_size", .integer(1)), a("m_age", .integer(25), [1]), a("pet", .choice(1), [1]), a("m_job", .text("nurse"), [1]),
                a("income", .choice(2)), a("comment", .integer(42)), a("sat", .choice(1)), a("trust", .choice(1)),
                a("prob", .choices([1, 2])), a("phone", .text(phones[2])), .ended(outcome: 11),
            ])
        try central.interview(
            a3, versions[0], device: "lap-2",
            [
                a("hh_size", .integer(1)), a("m_age", .integer(50), [1]), a("pet", .choice(0)), a("income", .integer(0)),
                a("worry", .integer(1)), a("sat", .choice(2)), a("trust", .choice(1)), a("prob", .choices([1])), a("cars", .integer(0)),
                a("phone", .text(phones[3])), .ended(outcome: 11),
            ])
        return Built(central: central.store, versions: versions)
    }

    /// A central dataset fed one bundle per interview, whatever its questionnaire version.
    struct Central {
        let store: CentralStore
        private var sequences: [DeviceID: Int64] = [:]
        private var clock: Int64 = 1_780_000_000_000
        private var bundles = 0

        init() throws {
            store = try CentralStore.inMemory()
            for device: DeviceID in ["lap-1", "lap-2"] {
                _ = try store.registerDevice(device, publicKey: Data(device.rawValue.utf8), method: .explicit, at: 1)
            }
        }

        mutating func interview(
            _ id: InterviewID, _ version: CompiledSurvey, device: DeviceID = "lap-1", _ kinds: [InterviewEventKind]
        ) throws {
            let start = InterviewEventKind.started(definition: version.hash, seed: 1, language: "en", preload: [:])
            var events: [InterviewEvent] = []
            for kind in [start] + kinds {
                let sequence = (sequences[device] ?? 0) + 1
                sequences[device] = sequence
                clock += 60_000
                events.append(
                    InterviewEvent(device: device, sequence: sequence, interview: id, timestamp: clock, interviewer: "Anna", kind: kind))
            }
            bundles += 1
            let receipt = BundleReceipt(
                hash: "bundle-\(bundles)", fileName: "b\(bundles).terepbundle", device: device,
                firstSequence: events[0].sequence, lastSequence: events[events.count - 1].sequence, receivedAt: clock)
            _ = try store.apply(events: events, definitions: [try DefinitionFile(version)], bundle: receipt)
        }
    }
}
