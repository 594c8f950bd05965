import CentralTestSupport
import Foundation
import InterviewEngine
import SurveyCompiler
import SurveyModel
import SurveyStore

/// Builds central datasets for the tests: hand-written event logs on a small questionnaire,
/// or interviews simulated by the real engine on the study questionnaires.
struct CentralFixture {
    let central: any CentralDataset
    let compiled: CompiledSurvey
    private var sequences: [DeviceID: Int64] = [:]
    private var clock: Int64 = 1_780_000_000_000
    private var bundleNumber = 0

    init(_ compiled: CompiledSurvey, devices: [DeviceID] = ["lap-1", "lap-2"], on store: CentralImplementation = .sqlite) throws {
        self.compiled = compiled
        central = try store.make()
        for device in devices {
            _ = try central.registerDevice(device, publicKey: Data(device.rawValue.utf8), method: .explicit, at: 1)
        }
    }

    /// Merges events of one device for one interview as one bundle.
    mutating func merge(_ device: DeviceID, _ interview: InterviewID, _ kinds: [InterviewEventKind], interviewer: String = "Anna") throws {
        var events: [InterviewEvent] = []
        for kind in kinds {
            let sequence = (sequences[device] ?? 0) + 1
            sequences[device] = sequence
            clock += 20_000
            events.append(
                InterviewEvent(
                    device: device, sequence: sequence, interview: interview, timestamp: clock, interviewer: interviewer, kind: kind))
        }
        try mergeEvents(device, events)
    }

    mutating func mergeEvents(_ device: DeviceID, _ events: [InterviewEvent]) throws {
        bundleNumber += 1
        let receipt = BundleReceipt(
            hash: "bundle-\(bundleNumber)", fileName: "b\(bundleNumber).terepbundle", device: device,
            firstSequence: events.first?.sequence ?? 0, lastSequence: events.last?.sequence ?? 0, receivedAt: clock)
        _ = try central.apply(events: events, definitions: [try DefinitionFile(compiled)], bundle: receipt)
    }

    func started(seed: UInt64 = 1) -> InterviewEventKind {
        .started(definition: compiled.hash, seed: seed, language: "hu", preload: [:])
    }

    /// Simulates `count` interviews with the real engine on lap-1; returns the runs by id.
    mutating func simulate(_ count: Int, seed: UInt64) throws -> [InterviewID: InterviewSimulator.Run] {
        var rng = SplitMix64(seed: seed)
        var runs: [InterviewID: InterviewSimulator.Run] = [:]
        let simulator = InterviewSimulator(definition: compiled.definition)
        for n in 0..<count {
            let id = InterviewID(String(format: "sim-%04d", n))
            let start = 1_790_000_000_000 + Int64(n) * 3_600_000
            let context = EngineContext(
                today: LocalDate(year: 2026, month: 9, day: 1), now: TimeOfDay(hour: 10, minute: 0), interviewer: "Sim")
            let run = simulator.run(seed: rng.next(), context: context, startTimestamp: start, using: &rng)
            var events: [InterviewEvent] = []
            for e in run.events {
                let sequence = (sequences["lap-1"] ?? 0) + 1
                sequences["lap-1"] = sequence
                var kind = e.kind
                if case .started(_, let s, let l, let p) = kind {
                    kind = .started(definition: compiled.hash, seed: s, language: l, preload: p)
                }
                events.append(
                    InterviewEvent(
                        device: "lap-1", sequence: sequence, interview: id, timestamp: e.timestamp, interviewer: "Sim", kind: kind))
            }
            try mergeEvents("lap-1", events)
            runs[id] = run
        }
        return runs
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func questionnaire(_ name: String) throws -> CompiledSurvey {
        try SurveyLoader.load(path: root.appendingPathComponent("questionnaires/\(name).survey").path)
    }

    static func compile(_ source: String) throws -> CompiledSurvey {
        let loader = InMemoryLoader(["t.survey": source])
        let result = SurveyCompiler.compile(try loader.root("t.survey"), loader: loader)
        guard let compiled = result.compiled else { throw FixtureError.doesNotCompile("\(result.diagnostics)") }
        return compiled
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("terep-fieldwork-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

enum FixtureError: Error {
    case doesNotCompile(String)
}
