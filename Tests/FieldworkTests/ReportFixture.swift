import Foundation
import InterviewEngine
import SurveyModel
import SurveyStore
import SurveySync

@testable import Fieldwork

/// Simulated fieldwork for `terep report`: four interviewers on four laptops interview with
/// the real engine over ten days, with planted anomalies (see ``ReportFixture/init()``).
struct ReportFixture {
    static let source = """
        survey rep {
          title en "Report test" hu "Jelentés teszt"
          version "1"
          languages hu en
          outcome outcome complete 11
          specials dk rf
        }
        answers OUT { 11 en "Complete" hu "Teljes" 21 en "Refusal" hu "Elutasítás" 31 en "Nobody home" hu "Nem volt otthon" }
        answers DIST { 1 en "North" hu "Észak" 2 en "South" hu "Dél" }
        answers SEX { 1 en "Man" hu "Férfi" 2 en "Woman" hu "Nő" }
        question outcome single OUT { interviewer optional nodk text en "Outcome" hu "Eredmény" }
        question district single DIST { preload interviewer nodk text en "District" hu "Kerület" }
        question home yesno { interviewer nodk text en "Anyone home?" hu "Van otthon valaki?" }
        end outcome 31 if home == 0
        question consent yesno { nodk text en "Consent?" hu "Hozzájárul?" }
        end outcome 21 if consent == 0
        section A {
          title en "About you" hu "Önről"
          question sex single SEX { text en "Sex" hu "Nem" }
          question age integer 18..99 { label en "Age" hu "Életkor" text en "Your age?" hu "Hány éves?" }
          question sat integer 0..10 {
            text en "Satisfaction?" hu "Elégedettség?"
            warn if sat < 3 en "Really that low?" hu "Tényleg ilyen alacsony?"
          }
          question trust integer 0..10 { text en "Trust?" hu "Bizalom?" }
          question income integer 0..2000000 { text en "Income?" hu "Jövedelem?" }
          question hh_size integer 1..6 { text en "Household size?" hu "Háztartás mérete?" }
        }
        roster mem count hh_size max 6 {
          title en "Members" hu "Tagok"
          question m_age integer 0..110 { text en "Age of member?" hu "Életkor?" }
          question m_work yesno { text en "Works?" hu "Dolgozik?" }
        }
        question remark text { optional maxlength 60 text en "Remark" hu "Megjegyzés" }
        """

    /// Interviewers, their laptops and how they work.
    struct Interviewer {
        var name: String
        var device: DeviceID
        var dontKnow = 0.03
        var refused = 0.01
        var secondsPerEvent: ClosedRange<Int> = 8...40
    }

    static let anna = Interviewer(name: "Anna", device: "lap-1")
    static let bela = Interviewer(name: "Béla", device: "lap-2")
    /// The speeder: a few seconds per answer.
    static let csaba = Interviewer(name: "Csaba", device: "lap-3", secondsPerEvent: 1...2)
    /// Many don't know / refused.
    static let dora = Interviewer(name: "Dóra", device: "lap-4", dontKnow: 0.3, refused: 0.15)
    static let interviewers = [anna, bela, csaba, dora]

    static let period = DateRange(first: LocalDate(year: 2026, month: 9, day: 1), last: LocalDate(year: 2026, month: 9, day: 20))
    static let today = LocalDate(year: 2026, month: 9, day: 10)
    static let targets = FieldworkTargets(
        period: period, total: 60,
        quotas: [
            Quota(
                name: "district", variables: ["district"],
                cells: [
                    QuotaCell(values: [.code(1)], target: 30),
                    // A label declared in the targets block wins over the answer label.
                    QuotaCell(values: [.code(2)], target: 30, label: LocalizedText(["hu": "Déli oldal", "en": "South side"])),
                ]),
            Quota(name: "sex", variables: ["sex"]),
            Quota(name: "interviewer", variables: ["interviewer"], each: 15),
        ],
        dispositions: [
            OutcomeDisposition(code: 11, disposition: .complete), OutcomeDisposition(code: 21, disposition: .refusal),
            OutcomeDisposition(code: 31, disposition: .noncontact),
        ])

