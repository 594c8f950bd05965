import SurveyModel

/// What every ``CentralDataset`` checks of a bundle before it writes anything: each event is
/// from the bundle's device and within ``EventBounds``, and each event of an interview whose
/// definition the bundle carries fits that definition (``EventValidator``).
public enum CentralMergeCheck {
    /// Throws the first problem found: ``StoreError/invalid(_:)`` or
    /// ``StoreError/invalidEvent(device:sequence:reason:)``.
    public static func check(
        _ events: [InterviewEvent], definitions: [DefinitionFile], bundle: BundleReceipt,
        interviewDefinitions: [InterviewID: DefinitionHash]
    ) throws(StoreError) {
        for event in events {
            guard event.device == bundle.device else {
                throw .invalid("event \(event.device)#\(event.sequence) is from another device than its bundle (\(bundle.device))")
            }
            if let problem = EventBounds.problem(with: event) { throw .invalid("\(bundle.device): \(problem)") }
        }
        try validate(events, definitions: definitions, interviewDefinitions: interviewDefinitions)
    }

    /// Checks every event of an interview whose definition is in the bundle against it.
    private static func validate(
        _ events: [InterviewEvent], definitions: [DefinitionFile], interviewDefinitions: [InterviewID: DefinitionHash]
    ) throws(StoreError) {
        guard !definitions.isEmpty else { return }
        let validator = EventValidator(definitions)
        var definitionOf = interviewDefinitions
        for event in events {
            if case .started(let hash, _, _, _) = event.kind, definitionOf[event.interview] == nil {
                definitionOf[event.interview] = hash
            }
        }
        for event in events {
            guard let hash = definitionOf[event.interview], validator.knows(hash) else { continue }
            if let reason = validator.problem(with: event.kind, definition: hash) {
                throw .invalidEvent(device: event.device, sequence: event.sequence, reason: reason)
            }
        }
    }
}
