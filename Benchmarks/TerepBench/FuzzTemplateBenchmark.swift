import Foundation
import SurveyModel
import SurveyStore

/// `fuzz-template`: what FuzzMerge pays per input to start from a fresh central dataset — a
/// page-for-page copy of a template migrated once (`CentralStore.inMemoryCopy`) — beside the
/// baseline of the same run: a new in-memory dataset migrated and the device registered, what
/// every input did before. CPU time of `TEREP_BENCH_TEMPLATE_ROUNDS` rounds (default 500) each.
enum FuzzTemplateBenchmark {
    static func run() throws {
        let rounds = Int(ProcessInfo.processInfo.environment["TEREP_BENCH_TEMPLATE_ROUNDS"] ?? "") ?? 500
        let device: DeviceID = "dev-a"
        let key = Data(repeating: 7, count: 32)
        func fresh() throws -> CentralStore {
            let central = try CentralStore.inMemory()
            _ = try central.registerDevice(device, publicKey: key, method: .explicit)
            return central
        }
        let template = try fresh()
        let migrated = try ColdCleanBenchmark.measure { for _ in 0..<rounds { _ = try fresh() } }
        let copied = try ColdCleanBenchmark.measure { for _ in 0..<rounds { _ = try template.inMemoryCopy() } }
        func each(_ c: ColdCleanBenchmark.Cost) -> String { String(format: "%.3f ms CPU each", c.cpu / Double(rounds) * 1000) }
        print("  baseline: migrate a new in-memory central dataset and register the device, \(rounds)×: \(migrated) = \(each(migrated))")
        print(
            "  copy the template (CentralStore.inMemoryCopy), \(rounds)×: \(copied) = \(each(copied)) = "
                + String(format: "%.0f× faster", migrated.cpu / max(copied.cpu, 1e-9)))
    }
}
