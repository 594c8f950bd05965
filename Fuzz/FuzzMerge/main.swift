// Fuzz target for the merge: built only by scripts/fuzz-merge.sh (-DFUZZING); a plain build
// prints a hint. The input (after its first byte) is event lines; each line EventJSON reads is
// kept, made the fixed device's (and a `started` event the probe questionnaire's), and the
// events, in the input's order, become a bundle correctly signed by that registered device
// (the first byte's low bit: encrypted when the writer accepts the events). The bundle is
// merged by `BundleMerger` into the process's one in-memory central dataset (a page-for-page
// copy of a template migrated once, with the device registered), then merged again, then
// the same events without the first are merged under a new bundle id. Besides "never
// crash", it traps when a merge's outcome and the dataset disagree:
//   - a refused bundle leaves no event; a merged one leaves exactly its events, and the
//     dataset passes its integrity check;
//   - merging the same file again changes nothing ("already merged", or refused again);
//   - after a merge, the same events under a new id are all duplicates, nothing new.
// Every input starts from the same state: its merges run inside a transaction rolled back
// afterwards (`CentralStore.rollingBack`; each merge a savepoint of it), which must leave no
// event (checked after every input) and the template's every row (checked on the first input
// and every 1,024th); the cache of verified questionnaires keeps only the probe's, verified
// before the first input. So a crash file replays exactly as it ran.
// `FuzzMerge --write-seeds DIR` writes seeds: valid interviews of the probe questionnaire.
import Fieldwork
import Foundation
import FuzzSupport
import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import SurveyStore
import SurveySync

enum Harness {
    static let device: DeviceID = "dev-a"
    static let deviceKey = try? DeviceSigningKey(rawRepresentation: Data(repeating: 7, count: 32))
    static let coordinator = try? CoordinatorPrivateKey(rawRepresentation: Data(repeating: 9, count: 32))
    static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = base + "/terep-fuzz-merge-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A questionnaire with every kind of limit the merge checks answers against.
    static let source = """
        survey probe {
          title hu "Próba"
          version "2026.1"
          languages hu
          outcome outcome complete 11
          specials dk rf
        }
        answers DIST {
          1 hu "Egy"
          2 hu "Kettő"
        }
        answers HEAT {
          1 hu "Gáz"
          2 hu "Fa"
          97 hu "Nincs" exclusive
        }
        answers OUT {
          11 hu "Kész"
          21 hu "Elutasítás"
        }
        section main {
          title hu "Fő"
          question phone text { maxlength 12 text hu "Telefon" }
          question district single DIST { text hu "Városrész" }
          question age integer 0..120 { text hu "Kor" }
          question heat multiple HEAT { max 2 text hu "Fűtés" }
          question area decimal 10.0..500.0 { text hu "Alapterület" }
          question visit date @2026-01-01..@2026-12-31 { text hu "Látogatás" }
          calculate older = age > 60
          roster mem max 4 {
            title hu "Tagok"
            question m_age integer 0..110 { text hu "Kor" }
          }
          question outcome single OUT { interviewer optional nodk text hu "Eredmény" }
        }
        """

    /// The central dataset every input starts from: migrated once, the device registered.
    static let template: CentralStore = {
        guard let central = try? CentralStore.inMemory(), let key = deviceKey,
            (try? central.registerDevice(device, publicKey: key.publicKey.rawRepresentation, method: .explicit)) != nil
        else { fatalError("the template dataset could not be made") }
        return central
    }()

    /// The process's one dataset, a copy of the template: each input's merges are rolled back.
    static let central: CentralStore = {
        guard let central = try? template.inMemoryCopy(allowingRollback: true) else {
            fatalError("the template dataset could not be copied")
        }
        return central
    }()

    /// The template's every row: what the dataset must hold again after an input is rolled back.
    static let templateRows: [String] = {
        guard let rows = try? template.everyRow() else { fatalError("the template dataset could not be read") }
        return rows
    }()

    /// Inputs run so far (the full check of the reset is made on the first and every 1,024th).
    nonisolated(unsafe) static var inputs = 0

    /// The probe questionnaire's file, verified once (`VerifiedDefinitions` keeps it) before any
    /// input, so that every input finds the cache the same.
    static let survey: (hash: DefinitionHash, bytes: Data) = {
        let result = SurveyCompiler.compile(SourceFile(path: "probe.survey", text: source), loader: InMemoryLoader([:]))
        guard let definition = result.compiled?.definition, let file = try? DefinitionFiles.file(for: definition),
            (try? BundlePayload.verifiedDefinition(file.bytes, declared: file.hash)) != nil
        else { fatalError("the probe questionnaire does not compile") }
        return file
    }()

