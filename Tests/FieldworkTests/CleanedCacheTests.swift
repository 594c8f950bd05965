import Foundation
import InterviewEngine
import PropertyBased
import SurveyExport
import SurveyModel
import Testing

@testable import Fieldwork
@testable import SurveyStore

/// The binary form of cleaned records and the central dataset's cache of them: every value
/// round-trips, damaged bytes are rejected, and a warm cache changes nothing an export or
/// report sees (new events, corrections, another cache key, read-only datasets).
struct CleanedRecordCodingTests {
    static func record(answers: [Address: Answer] = [:]) -> InterviewRecord {
        InterviewRecord(
            id: "aaaaaaaa-0000-4000-8000-000000000001", definition: "0123abcd", surveyVersion: "2026.1", device: "lap-1",
            interviewer: "Kovács Anna", startedAt: 1_790_000_000_000, endedAt: 1_790_000_900_000, outcome: 11,
            hadConflict: true, answers: answers, rosterRows: [RosterInstance("mem"): 2, RosterInstance("pet", parentRows: [2]): 0],
            confirmedChecks: [ConfirmedCheck("chk_age", rows: [1]), ConfirmedCheck("chk_total")])
    }

    static let answers: [Answer] = [
        .value(.integer(0)), .value(.integer(Int.min)), .value(.integer(Int.max)), .value(.integer(-9)),
        .value(.decimal(-1.25)), .value(.decimal(0.1)), .value(.decimal(-0.0)), .value(.decimal(.infinity)),
        .value(.decimal(Double.leastNonzeroMagnitude)), .value(.text("")), .value(.text("Cafe\u{301} zárva ☃ \"a,b\"\r\n")),
        .value(.boolean(true)), .value(.boolean(false)), .value(.date(LocalDate(year: 1900, month: 2, day: 28))),
        .value(.date(LocalDate(year: 2026, month: 11, day: 26))), .value(.time(TimeOfDay(hour: 0, minute: 0))),
        .value(.time(TimeOfDay(hour: 23, minute: 59))), .value(.choice(-8)), .value(.choice(97)), .value(.choices([])),
        .value(.choices([1, 2, 97])), .special(.dontKnow), .special(.refused), .special(.notApplicable),
    ]

    @Test("every kind of answer round-trips, at top level and in roster rows", arguments: answers)
    func everyAnswerKindRoundTrips(answer: Answer) throws {
        let original = InterviewCleaner.Cleaned(
            record: Self.record(answers: [Address("q"): answer, Address("m_age", rows: [3, 12]): answer]))
        let decoded = try CleanedRecordCoding.decode(CleanedRecordCoding.encode(original))
        #expect(sameRecord(decoded.record, original.record))
        if case .value(.decimal(let d)) = answer, case .value(.decimal(let back))? = decoded.record.answers[Address("q")] {
            #expect(back.bitPattern == d.bitPattern)
        }
    }

    @Test func everyFieldRoundTripsIncludingAbsentOnesAndSkippedEvents() throws {
        var bare = Self.record()
        bare.startedAt = nil
        bare.endedAt = nil
        bare.outcome = nil
        bare.hadConflict = false
        bare.rosterRows = [:]
        bare.confirmedChecks = []
        for cleaned in [
            InterviewCleaner.Cleaned(
                record: Self.record(answers: [Address("q"): .value(.integer(1))]), skippedEvents: ["lap-2#7: gone", ""]),
            InterviewCleaner.Cleaned(record: bare),
        ] {
            let decoded = try CleanedRecordCoding.decode(CleanedRecordCoding.encode(cleaned))
            #expect(sameRecord(decoded.record, cleaned.record))
            #expect(decoded.skippedEvents == cleaned.skippedEvents)
        }
    }

    /// A generated record: sizes shrink towards the smallest failing record; the seed picks the contents.
    struct Shape: Sendable, CustomStringConvertible {
        var answers: Int
        var rosters: Int
        var checks: Int
        var skipped: Int
        var seed: UInt64
        var description: String { "\(answers) answers, \(rosters) rosters, \(checks) checks, \(skipped) skipped, seed \(seed)" }
    }

