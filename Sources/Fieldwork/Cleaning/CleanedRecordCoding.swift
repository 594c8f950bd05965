import Foundation
import SurveyExport
import SurveyModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a cached cleaned record's bytes cannot be decoded. A bad record is never fatal: the
/// interview is replayed instead.
public enum CleanedRecordCodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes do not start with the record marker.
    case notARecord
    /// Written by another version of the encoding.
    case unsupportedFormat(UInt8)
    /// The bytes end in the middle of a field.
    case truncated(at: Int)
    /// An unknown tag for a value or special answer.
    case badTag(UInt8, at: Int)
    /// A number that does not fit (an over-long varint or an out-of-range count).
    case badNumber(at: Int)
    /// Bytes left over after the record.
    case trailingBytes(Int)
    /// The checksum does not match the bytes (the record was damaged).
    case checksumMismatch

    public var description: String {
        switch self {
        case .notARecord: "not a cleaned record"
        case .unsupportedFormat(let v): "cleaned-record format \(v) is not supported"
        case .truncated(let at): "the record ends early (byte \(at))"
        case .badTag(let tag, let at): "unknown tag \(tag) at byte \(at)"
        case .badNumber(let at): "a bad number at byte \(at)"
        case .trailingBytes(let n): "\(n) bytes after the record"
        case .checksumMismatch: "the record's checksum does not match (damaged)"
        }
    }
}

/// A compact, versioned binary form of a cleaned interview (``InterviewCleaner/Cleaned``: the
/// record and the events replay skipped), for the central dataset's cache of cleaned records.
///
/// Layout: the marker `TRCR`, a format byte, then the fields in declaration order. Integers
/// are zig-zag LEB128 varints, texts a varint length and UTF-8, decimals their 8 IEEE bytes
/// (little-endian), optionals a presence byte. Dictionaries and sets are written sorted, so
/// equal records have equal bytes. The last 8 bytes are the FNV-1a 64-bit hash of all before
/// them, so any single damaged byte is detected.
public enum CleanedRecordCoding {
    static let marker: [UInt8] = Array("TRCR".utf8)
    static let format: UInt8 = 4

    /// The version of the cleaning rules. Bump it whenever replay or cleaning can give another
    /// record for the same events (engine routing, off-route rule, record fields): every cached
    /// record then becomes stale and is recomputed. 4: the engine refuses a `reopened` event on
    /// an interview that has not ended, so replay lists it among the skipped events. 5: records
    /// carry their paradata and comments. 6: records carry their visits and case. 7: a fix after
    /// a complete end keeps the last visit's end and note (``VisitTracker``).
    public static let cleanerVersion = 7

    /// The key a cached record must carry to be used by this process: the cleaning rules'
    /// version, the encoding's format and the local time zone (replay evaluates `today()` and
    /// `now()` in local time): `timeZone`'s identifier and the UTC offsets in winter and summer
    /// of the C library's local time, which replay itself uses.
    public static func cacheKey(timeZone: TimeZone = .current) -> String {
        var offsets: [String] = []
        for probe in [1_767_225_600, 1_782_864_000] as [time_t] {  // 2026-01-01, 2026-07-01 UTC
            var seconds = probe
            var parts = tm()
            localtime_r(&seconds, &parts)
            offsets.append(String(parts.tm_gmtoff))
        }
        return "cleaner \(cleanerVersion); format \(format); tz \(timeZone.identifier) \(offsets.joined(separator: "/"))"
    }