    let folder: URL
    let centralPath: String
    let central: CentralStore
    let compiled: CompiledSurvey
    /// The interview started at 23:30 (Anna's).
    let lateInterview: InterviewID
    /// The interview marked as training (Béla's).
    let trainingInterview: InterviewID
    /// Anna's interview revisited by Béla on lap-2.
    let conflictInterview: InterviewID
    /// The sequence range of lap-2's bundle that never arrived.
    private(set) var missingRange = ""
    private var sequences: [DeviceID: Int64] = [:]
    private var bundleNumber = 0

    /// Ten days of fieldwork, 3 interviews a day per interviewer (days 1–10), district 2 only
    /// every eighth interview (so its quota falls behind); 1 in 6 nobody home, 1 in 9 refused.
    /// Planted: Csaba speeds, Dóra answers DK/RF, one of Anna's starts at 23:30, one of Béla's
    /// is a training interview, lap-2's fifth bundle is lost, a bundle from lap-5 is
    /// tampered with, Béla revisits one of Anna's interviews on lap-2, one of Dóra's is still
    /// in progress.
    init(targets: FieldworkTargets = ReportFixture.targets) throws {
        folder = try CentralFixture.temporaryDirectory()
        centralPath = folder.appendingPathComponent("central.sqlite").path
        _ = try CentralAdmin.create(path: centralPath)
        central = try CentralStore.open(path: centralPath)
        var definition = try CentralFixture.compile(Self.source).definition
        definition.targets = targets
        // The hash of the canonical JSON itself (what bundles verify), targets included.
        compiled = CompiledSurvey(definition: definition, hash: try DefinitionFiles.hash(of: definition))
        for i in Self.interviewers {
            _ = try central.registerDevice(i.device, publicKey: Data(i.device.rawValue.utf8), method: .explicit, at: 1)
        }
        lateInterview = Self.id("Anna", 5)
        trainingInterview = Self.id("Béla", 7)
        conflictInterview = Self.id("Anna", 11)
        var rng = SplitMix64(seed: 2026)
        var n = 0
        for day in 1...10 {
            for slot in 0..<3 {
                for interviewer in Self.interviewers {
                    n += 1
                    try simulate(interviewer, number: (day - 1) * 3 + slot, day: day, slot: slot, global: n, &rng)
                }
            }
        }
        try revisit()
        try tamperedBundle()
    }

    static func id(_ interviewer: String, _ number: Int) -> InterviewID {
        let prefix = interviewer.unicodeScalars.first.map { String($0).lowercased() } ?? "x"
        return InterviewID(String(format: "%@%07d-0000-4000-8000-000000000000", prefix, number))
    }

