import Fieldwork
import Foundation
import SurveySync

#if canImport(Glibc)
    import Glibc
#endif

/// Where passphrases of protected keys come from: `TEREP_KEY_PASSPHRASE` (the current one,
/// or the first one when a key is protected), `TEREP_NEW_KEY_PASSPHRASE` (the new one when it
/// is changed), else a prompt on the terminal (never echoed; a new one is asked twice).
enum KeyPassphrase {
    /// New passphrases shorter than this are refused.
    static let minimumLength = 8

    /// The source commands hand to the libraries.
    static func source(protecting: Bool = false) -> PassphraseSource {
        { purpose, role throws(KeyAccessError) in
            let environment = ProcessInfo.processInfo.environment
            // Protecting a key for the first time takes its new passphrase from TEREP_KEY_PASSPHRASE.
            let variable = role == .new && !protecting ? "TEREP_NEW_KEY_PASSPHRASE" : "TEREP_KEY_PASSPHRASE"
            if let given = environment[variable], !given.isEmpty { return try checked(given, role) }
            guard isatty(STDIN_FILENO) == 1 else {
                throw .passphraseUnavailable(
                    "the \(purpose.rawValue) is protected by a passphrase: set \(variable), or run terep in a terminal to be asked")
            }
            let what = role == .new ? "New passphrase for the \(purpose.rawValue)" : "Passphrase for the \(purpose.rawValue)"
            let first = try prompt("\(what): ")
            guard role == .new else { return first }
            _ = try checked(first, role)
            guard try prompt("Again, to confirm: ") == first else {
                throw .passphraseUnavailable("the two passphrases differ; nothing was changed")
            }
            return first
        }
    }

    private static func checked(_ passphrase: String, _ role: PassphraseRole) throws(KeyAccessError) -> String {
        guard role == .new, passphrase.count < minimumLength else { return passphrase }
        throw .passphraseUnavailable("a passphrase needs at least \(minimumLength) characters (a few words are best)")
    }

    /// Reads one line from the terminal with echo off.
    private static func prompt(_ text: String) throws(KeyAccessError) -> String {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw .passphraseUnavailable("cannot open the terminal to ask for the passphrase") }
        defer { close(fd) }
        _ = text.withCString { write(fd, $0, strlen($0)) }
        var saved = termios()
        let canHide = tcgetattr(fd, &saved) == 0
        if canHide {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer {
            if canHide { tcsetattr(fd, TCSAFLUSH, &saved) }
            _ = write(fd, "\n", 1)
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != 0x0A, line.count < 4096 { line.append(byte) }
        if line.last == 0x0D { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
