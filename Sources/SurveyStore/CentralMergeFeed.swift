import Foundation
import SurveyModel

/// One bundle being merged inside a ``CentralDataset``'s transaction
/// (``CentralDataset/apply(bundle:registering:_:)``): each store's merge (SQLite's
/// `CentralMerge`, PostgreSQL's `PostgresMerge`) is one.
public protocol CentralMergeFeed: AnyObject {
    /// The bundle's definitions (stored if new) and its interview → definition map; called
    /// once, before the first event. Each event's answers are checked against the definition
    /// `checkedAgainst` gives its interview (``MergeEventCheck``).
    func begin(
        definitions: [DefinitionFile], interviewDefinitions: [InterviewID: DefinitionHash],
        checkedAgainst: [InterviewID: DefinitionHash]
    ) throws
    /// Checks and inserts one event (a duplicate must equal the stored one).
    func add(_ event: InterviewEvent) throws
}

extension CentralMergeFeed {
    /// Begins a bundle streamed in: its events are checked against the bundle's own map.
    public func begin(definitions: [DefinitionFile], interviewDefinitions: [InterviewID: DefinitionHash]) throws {
        try begin(definitions: definitions, interviewDefinitions: interviewDefinitions, checkedAgainst: interviewDefinitions)
    }
}

/// One bundle of a group merged together (``CentralDataset/apply(group:)``): its receipt, the
/// device it registers (trust on first use), and what feeds its definitions and events.
public struct BundleWrite {
    public var bundle: BundleReceipt
    public var registering: NewDevice?
    public var feed: (any CentralMergeFeed) throws -> Void

    public init(bundle: BundleReceipt, registering: NewDevice?, feed: @escaping (any CentralMergeFeed) throws -> Void) {
        self.bundle = bundle
        self.registering = registering
        self.feed = feed
    }
}

extension CentralDataset {
    /// Each bundle in a transaction of its own (``apply(bundle:registering:_:)``). A failure of
    /// the store itself (``StoreError/Fault/storage``) stops the group: the bundles after it are
    /// not tried and each is given that failure; those before it stay merged.
    public func apply(group: [BundleWrite]) throws -> [Result<MergeResult, any Error>] {
        var results: [Result<MergeResult, any Error>] = []
        for item in group {
            do {
                results.append(.success(try apply(bundle: item.bundle, registering: item.registering, item.feed)))
            } catch let failure as StoreError where failure.fault == .storage {
                results += Array(repeating: .failure(failure), count: group.count - results.count)
                break
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }

    /// Merges one bundle's events and definitions, all in memory, in one transaction, through
    /// the store's own ``apply(bundle:registering:_:)``: the one copy of this for every store.
    ///
    /// Events are keyed by (device, sequence): one already present is skipped (and must be
    /// identical, or the whole bundle is refused with ``StoreError/eventMismatch(device:sequence:)``).
    /// A bundle whose hash was already accepted changes nothing. The device must be registered
    /// and active. Interview state is derived by an order-independent rule (earliest `started`,
    /// latest `ended`/`reopened`, latest `trainingMarked`, by timestamp, device, sequence), so
    /// any merge order of the same events gives the same dataset.
    ///
    /// `interviewDefinitions` (the bundle's interview → definition map) gives interviews whose
    /// `started` event is not merged yet (a revisit on another device) their definition: the
    /// smallest mapped hash until a `started` event decides it. With every event at hand, each
    /// is checked against its interview's definition as the whole bundle shows it
    /// (``MergeEventCheck/checkedAgainst(_:mapped:)``).
    ///
    /// `registering` registers the bundle's device in the same transaction (trust on first
    /// use), so a device is registered only together with a bundle that merges.
    public func apply(
        events: [InterviewEvent], definitions: [DefinitionFile], bundle: BundleReceipt,
        interviewDefinitions: [InterviewID: DefinitionHash], registering: NewDevice?
    ) throws(StoreError) -> MergeResult {
        let checkedAgainst = MergeEventCheck.checkedAgainst(events, mapped: interviewDefinitions)
        do {
            return try apply(bundle: bundle, registering: registering) { merge in
                try merge.begin(definitions: definitions, interviewDefinitions: interviewDefinitions, checkedAgainst: checkedAgainst)
                for event in events { try merge.add(event) }
            }
        } catch { throw storeError(error) }
    }
}
