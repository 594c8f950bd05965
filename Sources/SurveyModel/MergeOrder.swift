/// An event's place in the merge order: the one total order of an interview's events from
/// every device — by timestamp, then device id (by its UTF-8 bytes, as SQLite compares text),
/// then sequence number.
///
/// The central dataset derives everything about an interview from its events in this order, so
/// that any order of merging the same events gives the same dataset: the earliest `started`
/// event starts it, the latest `ended` / `reopened` decides its status, the latest
/// `trainingMarked` its training flag, and replaying the events in this order (the cleaner)
/// makes the last answer written to a question win.
public struct MergeKey: Comparable, Hashable, Sendable {
    public var timestamp: Int64
    public var device: DeviceID
    public var sequence: Int64

    public init(timestamp: Int64, device: DeviceID, sequence: Int64) {
        self.timestamp = timestamp
        self.device = device
        self.sequence = sequence
    }

    public static func < (a: MergeKey, b: MergeKey) -> Bool {
        if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
        if a.device != b.device { return a.device.rawValue.utf8.lexicographicallyPrecedes(b.device.rawValue.utf8) }
        return a.sequence < b.sequence
    }
}

extension InterviewEvent {
    /// The event's place in the merge order.
    public var mergeKey: MergeKey { MergeKey(timestamp: timestamp, device: device, sequence: sequence) }
}
