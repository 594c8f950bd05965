/// How one cell is drawn: attributes and a foreground colour (the terminal's own background).
public struct CellStyle: Hashable, Sendable {
    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let bold = Attributes(rawValue: 1)
        public static let dim = Attributes(rawValue: 2)
        public static let reverse = Attributes(rawValue: 4)
        public static let underline = Attributes(rawValue: 8)
        public static let italic = Attributes(rawValue: 16)
    }

    public enum Colour: UInt8, Hashable, Sendable {
        case plain, red, green, yellow, blue, cyan
    }

    public var attributes: Attributes
    public var colour: Colour

    public init(_ attributes: Attributes = [], colour: Colour = .plain) {
        self.attributes = attributes
        self.colour = colour
    }

    public static let plain = CellStyle()
}

/// One screen cell: a grapheme cluster one or two columns wide, or the right half of a wide one.
public struct Cell: Hashable, Sendable {
    /// The grapheme cluster; empty for the second column of a wide character.
    public var text: String
    public var style: CellStyle

    public static let blank = Cell(text: " ", style: .plain)
}

/// The whole screen as cells, row by row: what the renderer makes from a ``ScreenModel`` and
/// what a painter (ncurses, or a test) shows. Widths follow ``TextLayout`` (wcwidth).
public struct CellGrid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal's cursor goes (the caret of the input line), if it is shown.
    public var cursor: (row: Int, column: Int)? {
        get { cursorRow.map { ($0, cursorColumn) } }
        set {
            cursorRow = newValue?.row
            cursorColumn = newValue?.column ?? 0
        }
    }
    private var cursorRow: Int?
    private var cursorColumn = 0

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * width + column]
    }

    /// Writes text from a column, clipped at `limit` (default: the right edge); a wide character
    /// that does not fit is replaced by a space. Control characters are never written.
    /// - Returns: the column after the last one written.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, row: Int, column: Int, style: CellStyle = .plain, limit: Int? = nil) -> Int {
        guard row >= 0, row < height else { return column }
        let end = min(limit ?? width, width)
        var x = column
        for character in text {
            let w = TextLayout.width(of: character)
            if w == 0 {
                // A zero-width cluster on its own (a stray combining mark, a control): not drawn.
                continue
            }
            guard x + w <= end else {
                if x < end { cells[row * width + x] = Cell(text: " ", style: style) }
                return end
            }
            if x >= 0 {
                cells[row * width + x] = Cell(text: String(character), style: style)
                if w == 2 { cells[row * width + x + 1] = Cell(text: "", style: style) }
            }
            x += w
        }
        return x
    }

    /// Fills columns `from..<to` of a row with spaces in a style.
    public mutating func fill(row: Int, from: Int = 0, to: Int? = nil, style: CellStyle) {
        guard row >= 0, row < height else { return }
        for x in max(0, from)..<min(to ?? width, width) { cells[row * width + x] = Cell(text: " ", style: style) }
    }

    /// Changes the style of columns `from..<to` of a row, keeping their text.
    public mutating func restyle(row: Int, from: Int, to: Int, _ change: (inout CellStyle) -> Void) {
        guard row >= 0, row < height else { return }
        for x in max(0, from)..<min(to, width) { change(&cells[row * width + x].style) }
    }

    /// A row's text, without trailing spaces (the right halves of wide characters add nothing).
    public func text(row: Int) -> String {
        var line = ""
        for x in 0..<width { line += self[row, x].text }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// Every row's text: a plain capture of the screen, as golden files and `tmux capture-pane` show it.
    public var lines: [String] { (0..<height).map(text(row:)) }

    public static func == (a: CellGrid, b: CellGrid) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursorRow == b.cursorRow
            && a.cursorColumn == b.cursorColumn
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(width)
        hasher.combine(height)
        hasher.combine(cells)
    }
}
