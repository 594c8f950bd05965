import Foundation
import SurveyModel
import SurveyStore

/// Central merge benchmark: bundles with 1,000,000 events in total merged with
/// `CentralStore.apply`, beside a raw SQLite bulk insert of the same rows (one transaction per
/// bundle), then the same bundles merged again.
enum MergeBenchmark {
    static let devices = 4
    static let bundlesPerDevice = 25
    static let eventsPerBundle = 10_000

    static func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("terep-merge-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let survey = StoreBenchmark.survey()
        let definitions = [try DefinitionFile(survey)]
        let bundles = makeBundles(definition: survey.hash)
        let total = bundles.reduce(0) { $0 + $1.events.count }

        let central = try CentralStore.initialize(path: folder.appendingPathComponent("central.sqlite").path)
        for d in 0..<devices { try central.registerDevice(DeviceID("dev-\(d)"), publicKey: Data([UInt8(d + 1)]), method: .explicit) }
        let raw = try RawSQLite(path: folder.appendingPathComponent("raw.sqlite").path)
        let indexed = try RawSQLite(path: folder.appendingPathComponent("raw-indexed.sqlite").path, indexByInterview: true)
        let payloads = bundles.map { bundle in
            bundle.events.map { String(decoding: (try? JSONEncoder().encode($0.kind)) ?? Data(), as: UTF8.self) }
        }

        var mergeSeconds = 0.0, rawSeconds = 0.0, indexedSeconds = 0.0, newEvents = 0
        for (i, bundle) in bundles.enumerated() {
            let t0 = DispatchTime.now().uptimeNanoseconds
            newEvents += try central.apply(events: bundle.events, definitions: definitions, bundle: bundle.receipt).newEvents
            mergeSeconds += seconds(since: t0)
            let t1 = DispatchTime.now().uptimeNanoseconds
            try raw.bulkInsert(events: bundle.events, payloads: payloads[i])
            rawSeconds += seconds(since: t1)
            let t3 = DispatchTime.now().uptimeNanoseconds
            try indexed.bulkInsert(events: bundle.events, payloads: payloads[i])
            indexedSeconds += seconds(since: t3)
        }
        let t2 = DispatchTime.now().uptimeNanoseconds
        var skipped = 0
        for bundle in bundles where try central.apply(events: bundle.events, definitions: definitions, bundle: bundle.receipt).alreadyMerged
        {
            skipped += 1
        }
        let remergeSeconds = seconds(since: t2)
        // The same events again under new bundle ids (e.g. `bundle create --all`): every event is
        // looked up and compared, nothing is written but the receipts.
        let t4 = DispatchTime.now().uptimeNanoseconds
        var duplicates = 0
        for bundle in bundles.prefix(10) {
            var receipt = bundle.receipt
            receipt.hash += "-again"
            duplicates += try central.apply(events: bundle.events, definitions: definitions, bundle: receipt).duplicateEvents
        }
        let duplicateSeconds = seconds(since: t4)

        print("merge of \(bundles.count) bundles, \(total) events (\(newEvents) new), WAL + synchronous=FULL:")
        print(
            "  CentralStore.apply       \(rate(total, mergeSeconds)) events/s (\(fmt(mergeSeconds)) s, includes JSON encoding, derived interviews, ranges)"
        )
        print(
            "  raw sqlite3 bulk insert  \(rate(total, rawSeconds)) rows/s (\(fmt(rawSeconds)) s, pre-encoded rows, one transaction per bundle)"
        )
        print("  merge / raw              \(String(format: "%.0f", 100 * rawSeconds / mergeSeconds)) %  (target ≥ 50 %)")
        print(
            "  (for scale, raw with an index on interview_id, as schema v1 had: \(rate(total, indexedSeconds)) rows/s; "
                + "merge / that \(String(format: "%.0f", 100 * indexedSeconds / mergeSeconds)) %)")
        print(
            "  re-merge of the same bundles: \(fmt(remergeSeconds)) s, \(skipped) skipped as already merged = "
                + "\(String(format: "%.2f", 100 * remergeSeconds / mergeSeconds)) % of the first merge (target < 5 %)")
        print(
            "  the first 10 bundles' events under new bundle ids: \(duplicates) duplicates checked and skipped at "
                + "\(rate(duplicates, duplicateSeconds)) events/s")
    }

    struct Bundle {
        var events: [InterviewEvent]
        var receipt: BundleReceipt
    }

    /// Interviews of about 200 events each: started, shown/answered pairs, sometimes a note or
    /// a correction, and an end.
    static func makeBundles(
        definition: DefinitionHash, devices: Int = devices, bundlesPerDevice: Int = bundlesPerDevice
    ) -> [Bundle] {
        var bundles: [Bundle] = []
        for d in 0..<devices {
            let device = DeviceID("dev-\(d)")
            var log: [InterviewEvent] = []
            var interview = 0
            let count = bundlesPerDevice * eventsPerBundle
            while log.count < count {
                let id = InterviewID(String(format: "%08x-0000-4000-8000-%012x", d, interview))
                var time = Int64(1_780_000_000_000 + interview * 3_600_000)
                func add(_ kind: InterviewEventKind) {
                    guard log.count < count else { return }
                    time += 7_000
                    log.append(
                        InterviewEvent(
                            device: device, sequence: Int64(log.count + 1), interview: id, timestamp: time,
                            interviewer: "int-\(d)", kind: kind))
                }
                add(
                    .started(
                        definition: definition, seed: UInt64(interview), language: "hu", preload: ["cluster_id": .integer(interview % 50)]))
                for q in 0..<99 {
                    let address = Address(VariableName("q\(q)"), rows: q > 60 ? [q % 7 + 1] : [])
                    add(.shown(address))
                    add(.answered(address, q % 17 == 0 ? .special(.dontKnow) : .value(.choice(q % 5 + 1))))
                }
                add(.ended(outcome: interview % 9 == 0 ? 21 : 11))
                interview += 1
            }
            for b in 0..<bundlesPerDevice {
                let events = Array(log[(b * eventsPerBundle)..<((b + 1) * eventsPerBundle)])
                bundles.append(
                    Bundle(
                        events: events,
                        receipt: BundleReceipt(
                            hash: "bench-\(d)-\(b)", fileName: "dev-\(d)-\(b).terepbundle", device: device,
                            firstSequence: events[0].sequence, lastSequence: events[events.count - 1].sequence, receivedAt: 0)))
            }
        }
        return bundles
    }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
    static func rate(_ n: Int, _ s: Double) -> String { String(format: "%.0f", Double(n) / s) }
    static func fmt(_ s: Double) -> String { String(format: "%.2f", s) }
}
