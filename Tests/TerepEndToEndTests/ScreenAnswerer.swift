import Foundation
import SurveyModel
import Testing

/// Answers whatever question `terep interview` shows, reading only the screen (Hungarian UI).
///
/// For each question it keeps a list of candidate answers built from what the screen says is
/// allowed (options, range, length); when the same question comes back (an error), it tries
/// the next one. It remembers which typed answers were rejected and which were accepted, so a
/// test can check the database against them.
struct ScreenAnswerer {
    private var current: String?
    private var candidates: [String] = []
    private var lastSent: String?
    /// Lines the interviewer typed that the question did not accept, by question name.
    private(set) var rejected: [String: [String]] = [:]
    /// The answer finally accepted at each question (Enter = kept), by name.
    private(set) var accepted: [String: String] = [:]
    private(set) var questionsSeen = 0
    /// The one answer to give at a question, by name, instead of what the screen suggests.
    var overrides: [String: String] = [:]

    enum Step: Equatable {
        case type(String)
        /// The same question was refused too often: the driver cannot get past it.
        case stuck(String)
    }

    mutating func next(for screen: String) -> Step {
        if screen.hasSuffix("javítom\n") { return .type("i") }  // confirm a soft check
        if screen.contains("új sor hozzáadása?") { return .type("n") }  // open rosters: no rows
        // After an invalid answer only the message and the prompt come back: the same question.
        let reasked = screen.hasSuffix("> ") ? current : nil
        guard let name = ScreenAnswerer.questionName(in: screen) ?? reasked else {
            if let previous = current, let lastSent { accepted[previous] = lastSent }  // the interview ended
            current = nil
            return .type("")
        }
        if name == current {
            if let lastSent { rejected[name, default: []].append(lastSent) }
        } else {
            if let previous = current, let lastSent { accepted[previous] = lastSent }
            current = name
            questionsSeen += 1
            candidates = overrides[name].map { [$0] } ?? ScreenAnswerer.candidates(for: screen)
        }
        guard !candidates.isEmpty else { return .stuck(name) }
        let line = candidates.removeFirst()
        lastSent = line
        return .type(line)
    }

    /// The variable name on the heading line (`… hh_size  12/40`).
    static func questionName(in screen: String) -> String? {
        for line in screen.split(separator: "\n").reversed() {
            let words = line.split(separator: " ")
            // The heading ends with `name  12/40` (two spaces); a roster line has ` · 2/4`.
            guard words.count >= 2, let last = words.last, last.contains("/"), line.hasSuffix("  " + last),
                last.split(separator: "/").allSatisfy({ Int($0) != nil })
            else { continue }
            return String(words[words.count - 2])
        }
        return nil
    }

    /// Answers to try, best first, from the screen's options and allowed-input line.
    static func candidates(for screen: String) -> [String] {
        let lines = screen.split(separator: "\n").map(String.init)
        var out: [String] = []
        if lines.contains(where: { $0.hasPrefix("Jelenlegi válasz:") || $0.hasPrefix("Javasolt érték:") }) { out.append("") }
        if lines.contains(where: { $0.contains("Enter = tovább") }) { return [""] }
        let codes = lines.compactMap { line -> String? in
            guard line.hasPrefix(" "), line.count > 4 else { return nil }
            let trimmed = line.dropFirst(2).drop { $0 == " " }
            let code = trimmed.prefix { $0 == "-" || $0.isNumber }
            guard !code.isEmpty, trimmed.dropFirst(code.count).hasPrefix("  ") else { return nil }
            return String(code)
        }
        let kinds = ["Egész szám", "Skála", "Dátum", "Szám", "Időpont", "Szöveg", "Több válasz", "Írja be"]
        let allowed = lines.first { line in kinds.contains { line.hasPrefix($0) } } ?? ""
        if allowed.hasPrefix("Egész szám") || allowed.hasPrefix("Skála") {
            let numbers = integers(in: allowed)
            let lo = numbers.first ?? 0, hi = numbers.count > 1 ? numbers[1] : lo + 20
            out += [String(min(hi, lo + 2))] + (lo...min(hi, lo + 30)).map(String.init)
        } else if allowed.hasPrefix("Dátum") {
            out += dates(in: allowed) + ["2024-05-01"]
        } else if allowed.hasPrefix("Szám") {
            out += decimals(in: screen)
        } else if allowed.hasPrefix("Időpont") {
            out.append("08:30")
        } else if allowed.hasPrefix("Szöveg") {
            out += ["teszt", "+36301234567", "2026-06-01T10:00"]
        } else if !codes.isEmpty {
            out += codes
        }
        return out + [".nt", ".nv"]
    }

    private static func integers(in text: String) -> [Int] {
        var out: [Int] = []
        var digits = ""
        for c in text + " " {
            if c.isNumber || (c == "-" && digits.isEmpty) {
                digits.append(c)
            } else {
                if let n = Int(digits) { out.append(n) }
                digits = ""
            }
        }
        return out
    }

    private static func dates(in text: String) -> [String] {
        text.split(separator: " ").map { String($0.trimmingCharacters(in: CharacterSet(charactersIn: ",·"))) }
            .filter { LocalDate(iso: $0) != nil }
    }

    private static func decimals(in screen: String) -> [String] {
        let words = screen.split(whereSeparator: { $0 == " " || $0 == "\n" })
        return words.compactMap { w -> String? in
            let t = w.trimmingCharacters(in: CharacterSet(charactersIn: ",·"))
            return t.contains(",") && Double(t.replacingOccurrences(of: ",", with: ".")) != nil ? t : nil
        }
    }

    /// How a stored answer would have been typed, to compare with rejected lines.
    static func typed(_ answer: Answer) -> String {
        switch answer {
        case .special(.dontKnow): ".nt"
        case .special(.refused): ".nv"
        case .special(.notApplicable): ""
        case .value(.integer(let i)), .value(.choice(let i)): String(i)
        case .value(.choices(let cs)): cs.map(String.init).joined(separator: " ")
        case .value(.text(let t)): t
        case .value(.date(let d)): d.description
        case .value(.time(let t)): t.description
        case .value(let v): "\(v)"
        }
    }
}

extension ScreenAnswerer {
    /// Answers every screen `terep` shows until it stops asking (or `limit` screens); a question
    /// no candidate gets past is recorded as an issue and the input is closed.
    mutating func answerAll(_ terep: InteractiveTerep, limit: Int = 2000) {
        var steps = 0
        while let screen = terep.readScreen(), steps < limit {
            steps += 1
            switch next(for: screen) {
            case .type(let line): terep.send(line)
            case .stuck(let question):
                Issue.record("no accepted answer at \(question):\n\(screen)")
                terep.closeInput()
            }
        }
    }
}
