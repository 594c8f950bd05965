import Fieldwork
import SurveyModel

/// A fieldworker command typed instead of an answer.
///
/// Commands start with a dot (`.v`, `.nt`, `.u hh_size`), so they never clash with answers;
/// `?` alone shows the list. Hungarian and English spellings are both accepted whatever the UI
/// language, and accents are optional (`.á` = `.a`). An answer that really starts with a dot
/// is typed with two (`..5 cm` records ".5 cm").
public enum DotCommand: Hashable, Sendable {
    /// Show the commands.
    case help
    /// The previous question on the route.
    case back
    /// The first unanswered question on the route.
    case forward
    /// A question by variable name, optionally with roster rows: `m_age[2]`.
    case jump(String)
    /// Answers so far, open soft checks and errors.
    case review
    /// Switch the questionnaire language; the interviewer's own texts keep their language.
    case language(String)
    /// Record don't know or refused for the current question.
    case special(SpecialAnswer)
    /// An interviewer's note on the current question.
    case note(String)
    /// Remove the current answer.
    case clear
    /// Remove the last row of the open roster the current question is in (answers stay in the log).
    case removeRow
    /// End the visit with an outcome code (nil: show the codes) and, after it, an optional note
    /// on the visit (`.z 23 a szomszéd szerint este vannak otthon`).
    case outcome(Int?, note: String? = nil)
    /// Save and quit; the interview stays resumable.
    case quit
    /// Mark the interview as training/test (`true`, `.gyakorló`) or as real again (`false`, `.gyakorló ki`).
    case training(Bool)
}

/// One line of input: an answer, a command, or a command that could not be understood.
public enum UserInput: Hashable, Sendable {
    /// The answer text (trimmed; an escaped leading dot is unescaped).
    case answer(String)
    case command(DotCommand)
    /// Something that looked like a command but is not one; the payload is what was typed.
    case unknownCommand(String)
    /// A command that needs an argument it did not get (`.u` without a name).
    case missingArgument(DotCommand.Name)
}

extension DotCommand {
    /// Commands that take an argument, for ``UserInput/missingArgument(_:)``.
    public enum Name: Hashable, Sendable { case jump, note, language }

    /// Parses a typed line.
    public static func parse(_ line: String) -> UserInput {
        let trimmed = line.trimmingSpaces
        if trimmed == "?" { return .command(.help) }
        guard trimmed.hasPrefix("."), let second = trimmed.dropFirst().first else { return .answer(trimmed) }
        if second == "." { return .answer(String(trimmed.dropFirst())) }
        guard second.isLetter || second == "?" else { return .answer(trimmed) }
        let body = trimmed.dropFirst()
        let word = body.prefix { $0 != " " }
        let argument = String(body.dropFirst(word.count)).trimmingSpaces
        let token = String(word).lowercased().foldingHungarianAccents
        return command(token: token, argument: argument) ?? .unknownCommand(trimmed)
    }

    private static func command(token: String, argument: String) -> UserInput? {
        switch token {
        case "?", "h", "help", "s", "sugo": return .command(.help)
        case "v", "vissza", "b", "back": return .command(.back)
        case "e", "elore", "f", "forward": return .command(.forward)
        case "a", "attekintes", "r", "review": return .command(.review)
        case "nt", "dk": return .command(.special(.dontKnow))
        case "nv", "rf": return .command(.special(.refused))
        case "t", "torles", "c", "clear": return .command(.clear)
        case "k", "kilepes", "q", "quit": return .command(.quit)
        case "st", "sortorles", "rr", "removerow": return .command(.removeRow)
        case "u", "ugras", "g", "go":
            return argument.isEmpty ? .missingArgument(.jump) : .command(.jump(argument))
        case "m", "megjegyzes", "n", "note":
            return argument.isEmpty ? .missingArgument(.note) : .command(.note(argument))
        case "nyelv", "lang", "l":
            return argument.isEmpty ? .missingArgument(.language) : .command(.language(argument.lowercased()))
        case "gyakorlo", "training":
            switch argument.lowercased() {
            case "", "be", "on": return .command(.training(true))
            case "ki", "off": return .command(.training(false))
            default: return nil
            }
        case "z", "zaras", "o", "outcome":
            if argument.isEmpty { return .command(.outcome(nil)) }
            let code = argument.prefix { $0 != " " }
            let note = String(argument.dropFirst(code.count)).trimmingSpaces
            return Int(code).map { .command(.outcome($0, note: note.isEmpty ? nil : note)) }
        default:
            // `.hu`, `.en`, `.de`: any two-letter word is a language switch.
            if token.count == 2, token.allSatisfy({ $0.isASCII && $0.isLetter }), argument.isEmpty {
                return .command(.language(token))
            }
            return nil
        }
    }
}

extension StringProtocol {
    /// Lower-case Hungarian vowels without accents, so `.ugrás` and `.ugras` are the same command.
    var foldingHungarianAccents: String {
        String(
            map { c -> Character in
                switch c {
                case "á": "a"
                case "é": "e"
                case "í": "i"
                case "ó", "ö", "ő": "o"
                case "ú", "ü", "ű": "u"
                default: c
                }
            })
    }
}
