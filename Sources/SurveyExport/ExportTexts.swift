import SurveyModel

/// The questionnaire's texts as exports show them, in one language: variable labels, question
/// texts and instructions without piping syntax (a pipe `{district}` becomes the piped
/// variable's label in brackets, `[Városrész]`), and the labels terep adds itself.
struct ExportTexts {
    let index: SurveyIndex
    let language: LanguageCode

    init(_ definition: SurveyDefinition, language: LanguageCode) {
        self.index = SurveyIndex(definition)
        self.language = language
    }

    init(index: SurveyIndex, language: LanguageCode) {
        self.index = index
        self.language = language
    }

    /// A localised text in the export language (falling back to the survey's languages).
    func text(_ t: LocalizedText?) -> String? { t?.text(in: language, fallbacks: index.definition.languages) }

    /// A text with every pipe replaced by the piped variable's label in brackets.
    func plain(_ t: LocalizedText?) -> String? {
        guard let raw = text(t) else { return nil }
        return TextTemplate.parse(raw).template.render { name, _ in "[\(label(of: name))]" }
    }

    /// The export label of a question: its `label`, else its text, else its name; an "other,
    /// specify" text is labelled after its question ("Lakás típusa: egyéb, éspedig").
    func label(of name: VariableName) -> String {
        guard let q = index[name]?.question else { return name.rawValue }
        if let parent = q.otherOf {
            let hu = language.rawValue == "hu"
            return "\(label(of: parent)): \(hu ? "egyéb, éspedig" : "other, specified")"
        }
        if let label = text(q.label), !label.isEmpty { return label }
        if let question = plain(q.text), !question.isEmpty { return question }
        return name.rawValue
    }
}
