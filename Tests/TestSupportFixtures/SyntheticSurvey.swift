/// A generator of large, valid synthetic questionnaires for tests and benchmarks.
///
/// The shape follows the large forms peers report (pyxform#739: about 1,000 questions, 500
/// calculations and 2,000 constraints): questions of every type in sections, conditions on
/// earlier answers, pipes, calculations chained on questions and on each other, hard and soft
/// checks, and optionally a household roster with aggregates. The output is deterministic.
public struct SyntheticSurvey: Sendable {
    public var questions: Int
    public var calculations: Int
    public var checks: Int
    /// Adds a roster (count from an integer question) with questions, checks and aggregates.
    public var roster: Bool
    /// Questions per section.
    public var sectionSize: Int

    public init(questions: Int = 1_000, calculations: Int = 500, checks: Int = 2_000, roster: Bool = false, sectionSize: Int = 50) {
        self.questions = questions
        self.calculations = calculations
        self.checks = checks
        self.roster = roster
        self.sectionSize = max(1, sectionSize)
    }

    /// 1,000 questions, 500 calculations, 2,000 checks.
    public static let standard = SyntheticSurvey()
    /// Ten times the standard form: 10,000 questions, 5,000 calculations, 20,000 checks.
    public static let tenTimes = SyntheticSurvey(questions: 10_000, calculations: 5_000, checks: 20_000)

    /// The kind of the i-th question.
    enum Kind: Int, CaseIterable { case integer, single, integer2, yesno, multiple, decimal, text }

    static func kind(_ i: Int) -> Kind { Kind(rawValue: i % Kind.allCases.count) ?? .integer }
    static func isInteger(_ i: Int) -> Bool { kind(i) == .integer || kind(i) == .integer2 }

    /// The source text of the questionnaire.
    public func source() -> String {
        var out = """
            # Synthetic questionnaire: \(questions) questions, \(calculations) calculations, \(checks) checks.
            survey synthetic {
              title hu "Szintetikus kérdőív" en "Synthetic questionnaire"
              version "1"
              languages hu en
              specials dk rf
            }

            answers AGREE {
              1 hu "Egyáltalán nem" en "Not at all"
              2 hu "Inkább nem" en "Rather not"
              3 hu "Is-is" en "Neither"
              4 hu "Inkább igen" en "Rather yes"
              5 hu "Teljesen" en "Completely"
            }

            answers PROBLEMS {
              1 hu "zaj" en "noise"
              2 hu "forgalom" en "traffic"
              3 hu "szemét" en "litter"
              96 hu "egyéb" en "other" other
              97 hu "nincs" en "none" exclusive
            }


            """
        out.reserveCapacity(questions * 420)
        let checksPerQuestion = questions > 0 ? checks / questions : 0
        let extraChecks = questions > 0 ? checks % questions : 0
        let calcEvery = calculations > 0 ? max(1, questions / calculations) : Int.max
        var calcsWritten = 0
        var lastInteger: Int? = nil
        var previousInteger: Int? = nil
        for i in 0..<questions {
            if i % sectionSize == 0 {
                if i > 0 { out += "}\n\n" }
                out += "section s\(i / sectionSize) {\n  title hu \"Blokk \(i / sectionSize)\" en \"Block \(i / sectionSize)\"\n"
                if let lastInteger { out += "  when q\(lastInteger) != 99 or not answered(q\(lastInteger))\n" }
            }
            let n = checksPerQuestion + (i < extraChecks ? 1 : 0)
            out += question(i, checks: n, previousInteger: lastInteger)
            if Self.isInteger(i) { (previousInteger, lastInteger) = (lastInteger, i) }
            if calcsWritten < calculations, (i + 1) % calcEvery == 0, let a = lastInteger {
                out += calculation(calcsWritten, a: a, b: previousInteger ?? a)
                calcsWritten += 1
            }
        }
        if questions > 0 { out += "}\n\n" }
        while calcsWritten < calculations {
            out += calculation(calcsWritten, a: lastInteger, b: previousInteger)
            calcsWritten += 1
        }
        if roster { out += rosterSource(countFrom: lastInteger) }
        return out
    }

    private func question(_ i: Int, checks: Int, previousInteger: Int?) -> String {
        let name = "q\(i)"
        var type: String
        var checkCondition: String
        switch Self.kind(i) {
        case .integer, .integer2:
            type = "integer 0..100"
            checkCondition = "\(name) > 90"
        case .single:
            type = "single AGREE"
            checkCondition = "\(name) == 3"
        case .yesno:
            type = "yesno"
            checkCondition = "\(name) == 0"
        case .multiple:
            type = "multiple PROBLEMS"
            checkCondition = "1 in \(name) and 2 in \(name)"
        case .decimal:
            type = "decimal 0.0..1000.0"
            checkCondition = "\(name) > 999.5"
        case .text:
            type = "text"
            checkCondition = "length(\(name)) > 150"
        }
        let pipe = previousInteger.map { " ({q\($0)})" } ?? ""
        var s = "  question \(name) \(type) {\n"
        s += "    text hu \"Ez a(z) \(i). kérdés\(pipe)?\" en \"This is question \(i)\(pipe)?\"\n"
        if i % 3 == 2, let p = previousInteger { s += "    when q\(p) < 95\n" }
        if Self.kind(i) == .text { s += "    optional maxlength 200\n" }
        for c in 0..<checks {
            let severity = c % 2 == 0 ? "error" : "warn"
            var condition = checkCondition
            if c > 0, let p = previousInteger { condition += " and q\(p) > \(c)" }
            s += "    \(severity) if \(condition)\n      hu \"\(i). kérdés: \(c + 1). ellenőrzés\" en \"Question \(i): check \(c + 1)\"\n"
        }
        return s + "  }\n"
    }

    private func calculation(_ j: Int, a: Int?, b: Int?) -> String {
        guard let a, let b else { return "calculate c\(j) = \(j)\n" }
        if j % 2 == 1 { return "  calculate c\(j) = c\(j - 1) * 2 + q\(a)\n" }
        return "  calculate c\(j) = q\(a) + q\(b) { label \"Sum \(j)\" }\n"
    }

    private func rosterSource(countFrom: Int?) -> String {
        var s = """
            question hh_size integer 1..15 {
              nodk
              text hu "Hányan élnek a háztartásban?" en "How many people live in the household?"
            }
            roster mem count hh_size max 15 {
              title hu "Háztartástagok" en "Household members"
              rowlabel hu "{m_name}" en "{m_name}"
              question m_name text { text hu "Neve?" en "Name?" pii maxlength 20 }
              question m_age integer 0..110 {
                text hu "{m_name} életkora?" en "Age of {m_name}?"
                error if row == 1 and m_age < 16 hu "A válaszadó legalább 16 éves." en "The respondent is at least 16."
              }

            """
        for k in 0..<8 {
            s += "  question m_x\(k) integer 0..10 { text hu \"{m_name}: \(k)\" en \"{m_name}: \(k)\" when m_age >= 16 }\n"
        }
        s += "}\n"
        s += "calculate adults = count(mem, answered(m_age) and m_age >= 18)\n"
        s += "calculate total_x = sum(mem, m_x0)\n"
        s += "calculate any_old = any(mem, answered(m_age) and m_age > 80)\n"
        if let countFrom { s += "calculate mixed = adults + q\(countFrom)\n" }
        return s
    }
}