    /// Encodes a cleaned interview. `nameRanks` (``InterviewCleaner/nameRanks``) only makes the
    /// answers' sort faster: the bytes are the same with or without it.
    public static func encode(_ cleaned: InterviewCleaner.Cleaned, nameRanks: [VariableName: Int] = [:]) -> Data {
        var w = ByteWriter()
        w.bytes.reserveCapacity(64 + cleaned.record.answers.count * 16)
        w.bytes += marker
        w.bytes.append(format)
        let r = cleaned.record
        w.text(r.id.rawValue)
        w.text(r.definition.rawValue)
        w.text(r.surveyVersion)
        w.text(r.device.rawValue)
        w.text(r.interviewer)
        w.optional(r.startedAt)
        w.optional(r.endedAt)
        w.optional(r.timeSpent)
        w.optional(r.outcome.map(Int64.init))
        w.bytes.append(r.hadConflict ? 1 : 0)
        w.count(r.answers.count)
        for (address, answer) in sortedAnswers(r.answers, nameRanks: nameRanks) {
            w.text(address.variable.rawValue)
            w.ints(address.rows)
            w.answer(answer)
        }
        w.count(r.rosterRows.count)
        let rosters = r.rosterRows.sorted {
            $0.key.roster != $1.key.roster
                ? $0.key.roster < $1.key.roster : $0.key.parentRows.lexicographicallyPrecedes($1.key.parentRows)
        }
        for (instance, rows) in rosters {
            w.text(instance.roster.rawValue)
            w.ints(instance.parentRows)
            w.int(Int64(rows))
        }
        w.count(r.confirmedChecks.count)
        let checks = r.confirmedChecks.sorted {
            $0.check != $1.check ? $0.check < $1.check : $0.rows.lexicographicallyPrecedes($1.rows)
        }
        for check in checks {
            w.text(check.check.rawValue)
            w.ints(check.rows)
        }
        w.count(cleaned.skippedEvents.count)
        for message in cleaned.skippedEvents { w.text(message) }
        w.visits(r.visits)
        if let caseID = r.caseID { w.bytes.append(1); w.text(caseID.rawValue) } else { w.bytes.append(0) }
        // Paradata and comments last, behind their length, so a pass that does not need them
        // (a report) skips their bytes instead of decoding them.
        var tail = ByteWriter()
        tail.paradata(r.paradata, startedAt: r.startedAt ?? 0)
        tail.comments(r.comments)
        w.count(tail.bytes.count)
        w.bytes += tail.bytes
        let checksum = fnv1a(w.bytes)
        withUnsafeBytes(of: checksum.littleEndian) { w.bytes.append(contentsOf: $0) }
        return Data(w.bytes)
    }

