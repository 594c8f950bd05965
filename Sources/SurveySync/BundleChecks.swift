import SurveyModel

/// Consistency rules between a bundle's events, its interview map, its definitions and its manifest.
enum BundleChecks {
    /// Checks `contents` for `device`; with `declared`, also against the manifest.
    ///
    /// Every number must be within ``EventBounds``. Events must be from `device`, have
    /// sequence numbers ≥ 1 strictly increasing (so no
    /// duplicates), map each interview to an included definition, and agree with `started`
    /// events. With a manifest: counts, range and definition list must match exactly.
    static func events(_ contents: BundleContents, device: DeviceID, declared: BundleManifest?) throws(BundleError.Kind) {
        var previous: Int64 = 0
        var interviews = Set<InterviewID>()
        for e in contents.events {
            if let problem = EventBounds.problem(with: e) { throw .outOfRange(problem) }
            guard e.device == device else {
                throw .inconsistentEvents("event \(e.device)#\(e.sequence) is from another device than '\(device)'")
            }
            guard e.sequence >= 1 else { throw .inconsistentEvents("sequence number \(e.sequence) is below 1") }
            guard e.sequence != previous else { throw .inconsistentEvents("duplicate sequence number \(e.sequence)") }
            guard e.sequence > previous else {
                throw .inconsistentEvents("sequence number \(e.sequence) follows \(previous) (not ascending)")
            }
            previous = e.sequence
            interviews.insert(e.interview)
            guard let hash = contents.interviewDefinitions[e.interview] else {
                throw .inconsistentEvents("interview \(e.interview) has no definition in the bundle")
            }
            if case .started(let started, _, _, _) = e.kind, started != hash {
                throw .inconsistentEvents("interview \(e.interview) started on \(started.short) but is mapped to \(hash.short)")
            }
        }
        for (interview, hash) in contents.interviewDefinitions {
            guard interviews.contains(interview) else {
                throw .inconsistentEvents("interview \(interview) is listed but has no events")
            }
            guard contents.definitionFiles[hash] != nil else {
                throw .inconsistentEvents("definition \(hash.short) of interview \(interview) is not included")
            }
        }
        guard let manifest = declared else { return }
        try matches(manifest, contents, interviewCount: interviews.count)
    }

    private static func matches(_ m: BundleManifest, _ contents: BundleContents, interviewCount: Int) throws(BundleError.Kind) {
        let events = contents.events
        guard events.count == m.eventCount else {
            throw .inconsistentEvents("\(events.count) events, manifest says \(m.eventCount)")
        }
        guard interviewCount == m.interviewCount else {
            throw .inconsistentEvents("\(interviewCount) interviews, manifest says \(m.interviewCount)")
        }
        let first = events.first?.sequence
        let last = events.last?.sequence
        guard first == m.sequenceRange?.first, last == m.sequenceRange?.last else {
            let found = first.map { "\($0)-\(last ?? $0)" } ?? "none"
            let said = m.sequenceRange.map { "\($0.first)-\($0.last)" } ?? "none"
            throw .inconsistentEvents("sequence range \(found), manifest says \(said)")
        }
        guard contents.definitionFiles.keys.sorted() == m.definitions else {
            throw .inconsistentEvents("included definitions differ from the manifest's list")
        }
    }
}
