import Foundation
import SurveyModel

/// Compiled-survey files this process has decoded and verified
/// (``BundlePayload/verifiedDefinition(_:declared:)``), kept with their exact bytes: a file is
/// answered from here only when its bytes equal the kept ones byte for byte and it is asked for
/// under the same hash, so what comes back is what decoding and verifying them again would
/// give. Bounded: at most ``maxEntries`` files of at most ``maxFileBytes`` each (the oldest kept
/// one makes room), so a stream of different definitions cannot grow it.
public final class VerifiedDefinitions: @unchecked Sendable {
    /// The one cache of the process (a server merging many devices' bundles of the same surveys).
    public static let shared = VerifiedDefinitions()
    public let maxEntries: Int
    public let maxFileBytes: Int
    private let lock = NSLock()
    private var kept: [(bytes: Data, survey: CompiledSurvey)] = []

    public init(maxEntries: Int = 8, maxFileBytes: Int = 8 << 20) {
        self.maxEntries = maxEntries
        self.maxFileBytes = maxFileBytes
    }

    /// The survey verified from exactly these bytes under `declared`, if kept.
    func survey(_ bytes: Data, declared: DefinitionHash) -> CompiledSurvey? {
        lock.lock()
        defer { lock.unlock() }
        return kept.first { $0.survey.hash == declared && $0.bytes == bytes }?.survey
    }

    /// Keeps a survey verified from `bytes` (its hash checked against the file's).
    func keep(_ survey: CompiledSurvey, bytes: Data) {
        guard bytes.count <= maxFileBytes, maxEntries > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !kept.contains(where: { $0.survey.hash == survey.hash && $0.bytes == bytes }) else { return }
        if kept.count >= maxEntries { kept.removeFirst() }
        kept.append((bytes, survey))
    }

    /// Forgets every kept file but those verified under `hashes`: a fuzz target keeps the one
    /// questionnaire it merges and clears the rest before every input, so that an input runs the
    /// same whatever ran before it (and a crash file replays exactly).
    public func removeAll(keeping hashes: Set<DefinitionHash> = []) {
        lock.lock()
        defer { lock.unlock() }
        kept.removeAll { !hashes.contains($0.survey.hash) }
    }

    /// How many files are kept (for tests).
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return kept.count
    }
}
