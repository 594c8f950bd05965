import Foundation
import SurveyModel

/// The identity of an event everywhere: its device and its per-device sequence number.
public struct EventID: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public var device: DeviceID
    public var sequence: Int64

    public init(device: DeviceID, sequence: Int64) {
        self.device = device
        self.sequence = sequence
    }

    public static func < (a: EventID, b: EventID) -> Bool {
        a.device != b.device ? a.device < b.device : a.sequence < b.sequence
    }

    public var description: String { "\(device)#\(sequence)" }
}

extension InterviewEvent {
    /// `(device, sequence)`.
    public var id: EventID { EventID(device: device, sequence: sequence) }
}

/// One write to an answer address: an answer, or `nil` when the answer was cleared.
public struct AnswerWrite: Hashable, Sendable {
    public var event: EventID
    public var timestamp: Int64
    public var interviewer: String
    /// The answer written; nil for a `cleared` event.
    public var answer: Answer?
}

/// An address written by more than one device: all writes, in merge order, and the winner.
public struct AnswerConflict: Hashable, Sendable {
    public var address: Address
    /// Every write to the address, in merge order (the last one wins).
    public var writes: [AnswerWrite]
    /// Whether the devices' final writes disagree (false when they all wrote the same answer).
    public var disagrees: Bool

    public var winner: AnswerWrite { writes[writes.count - 1] }
    /// The devices that wrote the address, sorted.
    public var devices: [DeviceID] { Array(Set(writes.map(\.event.device))).sorted() }
}

/// The current answers of one interview derived from the events of all devices.
public struct ResolvedInterview: Hashable, Sendable {
    public var interview: InterviewID
    /// The current answer of each address that has one (cleared addresses are absent).
    public var answers: [Address: Answer]
    /// The event that set each current answer.
    public var sources: [Address: EventID]
    /// Addresses written by two or more devices, sorted by address.
    public var conflicts: [AnswerConflict]
    /// Event IDs seen more than once with different contents (a corrupt device log); the
    /// rule still gives one result, but these need review.
    public var collisions: [EventID]
    /// How many distinct events were used (exact duplicates counted once).
    public var eventCount: Int
}

/// The deterministic rule that derives current answers from the events of several devices.
///
/// 1. Exact duplicate events (same device, sequence and contents) count once.
/// 2. Events are put in *merge order*: by timestamp, then device id, then sequence number
///    (then, only for corrupt logs with two different events under one id, by their JSON).
/// 3. For each address, the last `answered` or `cleared` event in merge order wins
///    ("last write wins"); `cleared` removes the answer.
/// 4. Every address written by two or more devices is a conflict: all its writes are listed,
///    nothing is dropped, and the winner is the one of rule 3.
///
/// The result depends only on the *set* of events, never on their order or repetition.
public enum AnswerMerge {
    /// Resolves the events of any number of interviews, grouped by interview.
    public static func resolve(_ events: [InterviewEvent]) -> [InterviewID: ResolvedInterview] {
        var byInterview: [InterviewID: [InterviewEvent]] = [:]
        for e in events { byInterview[e.interview, default: []].append(e) }
        var result: [InterviewID: ResolvedInterview] = [:]
        for (id, group) in byInterview { result[id] = resolveInterview(id, group) }
        return result
    }

    /// The events in merge order, exact duplicates removed.
    public static func mergeOrder(_ events: [InterviewEvent]) -> [InterviewEvent] {
        var unique = Array(Set(events))
        let collide = Set(Dictionary(grouping: unique, by: \.id).filter { $0.value.count > 1 }.keys)
        var tieBreak: [InterviewEvent: Data] = [:]
        if !collide.isEmpty {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for e in unique where collide.contains(e.id) { tieBreak[e] = (try? encoder.encode(e)) ?? Data() }
        }
        unique.sort { a, b in
            if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
            if a.device != b.device { return a.device < b.device }
            if a.sequence != b.sequence { return a.sequence < b.sequence }
            return (tieBreak[a] ?? Data()).lexicographicallyPrecedes(tieBreak[b] ?? Data())
        }
        return unique
    }

    private static func resolveInterview(_ id: InterviewID, _ events: [InterviewEvent]) -> ResolvedInterview {
        let ordered = mergeOrder(events)
        var writes: [Address: [AnswerWrite]] = [:]
        var seen: [EventID: Int] = [:]
        for e in ordered {
            seen[e.id, default: 0] += 1
            let write: (Address, Answer?)
            switch e.kind {
            case .answered(let at, let answer): write = (at, answer)
            case .cleared(let at): write = (at, nil)
            default: continue
            }
            writes[write.0, default: []].append(
                AnswerWrite(event: e.id, timestamp: e.timestamp, interviewer: e.interviewer, answer: write.1))
        }
        var answers: [Address: Answer] = [:]
        var sources: [Address: EventID] = [:]
        var conflicts: [AnswerConflict] = []
        for (address, list) in writes {
            guard let last = list.last else { continue }
            if let answer = last.answer {
                answers[address] = answer
                sources[address] = last.event
            }
            if let conflict = conflict(at: address, list) { conflicts.append(conflict) }
        }
        conflicts.sort { $0.address < $1.address }
        return ResolvedInterview(
            interview: id, answers: answers, sources: sources, conflicts: conflicts,
            collisions: seen.filter { $0.value > 1 }.keys.sorted(), eventCount: ordered.count)
    }

    /// A conflict when two or more devices wrote the address.
    private static func conflict(at address: Address, _ list: [AnswerWrite]) -> AnswerConflict? {
        var finalByDevice: [DeviceID: Answer?] = [:]
        for w in list { finalByDevice[w.event.device] = .some(w.answer) }
        guard finalByDevice.count > 1 else { return nil }
        let finals = Set(finalByDevice.values.map { $0 })
        return AnswerConflict(address: address, writes: list, disagrees: finals.count > 1)
    }
}