    static let shapes = zip(Gen.int(in: 0...80), Gen.int(in: 0...6), Gen.int(in: 0...5), Gen.int(in: 0...3), Gen.uint64(in: 0...UInt64.max))
        .map { Shape(answers: $0, rosters: $1, checks: $2, skipped: $3, seed: $4) }

    static func generated(_ shape: Shape) -> InterviewCleaner.Cleaned {
        var rng = SplitMix64(seed: shape.seed)
        func int() -> Int { Int(truncatingIfNeeded: rng.next()) >> Int(rng.next() % 64) }
        func text() -> String {
            let pool = Array("aZ0 ,;\"\n\u{301}éőű☃𝄞")
            return String((0..<Int(rng.next() % 12)).map { _ in pool[Int(rng.next() % UInt64(pool.count))] })
        }
        func rows() -> [Int] { (0..<Int(rng.next() % 3)).map { _ in Int(rng.next() % 20) + 1 } }
        func answer() -> Answer {
            switch rng.next() % 11 {
            case 0: .value(.integer(int()))
            case 1: .value(.decimal({ $0.isNaN ? 0.5 : $0 }(Double(bitPattern: rng.next()))))
            case 2: .value(.text(text()))
            case 3: .value(.boolean(rng.next() % 2 == 0))
            case 4: .value(.date(LocalDate(daysSinceEpoch: Int(rng.next() % 100_000) - 50_000)))
            case 5: .value(.time(TimeOfDay(hour: Int(rng.next() % 24), minute: Int(rng.next() % 60))))
            case 6: .value(.choice(int()))
            case 7: .value(Value.choices(normalizing: (0..<Int(rng.next() % 5)).map { _ in int() }))
            default: .special(SpecialAnswer.allCases[Int(rng.next() % 3)])
            }
        }
        var answers: [Address: Answer] = [:]
        for n in 0..<shape.answers { answers[Address(VariableName("v\(n)_\(text())"), rows: rows())] = answer() }
        var record = record(answers: answers)
        record.interviewer = text()
        record.outcome = rng.next() % 2 == 0 ? nil : int()
        record.startedAt = rng.next() % 2 == 0 ? nil : Int64(truncatingIfNeeded: rng.next())
        record.timeSpent = rng.next() % 2 == 0 ? nil : Int64(truncatingIfNeeded: rng.next())
        record.rosterRows = Dictionary((0..<shape.rosters).map { (RosterInstance(GroupID("r\($0)"), parentRows: rows()), int()) }) { a, _ in
            a
        }
        record.confirmedChecks = Set((0..<shape.checks).map { ConfirmedCheck(CheckID("c\($0)"), rows: rows()) })
        return InterviewCleaner.Cleaned(record: record, skippedEvents: (0..<shape.skipped).map { _ in text() })
    }

    @Test("generated records round-trip and equal records have equal bytes")
    func generatedRecordsRoundTrip() async {
        await propertyCheck(count: 200, input: Self.shapes) { shape in
            let cleaned = Self.generated(shape)
            let bytes = CleanedRecordCoding.encode(cleaned)
            do {
                let decoded = try CleanedRecordCoding.decode(bytes)
                #expect(sameRecord(decoded.record, cleaned.record))
                #expect(decoded.skippedEvents == cleaned.skippedEvents)
                #expect(CleanedRecordCoding.encode(decoded) == bytes)
            } catch {
                Issue.record("\(shape): \(error)")
            }
        }
    }

