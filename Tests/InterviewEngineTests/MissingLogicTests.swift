import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("A missing input never silently becomes a value (format 2)")
struct MissingLogicTests {
    static let source = """
        survey missing {
          title en "Missing"
          version "1"
          languages en
          specials dk rf
        }
        section A {
          title en "A"
          question birth_year integer 1900..2010 { text en "Year of birth?" }
          calculate age = 2026 - birth_year
          calculate age_grp = if(age < 30, 1, if(age < 45, 2, if(age < 65, 3, 4)))
          calculate age_grp_or_9 = if(age < 30, 1, if(age < 45, 2, if(age < 65, 3, 4, 9), 9), 9)
          question x integer 0..10 { text en "x?" }
          question y integer 0..10 { text en "y?" }
          calculate both = x > 5 and y > 5
          calculate either = x > 5 or y > 5
          calculate listed = x in (1, 2)
          calculate known_low = answered(x) and x < 3
        }
        """

    @Test("the study's nested if: missing when the year of birth is don't know, refused or unanswered")
    func ageGroup() {
        var s = Scenario(source: Self.source)
        #expect(s.value("age_grp") == nil, "unanswered")
        #expect(s.value("age_grp_or_9") == .integer(9), "the fourth argument says what missing gives")
        s.dk("birth_year")
        #expect(s.value("age_grp") == nil)
        s.refuse("birth_year")
        #expect(s.value("age_grp") == nil)
        s.answer("birth_year", 1950)
        #expect(s.value("age_grp") == .integer(4))
        s.answer("birth_year", 2000)
        #expect(s.value("age_grp") == .integer(1))
        #expect(s.value("age_grp_or_9") == .integer(1))
    }

    @Test("and, or, in: false and true decide, otherwise missing stays missing")
    func threeValuedLogic() {
        var s = Scenario(source: Self.source)
        #expect(s.value("both") == nil && s.value("either") == nil && s.value("listed") == nil)
        #expect(s.value("known_low") == .boolean(false), "answered() is never missing")
        s.answer("y", 2)
        #expect(s.value("both") == .boolean(false), "false and missing is false")
        #expect(s.value("either") == nil, "false or missing is missing")
        s.answer("y", 8)
        #expect(s.value("both") == nil, "true and missing is missing")
        #expect(s.value("either") == .boolean(true), "true or missing is true")
        s.dk("x")
        #expect(s.value("listed") == nil)
        #expect(s.value("known_low") == nil, "a don't know is answered, but its value is missing")
        s.answer("x", 2)
        #expect(s.value("listed") == .boolean(true) && s.value("known_low") == .boolean(true))
    }

    @Test("the well-being study: age_grp is missing for non-interviews")
    func wellbeingAgeGroup() throws {
        let definition = Scenario.compile(repositoryFile: "questionnaires/wellbeing.survey")
        #expect(definition.format == SurveyDefinition.currentFormat)
        let s = Scenario(definition)
        #expect(s.value("age_grp") == nil, "an interview that never reaches birth_year (a non-interview) has no age group")
        var legacy = definition
        legacy.format = 1
        #expect(Scenario(legacy).value("age_grp") == .integer(4), "format 1 gave 65+, as the issue found")
    }

    @Test("the energy study: resp_age3 is missing while row 1's age is missing")
    func energyRespondentAgeGroup() throws {
        let definition = Scenario.compile(repositoryFile: "questionnaires/energy.survey")
        let s = Scenario(definition)
        #expect(s.value("resp_age3") == nil)
    }
}
