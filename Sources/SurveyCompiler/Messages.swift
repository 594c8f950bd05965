import SurveyDiagnostics
import SurveyModel

/// Every diagnostic the compiler emits, as named factories, by code (see docs/diagnostics.md).
enum Messages {
    // MARK: E00xx — characters and tokens

    static func invalidUTF8(_ r: SourceRange, more: String) -> Diagnostic {
        Diagnostic(
            "E0001", .error, "the file is not valid UTF-8\(more)", at: r,
            help: "save the file as UTF-8 (questionnaire files must be UTF-8 text)")
    }

    static func unexpectedCharacter(_ c: String, at r: SourceRange) -> Diagnostic {
        let shown = c.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0xFFFD } ? "'\(c)'" : "a control or binary byte"
        return Diagnostic("E0002", .error, "unexpected character \(shown)", at: r)
    }

    static func unterminatedString(_ r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0003", .error, "string is not closed before the end of the line", at: r,
            help: "add the closing '\"'; to continue a long text, close it and start a new string on the next line")
    }

    static func invalidEscape(_ s: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0004", .error, "invalid escape '\(s)' in a string", at: r, help: "use \\\", \\\\, \\n, \\t or \\u{E9}")
    }

    static func invalidNumber(_ s: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0005", .error, "'\(s)' is not a valid number", at: r)
    }

    static func invalidDateTime(_ s: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0006", .error, "'\(s)' is not a valid date or time", at: r, help: "write @YYYY-MM-DD, @HH:MM or @YYYY-MM-DDTHH:MM")
    }

    // MARK: E01xx — syntax and files

    static func expected(_ what: String, found: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0101", .error, "expected \(what), found \(found)", at: r)
    }

    static func nestingTooDeep(_ r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0102", .error,
            "nested too deeply (more than \(Parser.maxNesting) levels, or an expression of more than \(Parser.maxTreeDepth) levels)", at: r,
            help: "split the expression with 'calculate' steps")
    }

    static func includeNotFound(_ path: String, reason: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0103", .error, "cannot read included file '\(path)': \(reason)", at: r,
            help: "include paths are relative to the including file")
    }

    static func includedTwice(_ path: String, at r: SourceRange, first: SourceRange?) -> Diagnostic {
        Diagnostic(
            "E0104", .error, "'\(path)' is included more than once", at: r,
            notes: first.map { [Note("first included here", at: $0)] } ?? [Note("it is the main file")])
    }

    static func missingHeader(_ r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0105", .error, "the main file has no 'survey' header", at: r,
            help: "start the file with: survey NAME { title … version \"…\" languages hu en }")
    }

    static func headerInModule(_ r: SourceRange) -> Diagnostic {
        Diagnostic("E0105", .error, "an included module cannot have a 'survey' header", at: r)
    }

    static func headerNotFirst(_ r: SourceRange) -> Diagnostic {
        Diagnostic("E0105", .error, "the 'survey' header must come first and only once", at: r)
    }

    static func headerIncomplete(_ what: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0105", .error, "the survey header has no \(what)", at: r)
    }

    static func propertyTwice(_ keyword: String, at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic("E0106", .error, "'\(keyword)' is given more than once", at: r, notes: [Note("first given here", at: first)])
    }

    static func propertyNotAllowed(_ keyword: String, on what: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0107", .error, "'\(keyword)' is not allowed on \(what)", at: r)
    }

    static func badPipe(_ message: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0108", .error, message, at: r)
    }

    static func unknownFlag(_ flag: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0107", .error, "'\(flag)' is not allowed here", at: r)
    }

    // MARK: E02xx — types and values

    static func argumentCount(_ fn: String, expected: String, got: Int, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0201", .error, "'\(fn)' takes \(expected), but \(got) \(got == 1 ? "was" : "were") given", at: r)
    }

    static func badPattern(_ pattern: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0202", .error, "'\(pattern)' is not a valid regular expression", at: r)
    }

    static func typeMismatch(_ message: String, at r: SourceRange, help: String? = nil) -> Diagnostic {
        Diagnostic("E0203", .error, message, at: r, help: help)
    }

    static func boundsOrder(_ r: SourceRange) -> Diagnostic {
        Diagnostic("E0204", .error, "the lower bound is above the upper bound", at: r)
    }

    static func rosterCount(_ found: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0205", .error, "a roster count must be an integer, found \(found)", at: r,
            help: "count rows with an integer question, e.g. 'count hh_size'")
    }

    static func rosterCountSpecials(
        _ roster: String, count: String, specials: [SpecialAnswer], at r: SourceRange, declared: SourceRange
    ) -> Diagnostic {
        let which = specials.map { $0 == .dontKnow ? "don't know" : "refused" }.joined(separator: " and ")
        return Diagnostic(
            "W0208", .warning,
            "roster '\(roster)' counts its rows with '\(count)', which accepts \(which): such an answer leaves the roster with no rows",
            at: r, notes: [Note("'\(count)' is declared here", at: declared)],
            help: "add 'nodk' to '\(count)' (a count the rows depend on must always be obtained)")
    }

    static func rosterCountUnbounded(
        _ roster: String, count: String, maxRows: Int, at r: SourceRange, declared: SourceRange
    ) -> Diagnostic {
        Diagnostic(
            "W0208", .warning,
            "roster '\(roster)' counts its rows with '\(count)', which has no constant upper bound", at: r,
            notes: [Note("'\(count)' is declared here", at: declared)],
            help: "give '\(count)' a constant upper bound of at most \(maxRows), the roster's 'max'")
    }

    static func rosterMaxBelowCount(
        _ roster: String, maxRows: Int, count: String, upper: Int, at r: SourceRange, declared: SourceRange
    ) -> Diagnostic {
        Diagnostic(
            "E0209", .error,
            "roster '\(roster)' holds at most \(maxRows) rows, but its count '\(count)' may be up to \(upper)", at: r,
            notes: [Note("'\(count)' is declared here", at: declared)],
            help: "raise the roster's 'max' to \(upper), or lower the upper bound of '\(count)' to \(maxRows)")
    }

    static func notConstant(_ what: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0206", .error, "\(what) must be a whole-number constant", at: r)
    }

    static func badValue(_ message: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0207", .error, message, at: r)
    }

    // MARK: E03xx — texts and languages

    static func missingLanguage(_ lang: String, of what: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0301", .error, "\(what) has no text in '\(lang)'", at: r,
            help: "every text needs one string per declared language")
    }

    static func missingText(_ what: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0301", .error, "\(what) has no text", at: r, help: "add: text hu \"…\" en \"…\"")
    }

    static func textWithoutLanguage(_ r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0302", .error, "this text needs a language code", at: r,
            help: "write hu \"…\" en \"…\"; only a 'label' may be given without one")
    }

    static func unknownLanguage(_ lang: String, declared: [String], at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0303", .error, "'\(lang)' is not a declared language", at: r,
            notes: [Note("the survey declares: \(declared.joined(separator: " "))")])
    }

    static func duplicateLanguage(_ lang: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0304", .error, "the text in '\(lang)' is given twice", at: r)
    }

    // MARK: E04xx — names and scopes

    static func undefined(_ kind: String, _ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
        Diagnostic(
            "E0401", .error, "undefined \(kind) '\(name)'", at: r,
            help: suggestion.map { "did you mean '\($0)'?" },
            fixIts: suggestion.map { [FixIt("replace with '\($0)'", range: r, replacement: $0)] } ?? [])
    }

    static func unknownPipe(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
        Diagnostic(
            "E0402", .error, "'{\(name)}' pipes an unknown variable '\(name)'", at: r,
            help: suggestion.map { "did you mean '\($0)'?" })
    }

    static func duplicate(_ kind: String, _ name: String, at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic("E0403", .error, "\(kind) '\(name)' is already defined", at: r, notes: [Note("first defined here", at: first)])
    }

    static func unknownFunction(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
        Diagnostic("E0404", .error, "unknown function '\(name)'", at: r, help: suggestion.map { "did you mean '\($0)'?" })
    }

    static func outsideRoster(_ name: String, roster: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0405", .error, "'\(name)' belongs to roster '\(roster)' and is used outside it", at: r,
            help: "outside a roster use an aggregate, e.g. count(\(roster), …), sum(\(roster), \(name)), any(\(roster), …)")
    }

    static func outOfContext(_ what: String, where place: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0406", .error, "'\(what)' can only be used \(place)", at: r)
    }

    // MARK: 05xx — answer sets

    static func unusedAnswerSet(_ name: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("W0501", .warning, "answer set '\(name)' is never used", at: r)
    }

    static func unusedPhrase(_ name: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("W0504", .warning, "phrase '\(name)' is never used", at: r)
    }

    static func duplicateCode(_ code: Int, in set: String, at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0502", .error, "code \(code) appears twice in answer set '\(set)'", at: r,
            notes: [Note("first used here", at: first)])
    }

    static func emptyAnswerSet(_ name: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0503", .error, "answer set '\(name)' has no options", at: r)
    }

    static func badBest(_ message: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0505", .error, message, at: r,
            help: "put 'best' after the label of the favourable end, e.g. `10 hu \"Teljesen elégedett\" en \"Completely satisfied\" best`")
    }

    // MARK: E06xx — dependencies

    static func cycle(_ names: [String], at r: SourceRange, notes: [Note]) -> Diagnostic {
        Diagnostic("E0601", .error, "circular dependency: \(names.joined(separator: " → "))", at: r, notes: notes)
    }

    // MARK: 07xx — routing

    static func unreachable(_ what: String, at r: SourceRange, end: SourceRange) -> Diagnostic {
        Diagnostic(
            "W0701", .warning, "\(what) is unreachable", at: r,
            notes: [Note("the interview always ends here", at: end)])
    }

    // MARK: E08xx — export names

    static func invalidName(_ name: String, reason: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0801", .error, "'\(name)' is not a valid variable name: \(reason)", at: r,
            help: "use at most 32 ASCII letters, digits and '_', starting with a letter")
    }

    static func caseClash(_ name: String, other: String, at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0802", .error, "'\(name)' differs from '\(other)' only in case (SPSS and Stata ignore case)", at: r,
            notes: [Note("'\(other)' is defined here", at: first)])
    }

    static func reservedName(_ name: String, tool: String, at r: SourceRange) -> Diagnostic {
        Diagnostic("E0803", .error, "'\(name)' is a reserved word in \(tool)", at: r)
    }

    static func dummyTooLong(_ dummy: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0804", .error,
            "the export variable '\(dummy)' of this multiple choice is longer than 32 characters", at: r,
            help: "shorten the question's name (multiple choice exports one variable per code, <name>_<code>)")
    }

    static func pseudonymNotIdentifier(_ what: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E0805", .error, "'pii pseudonym' is for identifiers, but \(what) is not a text or a whole number", at: r,
            help: "pseudonymise identifiers (a login, an address key); mark other personal data plain 'pii' to leave it out of exports")
    }

    // MARK: 10 fieldwork targets

    static func targetsTwice(at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(
            "E1001", .error, "a survey has one targets block; this is a second one", at: r,
            notes: [Note("the first targets block is here", at: first)], help: "merge the two blocks into one")
    }

    static func cellArity(_ got: Int, variables: [String], at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E1002", .error,
            "this cell has \(got) value\(got == 1 ? "" : "s") but quota '\(variables.joined(separator: " × "))' has \(variables.count) variable\(variables.count == 1 ? "" : "s")",
            at: r, help: "give one value per variable, in the order of the quota line, then '=' and the target")
    }

    static func listedTwice(_ what: String, at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic("E1003", .error, "\(what) is listed twice", at: r, notes: [Note("first listed here", at: first)])
    }

    static func badOutcomeCode(_ message: String, at r: SourceRange, help: String? = nil) -> Diagnostic {
        Diagnostic("E1004", .error, message, at: r, help: help)
    }

    static func outcomeWithoutClass(_ codes: [Int], set: String, at r: SourceRange) -> Diagnostic {
        let list = codes.map(String.init).joined(separator: ", ")
        return Diagnostic(
            "W1005", .warning,
            "outcome code\(codes.count == 1 ? "" : "s") \(list) of answer set '\(set)' \(codes.count == 1 ? "has" : "have") no AAPOR class and will count in no response rate",
            at: r,
            help: "add \(codes.count == 1 ? "it" : "them") to a class: complete, partial, refusal, noncontact, other, unknown or ineligible"
        )
    }

    static func badScope(_ why: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E1007", .error, "this condition cannot limit targets: \(why)", at: r,
            help: "'where' may read only answers to questions and calculations outside rosters, e.g. where sample_source == 1")
    }

    static func completeCodeRule(_ code: Int, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E1008", .error, "\(code) is the 'complete' code: a completed interview always closes its case", at: r,
            help: "leave the complete code out of 'final'; list only codes that keep a case open or need more visits")
    }

    static func unreachableRule(_ why: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "E1009", .error, "this rule can never be met: \(why)", at: r,
            help: "e.g. 23 after 3 visits on different days, 1 from @17:00 or weekend")
    }

    static func missingMadeValue(
        _ calculation: String, variable: String, aggregate: String, roster: String, at r: SourceRange
    ) -> Diagnostic {
        Diagnostic(
            "W0210", .warning,
            "'\(calculation)' has a value even when '\(variable)' is missing: \(aggregate)(\(roster), …) takes a row where its condition is missing (unanswered, don't know, refused) as not matching",
            at: r,
            help:
                "say in the row condition what a missing '\(variable)' means, e.g. 'answered(\(variable)) and …' (such a row does not match) or 'if(…, …, …, m)'"
        )
    }

    static func quotaSum(_ quota: String, sum: Int, total: Int, at r: SourceRange) -> Diagnostic {
        Diagnostic(
            "W1006", .warning, "the cells of quota '\(quota)' add up to \(sum), not the total of \(total)", at: r,
            help: "check the targets, or leave 'total' out if the quota is not meant to cover the whole sample")
    }
}
