/// Group commit for the server's merges: uploads verified and decoded side by side hand their
/// bundles here, and one write at a time takes *every* bundle waiting (at most ``maxGroup``) and
/// writes them together (``Fieldwork/BundleMerger/write(_:)``: one transaction, one wait for the
/// disk, each bundle all-or-nothing in it). A bundle that arrives while a group is being written
/// goes with the next, so under a burst the groups grow by themselves, and alone it is written at
/// once. Each submitter gets its own bundle's outcome after the group's commit.
///
/// ``reserve()`` bounds what is held decoded: at most ``places`` bundles between the start of
/// their decoding and the end of their write; the others wait before decoding, with nothing but
/// their spooled file.
actor GroupWriter<Item: Sendable, Output: Sendable> {
    let maxGroup: Int
    private var queued: [(item: Item, done: CheckedContinuation<Output, Never>)] = []
    private var writing = false
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private let write: @Sendable ([Item]) async -> [Output]

    /// `write` gets a group and gives one output per item, in order.
    init(places: Int, maxGroup: Int, write: @escaping @Sendable ([Item]) async -> [Output]) {
        free = max(1, places)
        self.maxGroup = max(1, maxGroup)
        self.write = write
    }

    /// Takes a place (waiting in order when all are taken); give it back with ``release()``.
    func reserve() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives a place back, to the longest-waiting caller of ``reserve()``.
    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }

    /// Writes `item` with whatever else is waiting; its output once the group is written.
    func submit(_ item: Item) async -> Output {
        await withCheckedContinuation { done in
            queued.append((item, done))
            guard !writing else { return }
            writing = true
            Task { await drain() }
        }
    }

    private func drain() async {
        while !queued.isEmpty {
            let group = Array(queued.prefix(maxGroup))
            queued.removeFirst(group.count)
            let outputs = await write(group.map(\.item))
            for (entry, output) in zip(group, outputs) { entry.done.resume(returning: output) }
        }
        writing = false
    }
}