    @Test("the answers sorted by the names' ranks give the same bytes as sorted by the names")
    func rankedSortGivesTheSameBytes() async {
        await propertyCheck(count: 200, input: Self.shapes) { shape in
            var cleaned = Self.generated(shape)
            // Several rows of one name too (roster variables), and names whose order as texts
            // is not their order as bytes of another normalisation.
            var rng = SplitMix64(seed: shape.seed)
            for n in 0..<shape.answers {
                let name = VariableName(["m_age", "m_rel", "e\u{301}", "\u{e9}", "Z", "a"][n % 6])
                let rows = (0..<Int(rng.next() % 3)).map { _ in Int(rng.next() % 12) + 1 }
                cleaned.record.answers[Address(name, rows: rows)] = .value(.integer(n))
            }
            let names = Set(cleaned.record.answers.keys.map(\.variable)).sorted()
            let ranks = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
            let bytes = CleanedRecordCoding.encode(cleaned)
            #expect(CleanedRecordCoding.encode(cleaned, nameRanks: ranks) == bytes, "\(shape)")
            if let missing = names.first {  // a name without a rank: sorted by the names instead
                #expect(CleanedRecordCoding.encode(cleaned, nameRanks: ranks.filter { $0.key != missing }) == bytes, "\(shape)")
            }
        }
    }

    @Test("the cleaner's name ranks give the bytes of sorting by names, on simulated interviews of the three studies")
    func cleanerRanksGiveTheSameBytes() throws {
        for file in ["wellbeing", "energy", "stakeholders"] {
            var fixture = try CentralFixture(try CentralFixture.questionnaire(file))
            _ = try fixture.simulate(12, seed: 5)
            let cleaner = InterviewCleaner(definition: fixture.compiled.definition, hash: fixture.compiled.hash)
            for interview in try fixture.central.interviews() {
                let cleaned = try cleaner.clean(interview, events: try fixture.central.events(interview: interview.id))
                #expect(!cleaned.record.answers.isEmpty)
                #expect(
                    CleanedRecordCoding.encode(cleaned, nameRanks: cleaner.nameRanks) == CleanedRecordCoding.encode(cleaned),
                    "\(file) \(interview.id)")
            }
        }
    }

    @Test("every truncation and every single damaged byte is rejected with an error, never a crash")
    func damagedBytesAreRejected() throws {
        let bytes = CleanedRecordCoding.encode(Self.generated(Shape(answers: 12, rosters: 2, checks: 2, skipped: 1, seed: 9)))
        for length in 0..<bytes.count {
            #expect(throws: CleanedRecordCodingError.self) { try CleanedRecordCoding.decode(bytes.prefix(length)) }
        }
        for i in bytes.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = bytes
                damaged[i] ^= flip
                #expect(throws: CleanedRecordCodingError.self) { try CleanedRecordCoding.decode(damaged) }
            }
        }
        #expect(throws: CleanedRecordCodingError.notARecord) { try CleanedRecordCoding.decode(Data("not a record at all".utf8)) }
    }

    @Test("bytes with a valid checksum but a bad structure are rejected by the parser")
    func badStructureIsRejected() throws {
        func sealed(_ body: [UInt8]) -> Data {
            let checksum = CleanedRecordCoding.fnv1a(body)
            return Data(body + withUnsafeBytes(of: checksum.littleEndian) { Array($0) })
        }
        let good = CleanedRecordCoding.encode(InterviewCleaner.Cleaned(record: Self.record()))
        let body = Array(good.dropLast(8))
        #expect(throws: CleanedRecordCodingError.unsupportedFormat(9)) {
            try CleanedRecordCoding.decode(sealed(Array(body[0..<4]) + [9] + body[5...]))
        }
        #expect(throws: CleanedRecordCodingError.trailingBytes(1)) { try CleanedRecordCoding.decode(sealed(body + [0])) }
        #expect(throws: CleanedRecordCodingError.self) { try CleanedRecordCoding.decode(sealed(Array(body.dropLast()))) }
        #expect(throws: CleanedRecordCodingError.self) { try CleanedRecordCoding.decode(sealed(Array(body[0..<5]) + [0xFF, 0xFF, 0xFF])) }
    }

    @Test func theCacheKeyNamesTheTimeZoneAndTheCleanerVersion() throws {
        let budapest = try #require(TimeZone(identifier: "Europe/Budapest"))
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(CleanedRecordCoding.cacheKey(timeZone: budapest) != CleanedRecordCoding.cacheKey(timeZone: utc))
        #expect(CleanedRecordCoding.cacheKey(timeZone: utc).contains("cleaner \(CleanedRecordCoding.cleanerVersion)"))
    }
}

