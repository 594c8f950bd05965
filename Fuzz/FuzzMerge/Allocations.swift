// Counting an input's allocations by phase, for measuring (docs/performance.md, "Fuzzing the
// merge"): `FUZZ_MERGE_ALLOCATIONS=1 FuzzMerge -runs=N …` prints, at exit, the allocations per
// input of each phase, counted by AddressSanitizer's malloc hook. Off by default: then each
// phase's end is one branch.
import Foundation

#if FUZZING
    @_silgen_name("__sanitizer_install_malloc_and_free_hooks")
    private func installMallocAndFreeHooks(
        _ malloc: @convention(c) (UnsafeRawPointer?, Int) -> Void, _ free: @convention(c) (UnsafeRawPointer?) -> Void
    ) -> CInt
#endif

enum Allocations {
    /// The phases of an input, in the order they run (a phase may run more than once).
    enum Phase: Int, CaseIterable {
        case decode, bundle, merge, checks, again, newID, rollback

        var name: String {
            switch self {
            case .decode: "decoding the input's lines"
            case .bundle: "building, signing and writing the bundles"
            case .merge: "the first merge"
            case .checks: "the checks after it (event count, integrity)"
            case .again: "the same file merged again, and its check"
            case .newID: "the events less the first under a new id"
            case .rollback: "the rollback and the reset's check"
            }
        }
    }

    nonisolated(unsafe) private static var count = 0
    nonisolated(unsafe) private static var mark = 0
    nonisolated(unsafe) private static var perPhase = [Int](repeating: 0, count: Phase.allCases.count)
    nonisolated(unsafe) private static var inputs = 0
    static let enabled: Bool = {
        #if FUZZING
            guard ProcessInfo.processInfo.environment["FUZZ_MERGE_ALLOCATIONS"] == "1" else { return false }
            _ = installMallocAndFreeHooks({ _, _ in Allocations.count += 1 }, { _ in })
            atexit { Allocations.report() }
            return true
        #else
            return false
        #endif
    }()

    /// An input starts.
    static func begin() {
        guard enabled else { return }
        inputs += 1
        mark = count
    }

    /// `phase` ends: the allocations since the last mark are its.
    static func end(_ phase: Phase) {
        guard enabled else { return }
        perPhase[phase.rawValue] += count - mark
        mark = count
    }

    private static func report() {
        let runs = Double(max(inputs, 1))
        var lines = ["allocations per input, \(inputs) inputs:"]
        for phase in Phase.allCases {
            lines.append(String(format: "%8.1f  ", Double(perPhase[phase.rawValue]) / runs) + phase.name)
        }
        lines.append(String(format: "%8.1f  in all", Double(perPhase.reduce(0, +)) / runs))
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
