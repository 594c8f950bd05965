import Foundation
import InterviewEngine
import SurveyExport
import SurveyModel
import Testing

@testable import Fieldwork

/// Interviews simulated by the real engine on both study questionnaires, merged into a
/// central dataset and exported in every format.
struct RealQuestionnaireExportTests {
    @Test(arguments: ["wellbeing", "energy"])
    func simulatedInterviewsExportOnRouteValuesOnlyAndNoPersonalData(survey: String) throws {
        var f = try CentralFixture(try CentralFixture.questionnaire(survey))
        let runs = try f.simulate(16, seed: 7)
        let index = SurveyIndex(f.compiled.definition)
        let dataset = try CleanedDataset(central: f.central, survey: SurveyID(survey), statuses: .all)
        var notApplicable = 0
        var seen = 0
        _ = try dataset.forEach { record in
            guard let run = runs[record.id] else { return }
            seen += 1
            for (address, answer) in record.answers {
                switch answer {
                case .special(.notApplicable) where !run.interview.isOnRoute(address): notApplicable += 1
                case .value:
                    #expect(
                        run.interview.isOnRoute(address) || address.variable == f.compiled.definition.outcome?.variable,
                        "\(survey) \(record.id): \(address) exported off route")
                default: break
                }
            }
            for (address, stored) in run.interview.offRouteAnswers {
                #expect(
                    record.answers[address] == nil || record.answers[address] == .special(.notApplicable),
                    "\(address) kept its off-route answer \(stored)")
            }
        }
        #expect(seen == runs.count)
        #expect(notApplicable > 0, "the simulations route around some questions")

        // Every format; the simulated phone numbers and e-mail addresses (pii) never in a default export,
        // but present with --pii keep (so the search can fail).
        let pii = Set(
            runs.values.flatMap { run in
                run.interview.exportableAnswers.compactMap { address, answer -> String? in
                    guard index[address.variable]?.question.pii == true, case .value(.text(let t)) = answer else { return nil }
                    return t.count >= 8 && (t.contains(where: \.isNumber) || t.contains("@")) ? t : nil
                }
            })
        func found(_ mode: PIIChoice) throws -> Set<String> {
            let dir = try CentralFixture.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let report = try SurveyExportRun.run(
                try CleanedDataset(central: f.central, survey: SurveyID(survey), statuses: .all),
                ExportRequest(formats: [.csv, .excel, .sav, .dta, .jsonl], codebook: true, pii: mode, directory: dir))
            #expect(report.summary.included == runs.count)
            var found = Set<String>()
            for file in report.files {
                let bytes = try Data(contentsOf: file)
                for value in pii where bytes.range(of: Data(value.utf8)) != nil { found.insert(value) }
            }
            return found
        }
        #expect(!pii.isEmpty, "the simulations recorded personal data")
        #expect(try found(.drop()).isEmpty)
        #expect(try found(.keep) == pii)
    }
}
