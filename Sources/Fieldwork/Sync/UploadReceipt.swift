import Foundation

/// What `terep server` answers to an accepted bundle upload (`POST /v1/bundles`, JSON), and
/// what `terep sync` reads before it moves the device's mark: the one owner of that format.
public struct UploadReceipt: Codable, Hashable, Sendable {
    /// The bundle's id (SHA-256 of its manifest); the device checks it is the one it sent.
    public var bundle: String
    /// `merged` or `already-merged`.
    public var status: String
    public var events: Int
    public var newEvents: Int
    public var duplicateEvents: Int
    public var newInterviews: Int
    public var updatedInterviews: Int

    public init(bundle: String, outcome: MergeOutcome) {
        self.bundle = bundle
        status = outcome.status.rawValue
        events = outcome.events
        newEvents = outcome.newEvents
        duplicateEvents = outcome.duplicateEvents
        newInterviews = outcome.newInterviews
        updatedInterviews = outcome.updatedInterviews
    }

    /// Whether the server holds every event of the bundle.
    public var acknowledged: Bool {
        status == MergeOutcome.Status.merged.rawValue || status == MergeOutcome.Status.alreadyMerged.rawValue
    }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Reads a receipt; nil when the bytes are not one (at most 64 KiB are read).
    public static func decode(_ data: Data) -> UploadReceipt? {
        guard data.count <= 65_536 else { return nil }
        return try? JSONDecoder().decode(UploadReceipt.self, from: data)
    }
}