    static func run(_ input: UnsafeRawBufferPointer) {
        // What an earlier input could have left: only the probe's verified file is kept.
        VerifiedDefinitions.shared.removeAll(keeping: [survey.hash])
        Allocations.begin()
        guard let mode = input.first else { return }
        var events: [InterviewEvent] = []
        // Each line read in place (splitting a Data copied every line twice).
        var start = 1, lines = 0
        while start < input.count, lines < 2_000 {
            let end = ByteScan.newline(in: input, from: start) ?? input.count
            defer { start = end + 1 }
            guard end > start else { continue }
            lines += 1
            let line = UnsafeRawBufferPointer(rebasing: input[start..<end])
            // What EventJSON reads: the fast reader, else JSONDecoder — not asked about a line that
            // breaks JSON's grammar, which no reader takes (a twentieth of an execution was
            // JSONDecoder failing on such lines).
            let read = EventJSON.fastDecodeEvent(line) ?? (MiniJSON.isMalformed(line) ? nil : try? EventJSON.decodeEvent(line))
            guard var event = read else { continue }
            event.device = device
            if case .started(_, let seed, let language, let preload) = event.kind {
                event.kind = .started(definition: survey.hash, seed: seed, language: language, preload: preload)
            }
            events.append(event)
        }
        Allocations.end(.decode)
        guard !events.isEmpty, let first = bundle(events, encrypted: mode & 1 == 1, survey: survey) else { return }
        Allocations.end(.bundle)
        do { try central.rollingBack { merge(first, events) } } catch {
            fatalError("the input's merges could not be rolled back: \(error)")
        }
        checkReset()
        Allocations.end(.rollback)
    }

    /// After an input: the dataset holds no event (every input), and exactly the template's
    /// rows (the first input and every 1,024th: reading every table costs as much as an input).
    static func checkReset() {
        if (try? central.eventCount()) != 0 { fatalError("events are left after an input was rolled back") }
        defer { inputs += 1 }
        guard inputs % 1024 == 0 else { return }
        guard let rows = try? central.everyRow(), rows == templateRows else {
            fatalError("the dataset differs from the template after an input was rolled back")
        }
    }

    /// The three merges of one input's events (`first`: their bundle) and the checks after each.
    static func merge(_ first: Data, _ events: [InterviewEvent]) {
        var merger = BundleMerger(central: central, coordinatorKey: coordinator, trustNewDevices: false)
        let path = folder + "/fuzz.terepbundle"
        guard (try? first.write(to: URL(fileURLWithPath: path))) != nil else { return }
        Allocations.end(.bundle)
        let outcome = merger.merge(path)
        Allocations.end(.merge)
        let stored = (try? central.eventCount()) ?? -1
        switch outcome.status {
        case .rejected:
            if stored != 0 { fatalError("a refused bundle left \(stored) events: \(outcome.reason ?? "")") }
        case .merged:
            if stored != events.count || outcome.newEvents != events.count {
                fatalError("a merged bundle of \(events.count) events left \(stored) (\(outcome.newEvents) new)")
            }
            if let problems = try? central.integrityCheck(), !problems.isEmpty { fatalError("integrity: \(problems)") }
        case .alreadyMerged:
            fatalError("a fresh dataset had the bundle already")
        case .notStored:
            // An in-memory dataset does not fail: a bundle's fault taken for the store's.
            fatalError("a bundle's fault was taken for a store failure: \(outcome.reason ?? "")")
        }
        Allocations.end(.checks)
        let again = merger.merge(path)
        if again.status != (outcome.status == .merged ? .alreadyMerged : .rejected) || (try? central.eventCount()) != stored {
            fatalError("merging the same file again gave \(again.status) after \(outcome.status)")
        }
        Allocations.end(.again)
        // What merged was ascending (the reader insists; the writer sorts): the same order without its first event.
        let merged = events.sorted { $0.sequence < $1.sequence }
        guard outcome.status == .merged, events.count > 1, let rest = bundle(Array(merged.dropFirst()), encrypted: false, survey: survey),
            (try? rest.write(to: URL(fileURLWithPath: path))) != nil
        else { return }
        Allocations.end(.bundle)
        let duplicates = merger.merge(path)
        if duplicates.status != .merged || duplicates.newEvents != 0 || duplicates.duplicateEvents != events.count - 1 {
            fatalError("the same events under a new id: \(duplicates.status), \(duplicates.newEvents) new, \(duplicates.reason ?? "")")
        }
        Allocations.end(.newID)
    }

