import SurveyModel

/// Consistency rules between a bundle's events, its interview map, its definitions and its
/// manifest, applied one event at a time as the payload streams past (nothing is kept of an
/// event but its sequence number and its interview's id).
///
/// Every number must be within ``EventBounds``. Events must be from the bundle's device, have
/// sequence numbers ≥ 1 strictly increasing (so no duplicates), belong to an interview of the
/// map whose definition is included, and agree with their `started` events. At the end: every
/// listed interview had events and, with a manifest, counts, range and definition list match it.
struct EventChecker {
    let device: DeviceID
    private let map: [InterviewID: DefinitionHash]
    private var previous: Int64 = 0
    private var first: Int64?
    private var count = 0
    private var seen = Set<InterviewID>()

    init(device: DeviceID, interviewDefinitions: [InterviewID: DefinitionHash]) {
        self.device = device
        map = interviewDefinitions
    }

    mutating func check(_ e: InterviewEvent) throws(BundleError.Kind) {
        if let problem = EventBounds.problem(with: e) { throw .outOfRange(problem) }
        guard e.device == device else {
            throw .inconsistentEvents("event \(e.device)#\(e.sequence) is from another device than '\(device)'")
        }
        guard e.sequence != previous else { throw .inconsistentEvents("duplicate sequence number \(e.sequence)") }
        guard e.sequence > previous else {
            throw .inconsistentEvents("sequence number \(e.sequence) follows \(previous) (not ascending)")
        }
        previous = e.sequence
        if first == nil { first = e.sequence }
        count += 1
        guard let hash = map[e.interview] else {
            throw .inconsistentEvents("interview \(e.interview) has no definition in the bundle")
        }
        seen.insert(e.interview)
        if case .started(let started, _, _, _) = e.kind, started != hash {
            throw .inconsistentEvents("interview \(e.interview) started on \(started.short) but is mapped to \(hash.short)")
        }
    }

    /// Checks what can only be known after the last event.
    func finish(definitions: [DefinitionHash], declared manifest: BundleManifest?) throws(BundleError.Kind) {
        if seen.count < map.count, let missing = map.keys.sorted().first(where: { !seen.contains($0) }) {
            throw .inconsistentEvents("interview \(missing) is listed but has no events")
        }
        guard let m = manifest else { return }
        guard count == m.eventCount else { throw .inconsistentEvents("\(count) events, manifest says \(m.eventCount)") }
        guard seen.count == m.interviewCount else {
            throw .inconsistentEvents("\(seen.count) interviews, manifest says \(m.interviewCount)")
        }
        let last: Int64? = first == nil ? nil : previous
        guard first == m.sequenceRange?.first, last == m.sequenceRange?.last else {
            let found = first.map { "\($0)-\(last ?? $0)" } ?? "none"
            let said = m.sequenceRange.map { "\($0.first)-\($0.last)" } ?? "none"
            throw .inconsistentEvents("sequence range \(found), manifest says \(said)")
        }
        guard definitions.sorted() == m.definitions else {
            throw .inconsistentEvents("included definitions differ from the manifest's list")
        }
    }
}

/// The same rules over contents already in memory (the writer checks what it is given).
enum BundleChecks {
    static func events(_ contents: BundleContents, device: DeviceID, declared: BundleManifest?) throws(BundleError.Kind) {
        for (interview, hash) in contents.interviewDefinitions.sorted(by: { $0.key < $1.key })
        where contents.definitionFiles[hash] == nil {
            throw .inconsistentEvents("definition \(hash.short) of interview \(interview) is not included")
        }
        var checker = EventChecker(device: device, interviewDefinitions: contents.interviewDefinitions)
        for event in contents.events { try checker.check(event) }
        try checker.finish(definitions: Array(contents.definitionFiles.keys), declared: declared)
    }
}
