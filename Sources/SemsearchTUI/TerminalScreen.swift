import CNCurses
import Foundation

/// The thin ncurses layer: opens the terminal (`/dev/tty`, so stdout stays free for
/// `--print-selection`), reads keys, and draws a `ScreenBuffer`, writing only the cells that
/// changed since the last frame. Nothing here knows what the TUI shows.
public final class TerminalScreen {
    /// Errors starting the screen.
    public enum Failure: Error, LocalizedError, CustomStringConvertible {
        case noTerminal
        case cannotStart(String)

        public var description: String {
            switch self {
            case .noTerminal: return "the interactive screen needs a terminal (/dev/tty could not be opened); use 'semsearch search'"
            case .cannotStart(let term): return "cannot start the screen on terminal type '\(term)'; set TERM to one your terminal supports"
            }
        }

        public var errorDescription: String? { description }
    }

    private let input: UnsafeMutablePointer<FILE>
    private let output: UnsafeMutablePointer<FILE>
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var previous: ScreenBuffer?
    private var pairs: [Int: Int16] = [:]
    private var nextPair: Int16 = 1
    /// Whether colours are drawn: the caller asked for them and the terminal has them (the caller
    /// weighs `NO_COLOR`).
    public let colors: Bool
    private var ended = false

    /// Starts the screen on the controlling terminal. `colors: false` draws monochrome.
    public init(colors wantColors: Bool) throws {
        TerminalLocale.useUserLocaleWithUTF8()
        guard let input = fopen("/dev/tty", "r"), let output = fopen("/dev/tty", "w") else { throw Failure.noTerminal }
        if getenv("ESCDELAY") == nil { setenv("ESCDELAY", "25", 1) }
        guard let screen = newterm(nil, output, input) else {
            fclose(input)
            fclose(output)
            throw Failure.cannotStart(ProcessInfo.processInfo.environment["TERM"] ?? "")
        }
        self.input = input
        self.output = output
        self.screen = screen
        set_term(screen)
        window = semsearch_stdscr()
        raw()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        // Shift-arrows as xterm, tmux and most terminals send them, when terminfo lacks them.
        for (sequence, code) in [("\u{1B}[1;2A", KEY_SR), ("\u{1B}[1;2B", KEY_SF), ("\u{1B}[1;2D", KEY_SLEFT), ("\u{1B}[1;2C", KEY_SRIGHT)] {
            if key_defined(sequence) == 0 { define_key(sequence, code) }
        }
        colors = wantColors && has_colors()
        if colors {
            start_color()
            use_default_colors()
        }
    }

    deinit { end() }

    /// The terminal's size.
    public var size: (rows: Int, columns: Int) { (Int(semsearch_lines()), Int(semsearch_columns())) }

    /// The descriptor to poll for keys.
    public var inputDescriptor: Int32 { fileno(input) }

    /// Every key and resize waiting, without blocking.
    public func drainEvents() -> [TUIEvent] {
        var events: [TUIEvent] = []
        while let event = nextEvent() { events.append(event) }
        return events
    }

    /// The next key or resize waiting, without blocking; nil when there is none.
    public func nextEvent() -> TUIEvent? {
        while true {
            var character: wint_t = 0
            let status = wget_wch(window, &character)
            if status == ERR { return nil }
            if status == KEY_CODE_YES {
                if Int32(character) == KEY_RESIZE { return .resize(rows: size.rows, columns: size.columns) }
                if let key = Self.key(forCode: Int32(character)) { return .key(key) }
                continue
            }
            let scalar = UInt32(character)
            if scalar == 27 {
                // Esc followed at once by another key is Alt-key, not a request to quit: ignore both.
                var following: wint_t = 0
                if wget_wch(window, &following) != ERR { continue }
                return .key(.escape)
            }
            if scalar < 32 || scalar == 127 {
                if let key = Key.fromControlCode(scalar) { return .key(key) }
                continue
            }
            if let unicode = UnicodeScalar(scalar) { return .key(.character(Character(unicode))) }
        }
    }

    static func key(forCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_SR: return .shiftUp
        case KEY_SF: return .shiftDown
        case KEY_SLEFT: return .shiftLeft
        case KEY_SRIGHT: return .shiftRight
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        default:
            for n in 1...12 where code == semsearch_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// Draws `buffer`: only cells that differ from the last frame are written, then ncurses sends
    /// the terminal only what changed on it.
    public func draw(_ buffer: ScreenBuffer) {
        let full = previous.map { $0.rows != buffer.rows || $0.columns != buffer.columns } ?? true
        if full { werase(window) }
        for row in 0..<buffer.rows {
            for column in 0..<buffer.columns {
                let cell = buffer[row, column]
                if !full, let previous, previous[row, column] == cell { continue }
                guard let character = cell.character else { continue }
                put(character, pen: cell.pen, row: row, column: column)
            }
        }
        if let cursor = buffer.cursor {
            curs_set(1)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wrefresh(window)
        previous = buffer
    }

    private func put(_ character: Character, pen: ScreenBuffer.Pen, row: Int, column: Int) {
        var text = character.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        text.append(0)
        var cell = cchar_t()
        let style = pen.style
        let attributes = semsearch_attributes(style.contains(.bold) ? 1 : 0, style.contains(.reverse) ? 1 : 0,
                                              style.contains(.dim) ? 1 : 0, style.contains(.underline) ? 1 : 0)
        setcchar(&cell, text, attributes, colorPair(pen), nil)
        mvwadd_wch(window, Int32(row), Int32(column), &cell)
    }

    /// The colour pair of a pen's colours, made on first use (0: the terminal's defaults).
    private func colorPair(_ pen: ScreenBuffer.Pen) -> Int16 {
        guard colors, pen.foreground != .default || pen.background != .default else { return 0 }
        let key = Int(pen.foreground.rawValue + 1) * 16 + Int(pen.background.rawValue + 1)
        if let pair = pairs[key] { return pair }
        guard Int32(nextPair) < semsearch_color_pairs() else { return 0 }
        init_pair(nextPair, Int16(pen.foreground.rawValue), Int16(pen.background.rawValue))
        pairs[key] = nextPair
        nextPair += 1
        return nextPair - 1
    }

    /// Gives the terminal back (for an editor); ``resume()`` takes it again and redraws in full.
    public func suspend() {
        def_prog_mode()
        endwin()
    }

    public func resume() {
        reset_prog_mode()
        previous = nil
        clearok(semsearch_curscr(), true)
        wrefresh(window)
    }

    /// Restores the terminal as it was; safe to call twice.
    public func end() {
        guard !ended else { return }
        ended = true
        endwin()
        delscreen(screen)
        fclose(input)
        fclose(output)
    }
}