    /// Milliseconds of a local date and time in the machine's time zone.
    static func timestamp(day: Int, hour: Int, minute: Int) -> Int64 {
        var c = DateComponents()
        (c.year, c.month, c.day, c.hour, c.minute) = (2026, 9, day, hour, minute)
        let calendar = Calendar(identifier: .gregorian)
        let date = calendar.date(from: c) ?? Date(timeIntervalSince1970: 0)
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private mutating func simulate(
        _ who: Interviewer, number: Int, day: Int, slot: Int, global: Int, _ rng: inout SplitMix64
    ) throws {
        let id = Self.id(who.name, number)
        var start = Self.timestamp(day: day, hour: 9 + slot * 3, minute: 0)
        if id == lateInterview { start = Self.timestamp(day: day, hour: 23, minute: 30) }
        var simulator = InterviewSimulator(definition: compiled.definition)
        simulator.dontKnowRate = who.dontKnow
        simulator.refusedRate = who.refused
        simulator.secondsPerEvent = who.secondsPerEvent
        let preload: [VariableName: Value] = [
            "district": .choice(number % 8 == 0 ? 2 : 1), "home": .choice(global % 6 == 5 ? 0 : 1),
            "consent": .choice(global % 9 == 4 ? 0 : 1),
        ]
        let context = EngineContext(at: LocalClock.moment(at: start), interviewer: who.name)
        let run = simulator.run(seed: rng.next(), context: context, startTimestamp: start, preload: preload, using: &rng)
        var kinds = run.events.map { e -> (InterviewEventKind, Int64) in
            if case .started(_, let s, let l, let p) = e.kind {
                return (.started(definition: compiled.hash, seed: s, language: l, preload: p), e.timestamp)
            }
            return (e.kind, e.timestamp)
        }
        if id == trainingInterview { kinds.insert((.trainingMarked(true), start + 1), at: 1) }
        if who.name == "Dóra" && number == 29 { kinds.removeLast() }  // still in progress
        let events = kinds.map { kind, time in event(who.device, id, time, who.name, kind) }
        // lap-2's fifth interview travels in a bundle that never reaches the coordinator.
        if who.device == "lap-2" && number == 4 {
            missingRange = "\(events.first?.sequence ?? 0)-\(events.last?.sequence ?? 0)"
            return
        }
        try merge(who.device, events)
    }

    private mutating func event(_ device: DeviceID, _ id: InterviewID, _ time: Int64, _ who: String, _ kind: InterviewEventKind)
        -> InterviewEvent
    {
        let sequence = (sequences[device] ?? 0) + 1
        sequences[device] = sequence
        return InterviewEvent(device: device, sequence: sequence, interview: id, timestamp: time, interviewer: who, kind: kind)
    }

    private mutating func merge(_ device: DeviceID, _ events: [InterviewEvent]) throws {
        bundleNumber += 1
        let receivedAt = (events.last?.timestamp ?? 0) + 3_600_000
        let receipt = BundleReceipt(
            hash: "bundle-\(bundleNumber)", fileName: "\(device)-\(bundleNumber).terepbundle", device: device,
            firstSequence: events.first?.sequence ?? 0, lastSequence: events.last?.sequence ?? 0, receivedAt: receivedAt)
        _ = try central.apply(events: events, definitions: [try DefinitionFile(compiled)], bundle: receipt)
    }

    /// Béla reopens one of Anna's completed interviews on lap-2 and changes an answer.
    private mutating func revisit() throws {
        let at = Self.timestamp(day: 10, hour: 18, minute: 0)
        let kinds: [InterviewEventKind] = [.reopened(), .answered(Address("trust"), .value(.integer(5))), .ended(outcome: 11)]
        let events = kinds.enumerated().map { k, kind in event("lap-2", conflictInterview, at + Int64(k) * 60_000, "Béla", kind) }
        try merge("lap-2", events)
    }

    /// A real bundle from a fifth laptop, one byte changed in transit: the merge rejects it.
    private func tamperedBundle() throws {
        let store = try DeviceStore.initialize(
            path: folder.appendingPathComponent("lap-5.sqlite").path, deviceID: "lap-5", interviewer: "Emese")
        let key = DeviceSigningKey()
        try store.setSigningKey(SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation))
        try store.saveDefinition(compiledJSON: try compiled.fileData())
        _ = try CentralAdmin.addDevice(path: centralPath, device: "lap-5", key: key.publicKey, note: nil)
        let id = InterviewID("eeeeeeee-0000-4000-8000-000000000001")
        _ = try store.createInterview(
            NewInterview(id: id, definition: compiled.hash, seed: 1, language: "hu"), timestamp: Self.timestamp(day: 9, hour: 10, minute: 0)
        )
        let file = folder.appendingPathComponent("lap-5.terepbundle").path
        _ = try BundleExport.create(store: store, output: file, recipient: nil, all: true)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: file))
        var merger = try BundleMerger.open(centralPath: centralPath, trustNewDevices: false, note: { _ in })
        _ = merger.merge([file])
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }
}
