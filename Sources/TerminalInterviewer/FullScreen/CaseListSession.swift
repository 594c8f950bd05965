import Fieldwork

/// The full-screen case list `terep interview` starts from on a device with assigned cases:
/// keys move, filter and search the list (``CaseListScreen``), each change is drawn
/// (``CaseListRenderer``) and painted by the ``ScreenDevice``; Enter hands the selected case to
/// the caller, which opens its interview on the same device, or puts a refusal back on the list
/// (``refuse(_:)``) and runs it again where it was.
///
/// The session never closes the device: the interview that follows takes it over and gives it
/// back (``reload(_:message:)``) when it ends, and the caller closes it when the fieldworker
/// leaves the list.
public final class CaseListSession {
    public private(set) var screen: CaseListScreen
    let device: any ScreenDevice
    let strings: UIStrings
    let title: String
    /// Asked between keys: a signal that asks the program to stop (SIGTERM, SIGHUP, SIGINT).
    let pendingSignal: () -> Int32?

    /// How the fieldworker left the list.
    public enum Choice: Equatable, Sendable {
        /// Enter on a case: open its interview.
        case open(CaseListEntry)
        /// q (the search closed), Esc, F10 or Ctrl-C: nothing to save, nothing opened.
        case quit
        /// A signal asked the program to stop.
        case interrupted(Int32)
        /// Input is gone.
        case closed
    }

    public init(
        entries: [CaseListEntry], device: any ScreenDevice, strings: UIStrings, title: String,
        pendingSignal: @escaping () -> Int32? = { nil }
    ) {
        screen = CaseListScreen(entries: entries)
        self.device = device
        self.strings = strings
        self.title = title
        self.pendingSignal = pendingSignal
    }

    var renderer: CaseListRenderer {
        let (width, height) = device.size
        return CaseListRenderer(width: width, height: height, colour: device.colour, strings: strings)
    }

    /// Shows the list until a case is picked or the fieldworker leaves.
    public func run() -> Choice {
        var dirty = true
        while true {
            if dirty { redraw() }
            if let signal = pendingSignal() { return .interrupted(signal) }
            switch device.read(waiting: true) {
            case .idle: dirty = false
            case .closed: return .closed
            case .key(let key):
                var next = key
                while true {
                    switch screen.handle(next, rows: renderer.tableRows(screen)) {
                    case .open(let entry): return .open(entry)
                    case .quit: return .quit
                    case .redraw: device.invalidate()
                    case .none: break
                    }
                    // Keys typed or pasted together are handled before drawing again.
                    guard case .key(let more) = device.read(waiting: false) else { break }
                    next = more
                }
                dirty = true
            }
        }
    }

    /// The list again after an interview, with the cases' new statuses (``CaseListScreen/reloaded(with:rows:)``)
    /// and what the interview's end said, until the next key. The screen is painted whole: the
    /// interview drew over it.
    public func reload(_ entries: [CaseListEntry], message: ScreenModel.Message?) {
        screen = screen.reloaded(with: entries, rows: renderer.tableRows(screen))
        screen.message = message
        device.invalidate()
    }

    /// Says on the list why the case picked did not open (shown until the next key).
    public func refuse(_ text: String) {
        screen.message = .init(text: text, tone: .error)
    }

    /// Draws the list and paints it.
    public func redraw() {
        device.paint(renderer.render(screen, title: title))
    }
}
