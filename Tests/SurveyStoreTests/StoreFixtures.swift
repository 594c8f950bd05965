import Foundation
import SurveyModel

@testable import SurveyStore

/// A small compiled definition with an outcome ("complete" = 11), enough for storage tests.
func sampleSurvey(version: String = "2026.1") -> CompiledSurvey {
    let definition = SurveyDefinition(
        id: "wellbeing", version: version, title: LocalizedText(["hu": "Jóllét", "en": "Well-being"]),
        languages: ["hu", "en"], outcome: OutcomeSpec(variable: "outcome", completeCode: 11), answerSets: [],
        items: (0..<12).map { .question(Question(name: VariableName("q\($0)"), kind: .integer(min: nil, max: nil))) }
            + [
                .group(
                    Group(
                        id: "members", kind: .roster(RosterSpec(count: nil, maxRows: 20)),
                        children: [
                            .question(Question(name: "m_age", kind: .integer(min: nil, max: nil)))
                        ]))
            ])
    let hash = DefinitionHash(String(repeating: version == "2026.1" ? "a" : "b", count: 64))
    return CompiledSurvey(definition: definition, hash: hash)
}

/// A fresh temporary folder, removed by the caller with `cleanUp`.
struct TempFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("terep-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// Where a test store lives.
enum StoreLocation: String, CaseIterable, CustomStringConvertible, Sendable {
    case onDisk, inMemory
    var description: String { rawValue }
}

/// Makes a device store with the sample definition saved, on disk or in memory.
func makeStore(_ location: StoreLocation, in folder: TempFolder, device: DeviceID = "laptop-07") throws -> DeviceStore {
    let store: DeviceStore
    switch location {
    case .onDisk: store = try DeviceStore.initialize(path: folder.path("device.sqlite"), deviceID: device, interviewer: "Kiss Anna")
    case .inMemory: store = try DeviceStore.inMemory(deviceID: device, interviewer: "Kiss Anna")
    }
    try store.saveDefinition(sampleSurvey())
    return store
}

/// Starts an interview on the sample definition.
func startInterview(_ store: DeviceStore, at time: Int64 = 1_000, isTest: Bool = false) throws -> DeviceInterview {
    try store.createInterview(
        NewInterview(
            definition: sampleSurvey().hash, seed: 42, language: "hu",
            preload: ["cluster_id": .integer(17)], isTest: isTest),
        timestamp: time)
}