/// Whether two records hold the same fields (InterviewRecord is not Equatable).
func sameRecord(_ a: InterviewRecord, _ b: InterviewRecord) -> Bool {
    a.id == b.id && a.definition == b.definition && a.surveyVersion == b.surveyVersion && a.device == b.device
        && a.interviewer == b.interviewer && a.startedAt == b.startedAt && a.endedAt == b.endedAt
        && a.timeSpent == b.timeSpent && a.outcome == b.outcome
        && a.hadConflict == b.hadConflict && a.answers == b.answers && a.rosterRows == b.rosterRows
        && a.confirmedChecks == b.confirmedChecks
}

/// `CleanedDataset` with the central dataset's cache of cleaned records.
struct CleanedCacheTests {
    typealias Records = [InterviewID: InterviewRecord]

    static func pass(_ dataset: CleanedDataset) throws -> (Records, CleaningSummary) {
        var out: Records = [:]
        let summary = try dataset.forEach { out[$0.id] = $0 }
        return (out, summary)
    }

    static func same(_ a: Records, _ b: Records) -> Bool {
        a.count == b.count && a.allSatisfy { id, record in b[id].map { sameRecord(record, $0) } == true }
    }

    /// Makes every write to the cache fail on this connection (as a full disk or a lock would).
    static func refuseCacheWrites(_ central: any CentralDataset) throws {
        let central = try #require(central as? CentralStore, "an SQLite fixture")
        try central.queue.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    CREATE TEMP TRIGGER refuse_cache BEFORE INSERT ON main.cleaned_record
                    BEGIN SELECT RAISE(ABORT, 'cache writes refused by the test'); END
                    """)
        }
    }

    @Test func aWarmCacheGivesTheSameRecordsWithoutReplaying() throws {
        let f = try CleanedDatasetTests.fixture()
        let (reference, _) = try Self.pass(try CleanedDataset(central: f.central, survey: "t", statuses: .all, cacheUse: .off))
        let (cold, coldSummary) = try Self.pass(try CleanedDataset(central: f.central, survey: "t", statuses: .all))
        #expect(coldSummary.cache.replayed == 4 && coldSummary.cache.stored == 4 && coldSummary.cache.hits == 0)
        #expect(try f.central.cleanedRecordCount() == 4)
        let (warm, warmSummary) = try Self.pass(try CleanedDataset(central: f.central, survey: "t", statuses: .all))
        #expect(
            warmSummary.cache
                == {
                    var s = CleanedCacheStatistics(); s.hits = 4; return s
                }())
        #expect(Self.same(cold, reference) && Self.same(warm, reference))
        #expect(warmSummary.conflicts == coldSummary.conflicts && warmSummary.skippedEvents == coldSummary.skippedEvents)
    }

    @Test func newEventsMergedIntoACachedInterviewAreCleanedAgain() throws {
        var f = try CleanedDatasetTests.fixture()
        _ = try Self.pass(try CleanedDataset(central: f.central, survey: "t"))
        try f.merge(
            "lap-2", CleanedDatasetTests.a,
            [
                .reopened(), .answered(Address("m_age", rows: [1]), .value(.integer(41))), .ended(outcome: 11),
            ], interviewer: "Béla")
        let (records, summary) = try Self.pass(try CleanedDataset(central: f.central, survey: "t"))
        #expect(summary.cache.hits == 1 && summary.cache.replayed == 1, "only A changed")
        let a = try #require(records[CleanedDatasetTests.a])
        #expect(a.answers[Address("m_age", rows: [1])] == .value(.integer(41)))
        #expect(a.hadConflict)
        let (fresh, _) = try Self.pass(try CleanedDataset(central: f.central, survey: "t", cacheUse: .off))
        #expect(Self.same(records, fresh))
    }

    @Test func refreshingAfterAMergeReplaysOnlyChangedInterviewsAndLeavesEveryPassWarm() throws {
        var f = try CleanedDatasetTests.fixture()
        let first = try CleanedDataset(central: f.central, survey: "t", statuses: .all).refreshCache()
        #expect(first.replayed == 4 && first.stored == 4 && first.hits == 0)
        let again = try CleanedDataset(central: f.central, survey: "t").refreshCache()
        #expect(again.replayed == 0 && again.stored == 0 && again.hits == 4, "nothing changed: nothing replayed")
        try f.merge(
            "lap-2", CleanedDatasetTests.a,
            [
                .reopened(), .answered(Address("m_age", rows: [1]), .value(.integer(41))), .ended(outcome: 11),
            ], interviewer: "Béla")
        let refreshed = CleanedDataset.refreshCaches(central: f.central)
        #expect(refreshed.map(\.survey) == ["t"])
        let statistics = try refreshed[0].result.get()
        #expect(statistics.replayed == 1 && statistics.stored == 1 && statistics.hits == 3, "only A changed")
        let (records, summary) = try Self.pass(try CleanedDataset(central: f.central, survey: "t", statuses: .all))
        #expect(summary.cache.hits == 4 && summary.cache.replayed == 0)
        let (fresh, _) = try Self.pass(try CleanedDataset(central: f.central, survey: "t", statuses: .all, cacheUse: .off))
        #expect(Self.same(records, fresh))
    }

    @Test(arguments: [
        "damaged", "garbage", "another definition", "another interview",
    ])
    func aBadCachedRecordIsReplayedAndReplaced(damage: String) throws {
        let f = try CleanedDatasetTests.fixture()
        let (reference, _) = try Self.pass(try CleanedDataset(central: f.central, survey: "t"))
        let id = CleanedDatasetTests.c
        var row = try #require(try f.central.cachedCleanedRecords(from: id, through: id)[id])
        switch damage {
        case "damaged": row.data[row.data.count / 2] ^= 0x20
        case "garbage": row.data = Data("garbage".utf8)
        case "another definition": row.definition = "ffff"
        default:
            let other = try #require(
                try f.central.cachedCleanedRecords(from: CleanedDatasetTests.a, through: CleanedDatasetTests.a).values.first)
            row.data = other.data
        }
        try f.central.storeCleanedRecords([row])
        let (records, summary) = try Self.pass(try CleanedDataset(central: f.central, survey: "t"))
        #expect(summary.cache.hits == 1 && summary.cache.replayed == 1 && summary.cache.stored == 1)
        #expect(Self.same(records, reference))
        #expect(try Self.pass(try CleanedDataset(central: f.central, survey: "t")).1.cache.hits == 2, "the bad record was replaced")
    }

    @Test func correctionsApplyOnEveryPassAndNeverEnterTheCache() throws {
        let f = try CleanedDatasetTests.fixture()
        _ = try Self.pass(try CleanedDataset(central: f.central, survey: "t"))
        let text = "set \(CleanedDatasetTests.c) m_age[1] = 45 : age confirmed by call-back\n"
        for _ in 0..<2 {
            let (records, summary) = try Self.pass(
                try CleanedDataset(central: f.central, survey: "t", correctionsText: text, correctionsFile: "t.corrections"))
            #expect(summary.cache.hits == 2)
            #expect(records[CleanedDatasetTests.c]?.answers[Address("m_age", rows: [1])] == .value(.integer(45)))
            #expect(summary.applied.map(\.previous) == [.value(.integer(31))])
        }
        let (plain, summary) = try Self.pass(try CleanedDataset(central: f.central, survey: "t"))
        #expect(summary.cache.hits == 2)
        #expect(plain[CleanedDatasetTests.c]?.answers[Address("m_age", rows: [1])] == .value(.integer(31)))
    }

    @Test func anotherCacheKeyInvalidatesEveryRecord() throws {
        let f = try CleanedDatasetTests.fixture()
        _ = try Self.pass(try CleanedDataset(central: f.central, survey: "t", cacheKey: "cleaner 1; tz Europe/Budapest"))
        let (_, other) = try Self.pass(try CleanedDataset(central: f.central, survey: "t", cacheKey: "cleaner 2; tz Europe/Budapest"))
        #expect(other.cache.hits == 0 && other.cache.replayed == 2 && other.cache.stored == 2)
        let (_, again) = try Self.pass(try CleanedDataset(central: f.central, survey: "t", cacheKey: "cleaner 2; tz Europe/Budapest"))
        #expect(again.cache.hits == 2)
    }

    @Test func readOnlyUseStoresNothingAndAFailingWriteNeverFailsThePass() throws {
        let f = try CleanedDatasetTests.fixture()
        let (reference, _) = try Self.pass(try CleanedDataset(central: f.central, survey: "t", cacheUse: .off))
        let (_, readOnly) = try Self.pass(try CleanedDataset(central: f.central, survey: "t", cacheUse: .readOnly))
        #expect(readOnly.cache.stored == 0 && readOnly.cache.problem == nil)
        #expect(try f.central.cleanedRecordCount() == 0)
        try Self.refuseCacheWrites(f.central)
        let (records, summary) = try Self.pass(try CleanedDataset(central: f.central, survey: "t"))
        #expect(Self.same(records, reference))
        #expect(summary.cache.stored == 0)
        #expect(summary.cache.problem?.contains("cannot store cleaned records") == true, "\(summary.cache)")
    }
}

/// `terep export` through the cache on a file-backed central dataset of simulated interviews.
struct CachedExportTests {
    /// Copies a fixture's central dataset into a file through the merge path.
    static func fileCentral(_ f: CentralFixture, at path: String) throws -> CentralStore {
        let central = try CentralStore.initialize(path: path)
        for device in try f.central.devices() {
            _ = try central.registerDevice(device.id, publicKey: device.publicKey, method: .explicit, at: 1)
            let events = try f.central.events(device: device.id)
            guard let first = events.first, let last = events.last else { continue }
            let receipt = BundleReceipt(
                hash: "copy-\(device.id)", fileName: "copy.terepbundle", device: device.id, firstSequence: first.sequence,
                lastSequence: last.sequence, receivedAt: 1)
            _ = try central.apply(events: events, definitions: [try DefinitionFile(f.compiled)], bundle: receipt)
        }
        return central
    }

    /// The bytes of an exported file without the time of the export: the log's first line, the
    /// creation date and time in a `.sav` header, the `<timestamp>` of a `.dta` header.
    static func timeless(_ file: URL, log: Bool) throws -> Data {
        var bytes = try Data(contentsOf: file)
        if log, let newline = bytes.firstIndex(of: 0x0A) { bytes = Data(bytes[(newline + 1)...]) }
        if file.pathExtension == "sav", bytes.count > 109 { bytes.replaceSubrange(92..<109, with: Data(count: 17)) }
        if file.pathExtension == "dta", let open = bytes.range(of: Data("<timestamp>".utf8)),
            let close = bytes.range(of: Data("</timestamp>".utf8))
        {
            bytes.replaceSubrange(open.upperBound..<close.lowerBound, with: Data())
        }
        return bytes
    }

    /// Every exported file's bytes by name, without the time of the export.
    static func export(_ central: CentralStore, survey: SurveyID, into dir: URL) throws -> ([String: Data], CleaningSummary) {
        let report = try SurveyExportRun.run(
            try CleanedDataset(central: central, survey: survey, statuses: .all),
            ExportRequest(
                formats: [.csv, .sav, .dta, .jsonl], codebook: true,
                pii: .drop(identifiers: try Pseudonymiser(key: Data(repeating: 7, count: 32))), directory: dir))
        var files: [String: Data] = [:]
        for file in report.files { files[file.lastPathComponent] = try timeless(file, log: file == report.log) }
        return (files, report.summary)
    }

    @Test(arguments: ["wellbeing", "energy"])
    func exportsWithAColdAWarmAndNoWritableCacheAreByteIdentical(survey: String) throws {
        var f = try CentralFixture(try CentralFixture.questionnaire(survey))
        _ = try f.simulate(12, seed: 11)
        let dir = try CentralFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("central.sqlite").path
        let id = SurveyID(survey)
        let (cold, coldSummary) = try Self.export(try Self.fileCentral(f, at: path), survey: id, into: dir.appendingPathComponent("cold"))
        #expect(coldSummary.cache.stored == 12 && coldSummary.cache.hits == 0)

        let (warm, warmSummary) = try Self.export(
            try CentralStore.openForReading(path: path), survey: id, into: dir.appendingPathComponent("warm"))
        #expect(warmSummary.cache.hits == 12 && warmSummary.cache.replayed == 0)

        let readOnly = try CentralStore.open(path: path, readOnly: true)
        let (viaReadOnly, readOnlySummary) = try Self.export(readOnly, survey: id, into: dir.appendingPathComponent("ro"))
        #expect(readOnlySummary.cache.hits == 12 && readOnlySummary.cache.stored == 0)

        let uncached = try CentralStore.open(path: path)
        try uncached.clearCleanedRecords()
        try CleanedCacheTests.refuseCacheWrites(uncached)
        let (none, noneSummary) = try Self.export(uncached, survey: id, into: dir.appendingPathComponent("none"))
        #expect(noneSummary.cache.hits == 0 && noneSummary.cache.stored == 0 && noneSummary.cache.problem != nil)

        #expect(cold.count >= 6)
        for (name, bytes) in cold {
            #expect(warm[name] == bytes, "\(name): warm differs")
            #expect(viaReadOnly[name] == bytes, "\(name): read-only differs")
            #expect(none[name] == bytes, "\(name): uncached differs")
        }
    }

    @Test func aMergeDuringThePassIsNeverCachedUnderTheOldEventCount() throws {
        let f = try CleanedDatasetTests.fixture()
        let dir = try CentralFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("central.sqlite").path
        let exporting = try Self.fileCentral(f, at: path)
        let merging = try CentralStore.open(path: path)
        let c = CleanedDatasetTests.c
        let next = (try merging.events(device: "lap-2").last?.sequence ?? 0) + 1
        let late = [
            InterviewEvent(
                device: "lap-2", sequence: next, interview: c, timestamp: 1_790_000_000_000, interviewer: "Béla", kind: .reopened()),
            InterviewEvent(
                device: "lap-2", sequence: next + 1, interview: c, timestamp: 1_790_000_001_000, interviewer: "Béla",
                kind: .answered(Address("m_age", rows: [1]), .value(.integer(52)))),
        ]
        var merged = false
        let summary = try CleanedDataset(central: exporting, survey: "t").forEach { _ in
            guard !merged else { return }
            merged = true
            do {
                let receipt = BundleReceipt(
                    hash: "late", fileName: "late.terepbundle", device: "lap-2", firstSequence: next, lastSequence: next + 1, receivedAt: 2)
                _ = try merging.apply(events: late, definitions: [try DefinitionFile(f.compiled)], bundle: receipt)
            } catch {
                Issue.record("the merge beside the export failed: \(error)")
            }
        }
        #expect(summary.cache.replayed == 2 && summary.cache.stored == 1, "C changed during the pass: not cached")
        let (records, after) = try CleanedCacheTests.pass(try CleanedDataset(central: exporting, survey: "t", statuses: .all))
        #expect(after.cache.hits == 1 && after.cache.replayed == 3)
        #expect(records[c]?.answers[Address("m_age", rows: [1])] == .value(.integer(52)))
    }

    @Test func aReadOnlyFileIsOpenedReadOnlyAndNeverMadeWritable() throws {
        let dir = try CentralFixture.temporaryDirectory()
        defer {
            chmod(dir.path, 0o700)
            try? FileManager.default.removeItem(at: dir)
        }
        let path = dir.appendingPathComponent("central.sqlite").path
        _ = try CentralStore.initialize(path: path)
        #expect(try CentralStore.openForReading(path: path).isReadOnly == false)
        chmod(path, 0o400)
        let store = try CentralStore.openForReading(path: path)
        #expect(store.isReadOnly)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o400)
    }
}