    /// The answers in address order (name, then rows): by the names' ranks when every name has
    /// one (one sort of integers, then each name's rows), else by the names themselves.
    static func sortedAnswers(_ answers: [Address: Answer], nameRanks: [VariableName: Int]) -> [(key: Address, value: Answer)] {
        var entries: [(key: Address, value: Answer)] = []
        var keys: [UInt64] = []  // rank, then the entry's index
        entries.reserveCapacity(answers.count)
        keys.reserveCapacity(answers.count)
        for (key, value) in answers {
            guard let rank = nameRanks[key.variable], rank >= 0, rank <= Int(UInt32.max) else {
                return answers.sorted { $0.key < $1.key }
            }
            keys.append(UInt64(rank) << 32 | UInt64(entries.count))
            entries.append((key, value))
        }
        keys.sort()
        var sorted = keys.map { entries[Int($0 & 0xFFFF_FFFF)] }
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count, keys[end] >> 32 == keys[start] >> 32 { end += 1 }
            if end - start > 1 { sorted[start..<end].sort { $0.key.rows.lexicographicallyPrecedes($1.key.rows) } }
            start = end
        }
        return sorted
    }

    /// Decodes bytes written by ``encode(_:nameRanks:)``; anything else is rejected with an error. Without
    /// `paradata` the record's paradata and comments are skipped (left empty).
    public static func decode(_ data: Data, paradata: Bool = true) throws(CleanedRecordCodingError) -> InterviewCleaner.Cleaned {
        let result: Result<InterviewCleaner.Cleaned, CleanedRecordCodingError> = data.withUnsafeBytes { all in
            guard all.count >= 13 else { return .failure(.notARecord) }
            let buffer = UnsafeRawBufferPointer(rebasing: all[..<(all.count - 8)])
            var stored: UInt64 = 0
            for i in 0..<8 { stored |= UInt64(all[buffer.count + i]) << (8 * UInt64(i)) }
            guard stored == fnv1a(buffer) else {
                let marked = Array(all[0..<4]) == marker
                return .failure(marked ? .checksumMismatch : .notARecord)
            }
            var r = ByteReader(buffer)
            do throws(CleanedRecordCodingError) {
                return .success(try r.cleaned(paradata: paradata))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The FNV-1a 64-bit hash of `bytes`.
    static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

/// Appends the encoding's primitives to a byte array.
private struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func uvarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func int(_ value: Int64) { uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }
    mutating func count(_ n: Int) { uvarint(UInt64(n)) }

    mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func ints(_ values: [Int]) {
        count(values.count)
        for v in values { int(Int64(v)) }
    }

    mutating func optional(_ value: Int64?) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        int(value)
    }

    mutating func answer(_ answer: Answer) {
        switch answer {
        case .special(.dontKnow): bytes.append(10)
        case .special(.refused): bytes.append(11)
        case .special(.notApplicable): bytes.append(12)
        case .value(.integer(let v)): bytes.append(0); int(Int64(v))
        case .value(.decimal(let d)):
            bytes.append(1)
            withUnsafeBytes(of: d.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        case .value(.text(let s)): bytes.append(2); text(s)
        case .value(.boolean(let b)): bytes.append(b ? 4 : 3)
        case .value(.date(let d)): bytes.append(5); int(Int64(d.year)); int(Int64(d.month)); int(Int64(d.day))
        case .value(.time(let t)): bytes.append(6); int(Int64(t.minutes))
        case .value(.choice(let c)): bytes.append(7); int(Int64(c))
        case .value(.choices(let codes)): bytes.append(8); ints(codes)
        case .value(.datetime(let t)): bytes.append(9); int(Int64(t.seconds))
        }
    }

    mutating func address(_ a: Address?) {
        guard let a else { return bytes.append(0) }
        bytes.append(1)
        text(a.variable.rawValue)
        ints(a.rows)
    }

    /// Devices as a table, then each event: kind, milliseconds after the previous one, device
    /// index, address.
    mutating func paradata(_ events: [ParadataEvent], startedAt: Int64) {
        var devices: [DeviceID] = []
        var index: [DeviceID: Int] = [:]
        for e in events where index[e.device] == nil {
            index[e.device] = devices.count
            devices.append(e.device)
        }
        count(devices.count)
        for d in devices { text(d.rawValue) }
        count(events.count)
        var previous = startedAt
        for e in events {
            bytes.append(e.kind.code)
            int(e.timestamp - previous)
            previous = e.timestamp
            count(index[e.device] ?? 0)
            address(e.address)
        }
    }

    /// Each visit: its start (seconds), end and outcome (optional), note (optional text); the
    /// number is its place.
    mutating func visits(_ visits: [Visit]) {
        count(visits.count)
        for v in visits {
            int(Int64(v.start.seconds))
            optional(v.end.map { Int64($0.seconds) })
            optional(v.outcome.map(Int64.init))
            if let note = v.note { bytes.append(1); text(note) } else { bytes.append(0) }
        }
    }

    mutating func comments(_ comments: [InterviewComment]) {
        count(comments.count)
        for c in comments {
            bytes.append(c.kind == .note ? 0 : 1)
            address(c.address)
            if let check = c.check { bytes.append(1); text(check.rawValue) } else { bytes.append(0) }
            int(c.timestamp)
            text(c.text)
        }
    }
}

/// Reads the encoding's primitives from a byte buffer, checking every bound.
private struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    mutating func byte() throws(CleanedRecordCodingError) -> UInt8 {
        guard offset < buffer.count else { throw .truncated(at: offset) }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func uvarint() throws(CleanedRecordCodingError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, shift < 63 || b <= 1 else { throw .badNumber(at: start) }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    mutating func int64() throws(CleanedRecordCodingError) -> Int64 {
        let u = try uvarint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    mutating func int() throws(CleanedRecordCodingError) -> Int {
        let start = offset
        guard let v = Int(exactly: try int64()) else { throw .badNumber(at: start) }
        return v
    }

    /// A count of items that each take at least one byte, so it can never exceed what is left.
    mutating func count() throws(CleanedRecordCodingError) -> Int {
        let start = offset
        let n = try uvarint()
        guard n <= UInt64(buffer.count - offset) else { throw .badNumber(at: start) }
        return Int(n)
    }

    /// Text (the checksum has vouched for the bytes, which were valid UTF-8 when written; the
    /// repairing decoder is several times faster than the validating one).
    mutating func text() throws(CleanedRecordCodingError) -> String {
        let n = try count()
        let slice = UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + n])
        offset += n
        return String(decoding: slice.bindMemory(to: UInt8.self), as: UTF8.self)
    }

    mutating func ints() throws(CleanedRecordCodingError) -> [Int] {
        let n = try count()
        var values: [Int] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try int()) }
        return values
    }

    mutating func optional() throws(CleanedRecordCodingError) -> Int64? {
        let at = offset
        switch try byte() {
        case 0: return nil
        case 1: return try int64()
        case let tag: throw .badTag(tag, at: at)
        }
    }

    mutating func answer() throws(CleanedRecordCodingError) -> Answer {
        let at = offset
        switch try byte() {
        case 0: return .value(.integer(try int()))
        case 1:
            guard buffer.count - offset >= 8 else { throw .truncated(at: offset) }
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(buffer[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            return .value(.decimal(Double(bitPattern: bits)))
        case 2: return .value(.text(try text()))
        case 3: return .value(.boolean(false))
        case 4: return .value(.boolean(true))
        case 5: return .value(.date(LocalDate(year: try int(), month: try int(), day: try int())))
        case 6: return .value(.time(TimeOfDay(hour: 0, minute: try int())))
        case 7: return .value(.choice(try int()))
        case 8: return .value(.choices(try ints()))
        case 9: return .value(.datetime(LocalDateTime(seconds: try int())))
        case 10: return .special(.dontKnow)
        case 11: return .special(.refused)
        case 12: return .special(.notApplicable)
        case let tag: throw .badTag(tag, at: at)
        }
    }

    mutating func address() throws(CleanedRecordCodingError) -> Address? {
        let at = offset
        switch try byte() {
        case 0: return nil
        case 1: return Address(VariableName(try text()), rows: try ints())
        case let tag: throw .badTag(tag, at: at)
        }
    }

    mutating func paradata(startedAt: Int64) throws(CleanedRecordCodingError) -> [ParadataEvent] {
        let deviceCount = try count()
        var devices: [DeviceID] = []
        for _ in 0..<deviceCount { devices.append(DeviceID(try text())) }
        let n = try count()
        var events: [ParadataEvent] = []
        events.reserveCapacity(n)
        var time = startedAt
        for _ in 0..<n {
            let at = offset
            guard let kind = ParadataKind(code: try byte()) else { throw .badTag(buffer[at], at: at) }
            time &+= try int64()
            let deviceAt = offset
            let device = try count()
            guard device < devices.count else { throw .badNumber(at: deviceAt) }
            events.append(ParadataEvent(kind: kind, address: try address(), timestamp: time, device: devices[device]))
        }
        return events
    }

    mutating func visits() throws(CleanedRecordCodingError) -> [Visit] {
        let n = try count()
        var out: [Visit] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            let start = try int()
            let at = offset
            let end = try optional(), outcome = try optional()
            guard end.map({ Int(exactly: $0) != nil }) ?? true, outcome.map({ Int(exactly: $0) != nil }) ?? true else {
                throw .badNumber(at: at)
            }
            let noteAt = offset
            let note: String?
            switch try byte() {
            case 0: note = nil
            case 1: note = try text()
            case let tag: throw .badTag(tag, at: noteAt)
            }
            out.append(
                Visit(
                    number: i + 1, start: LocalDateTime(seconds: start), end: end.map { LocalDateTime(seconds: Int($0)) },
                    outcome: outcome.map { Int($0) }, note: note))
        }
        return out
    }

    mutating func comments() throws(CleanedRecordCodingError) -> [InterviewComment] {
        let n = try count()
        var out: [InterviewComment] = []
        for _ in 0..<n {
            let at = offset
            let kindByte = try byte()
            guard kindByte <= 1 else { throw .badTag(kindByte, at: at) }
            let address = try address()
            let checkAt = offset
            let check: CheckID?
            switch try byte() {
            case 0: check = nil
            case 1: check = CheckID(try text())
            case let tag: throw .badTag(tag, at: checkAt)
            }
            out.append(
                InterviewComment(
                    kind: kindByte == 0 ? .note : .reason, address: address, check: check, timestamp: try int64(), text: try text()))
        }
        return out
    }

    mutating func cleaned(paradata withParadata: Bool) throws(CleanedRecordCodingError) -> InterviewCleaner.Cleaned {
        guard buffer.count >= 5, Array(buffer[0..<4]) == CleanedRecordCoding.marker else { throw .notARecord }
        offset = 4
        let version = try byte()
        guard version == CleanedRecordCoding.format else { throw .unsupportedFormat(version) }
        let id = InterviewID(try text()), definition = DefinitionHash(try text()), surveyVersion = try text()
        let device = DeviceID(try text()), interviewer = try text()
        let startedAt = try optional(), endedAt = try optional(), timeSpent = try optional()
        let outcomeAt = offset
        let outcome = try optional().map { (v: Int64) throws(CleanedRecordCodingError) -> Int in
            guard let o = Int(exactly: v) else { throw .badNumber(at: outcomeAt) }
            return o
        }
        let conflictAt = offset
        let conflict = try byte()
        guard conflict <= 1 else { throw .badTag(conflict, at: conflictAt) }
        let answerCount = try count()
        var answers: [Address: Answer] = Dictionary(minimumCapacity: answerCount)
        for _ in 0..<answerCount {
            let address = Address(VariableName(try text()), rows: try ints())
            answers[address] = try answer()
        }
        let rosterCount = try count()
        var rosterRows: [RosterInstance: Int] = Dictionary(minimumCapacity: rosterCount)
        for _ in 0..<rosterCount {
            let instance = RosterInstance(GroupID(try text()), parentRows: try ints())
            rosterRows[instance] = try int()
        }
        let checkCount = try count()
        var checks = Set<ConfirmedCheck>(minimumCapacity: checkCount)
        for _ in 0..<checkCount { checks.insert(ConfirmedCheck(CheckID(try text()), rows: try ints())) }
        let skippedCount = try count()
        var skipped: [String] = []
        skipped.reserveCapacity(skippedCount)
        for _ in 0..<skippedCount { skipped.append(try text()) }
        let visits = try self.visits()
        let caseAt = offset
        let caseID: CaseID?
        switch try byte() {
        case 0: caseID = nil
        case 1: caseID = CaseID(try text())
        case let tag: throw .badTag(tag, at: caseAt)
        }
        let tail = try count()
        let tailEnd = offset + tail
        var paradata: [ParadataEvent] = []
        var comments: [InterviewComment] = []
        if withParadata {
            paradata = try self.paradata(startedAt: startedAt ?? 0)
            comments = try self.comments()
            guard offset == tailEnd else { throw .trailingBytes(tailEnd - offset) }
        }
        offset = tailEnd
        guard offset == buffer.count else { throw .trailingBytes(buffer.count - offset) }
        var record = InterviewRecord(
            id: id, definition: definition, surveyVersion: surveyVersion, device: device, interviewer: interviewer,
            startedAt: startedAt, endedAt: endedAt, timeSpent: timeSpent, outcome: outcome, hadConflict: conflict == 1,
            answers: answers,
            rosterRows: rosterRows, confirmedChecks: checks)
        (record.paradata, record.comments, record.visits, record.caseID) = (paradata, comments, visits, caseID)
        return InterviewCleaner.Cleaned(record: record, skippedEvents: skipped)
    }
}