    /// The events as a signed bundle: written by `BundleWriter` when encrypting (if it takes
    /// them), else forged around them as they are, with a manifest that describes them.
    static func bundle(_ events: [InterviewEvent], encrypted: Bool, survey: (hash: DefinitionHash, bytes: Data)) -> Data? {
        guard let key = deviceKey else { return nil }
        let contents = BundleContents(
            events: events, definitionFiles: [survey.hash: survey.bytes],
            interviewDefinitions: Dictionary(events.map { ($0.interview, survey.hash) }, uniquingKeysWith: { a, _ in a }))
        if encrypted, let coordinator,
            let written = try? BundleWriter.encode(
                contents, device: device, signingKey: key, recipient: coordinator.publicKey, createdAtMillis: 1_764_000_000_000)
        {
            return written.data
        }
        guard let plain = try? BundlePayload.encode(contents), let compressed = Zlib.deflate(plain) else { return nil }
        let manifest = BundleManifest(
            device: device, signerKey: key.publicKey.text,
            sequenceRange: .init(first: events[0].sequence, last: events[events.count - 1].sequence), eventCount: events.count,
            interviewCount: contents.interviewDefinitions.count, definitions: [survey.hash], createdAtMillis: 1_764_000_000_000,
            encryption: nil,
            payload: .init(
                compression: "zlib", sha256: BundleFormat.sha256Hex(compressed), storedSize: compressed.count,
                compressedSize: compressed.count, uncompressedSize: plain.count))
        // The header's version given (the manifest's own), rather than read back from the manifest's JSON.
        return try? BundleWriter.assemble(
            manifestBytes: manifest.canonicalBytes, storedPayload: compressed, signingKey: key, version: manifest.format)
    }

    /// Seeds: two interviews answering every question (one ended, one with a roster), and one
    /// of the same encrypted.
    static func writeSeeds(to dir: String) throws {
        func event(_ sequence: Int64, _ interview: InterviewID, _ kind: InterviewEventKind) -> InterviewEvent {
            InterviewEvent(
                device: device, sequence: sequence, interview: interview, timestamp: 1_780_000_000_000 + sequence * 1000,
                interviewer: "Kiss Anna", kind: kind)
        }
        let kinds: [InterviewEventKind] = [
            .started(definition: survey.hash, seed: 7, language: "hu", preload: ["cluster": .integer(7)]),
            .shown(Address("phone")), .answered(Address("phone"), .value(.text("+3646123456"))),
            .answered(Address("district"), .value(.choice(2))), .answered(Address("age"), .value(.integer(61))),
            .answered(Address("heat"), .value(.choices([1, 2]))), .answered(Address("area"), .value(.decimal(72.5))),
            .answered(Address("visit"), .value(.date(LocalDate(year: 2026, month: 3, day: 9)))),
            .rowAdded("mem", parentRows: []), .answered(Address("m_age", rows: [1]), .value(.integer(40))),
            .answered(Address("age"), .special(.dontKnow)), .note(Address("age"), "nem tudja"), .cleared(Address("area")),
            .answered(Address("outcome"), .value(.choice(11))), .ended(outcome: 11), .trainingMarked(false),
        ]
        var lines: [Data] = []
        var sequence: Int64 = 1
        for interview in ["iv-1", "iv-2"] as [InterviewID] {
            for kind in kinds {
                lines.append(Data(try EventJSON.encode(event(sequence, interview, kind))))
                sequence += 1
            }
        }
        let text = lines.reduce(Data()) { $0 + $1 + Data([0x0A]) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try (Data([0]) + text).write(to: URL(fileURLWithPath: dir + "/seed-plain"))
        try (Data([1]) + text).write(to: URL(fileURLWithPath: dir + "/seed-encrypted"))
        try (Data([0]) + lines[0] + Data([0x0A]) + lines[1]).write(to: URL(fileURLWithPath: dir + "/seed-short"))
    }
}

/// AddressSanitizer's defaults for this target (ASAN_OPTIONS still overrides them): no
/// allocation or free records its stack. An input allocates ~2,750 times, and walking and
/// storing each stack was a sixth of an execution. Every access is checked the same; only a
/// report of a use after free or a double free lacks where the memory was allocated and freed,
/// which a replay of the crash file (every input runs the same from the same state) with
/// `ASAN_OPTIONS=malloc_context_size=30` shows.
@_cdecl("__asan_default_options")
public func asanDefaultOptions() -> UnsafePointer<CChar> {
    UnsafeRawPointer(("malloc_context_size=0" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
}

FuzzEntry.main(
    "FuzzMerge", script: "scripts/fuzz-merge.sh",
    run: { input in
        guard !input.isEmpty else { return }
        Harness.run(input)
    },
    writeSeeds: { try Harness.writeSeeds(to: $0) })
