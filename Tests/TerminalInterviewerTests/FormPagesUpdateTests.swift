import Fieldwork
import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@testable import TerminalInterviewer

/// The form's pages brought up to date after each answer equal the pages cut whole from the new
/// route: over random answer sequences on the real questionnaires, and through the full screen.
struct FormPagesUpdateTests {
    static let questionnaires = ["questionnaires/energy.survey", "questionnaires/wellbeing.survey", "questionnaires/stakeholders.survey"]

    /// Random answer sequences: mostly the next event of one simulated interview, mixed with
    /// events of two other simulated interviews of the same questionnaire (earlier questions
    /// answered again differently, so routing opens and closes questions, roster counts go up
    /// and down), clears of random answers, and several events between two updates at times.
    @Test(arguments: questionnaires)
    func updatingEqualsCuttingWhole(_ file: String) throws {
        let definition = Scenario.compile(repositoryFile: file)
        let index = SurveyIndex(definition)
        var updates = 0, spliced = 0, routeChanges = 0
        for seed in UInt64(1)...12 {
            var rng = SplitMix64(seed: seed)
            let simulator = InterviewSimulator(definition: definition)
            let runs = (0..<3).map { _ in
                simulator.run(seed: seed, context: Fixture.context, using: &rng).events.map(\.kind).filter(Self.changesTheForm)
            }
            var interview = try Interview(
                definition: definition, started: .started(definition: "h", seed: seed, language: "hu", preload: [:]),
                context: Fixture.context)
            var pages = FormPages(route: interview.route, index: index) { _ in false }
            var changed: [Address] = []
            var next = 0
            for _ in 0..<300 {
                let kind: InterviewEventKind
                let draw = Int.random(in: 0..<10, using: &rng)
                if draw < 6, next < runs[0].count {
                    kind = runs[0][next]
                    next += 1
                } else if draw < 9 {
                    guard let pick = runs.randomElement(using: &rng)?.randomElement(using: &rng) else { continue }
                    kind = pick
                } else {
                    guard let at = interview.route.filter({ interview.answer(at: $0) != nil }).randomElement(using: &rng) else { continue }
                    kind = .cleared(at)
                }
                guard (try? interview.apply(kind, context: Fixture.context)) != nil else { continue }
                if case .answered(let at, _) = kind { changed.append(at) }
                if case .cleared(let at) = kind { changed.append(at) }
                // The screen updates its pages only when it draws: sometimes after several events.
                if Int.random(in: 0..<4, using: &rng) == 0 { continue }
                let current = interview
                let isAnswered = { (a: Address) in current.answer(at: a) != nil }
                let route = interview.route
                let whole = FormPages(route: route, index: index, isAnswered: isAnswered)
                if route != pages.route { routeChanges += 1 }
                if let made = pages.spliced(route: route, answersChanged: changed, index: index, isAnswered: isAnswered) {
                    spliced += 1
                    #expect(made == whole, "\(file) seed \(seed): the spliced pages differ after \(kind)")
                }
                pages = pages.updated(route: route, answersChanged: changed, index: index, isAnswered: isAnswered)
                #expect(pages == whole, "\(file) seed \(seed): the updated pages differ after \(kind)")
                guard pages == whole else { return }
                changed = []
                updates += 1
            }
        }
        // The property is about the incremental path: most updates must take it, and routing
        // must have changed the route often enough to exercise the splice.
        #expect(updates > 1_000)
        #expect(routeChanges > updates / 20, "\(routeChanges) route changes in \(updates) updates")
        #expect(spliced > updates * 3 / 4, "\(spliced) of \(updates) updates spliced")
    }

    static func changesTheForm(_ kind: InterviewEventKind) -> Bool {
        switch kind {
        case .answered, .cleared, .rowAdded, .rowRemoved: true
        default: false
        }
    }

    /// Through the full screen: after answering, going back to change the household size (rows
    /// leave and come back) and clearing, the session's pages are what cutting them whole gives.
    @Test func theSessionsPagesEqualCuttingWhole() throws {
        let screen = MemoryScreen(keys: [])
        let controller = InterviewController(
            interview: try Fixture.interview(), spent: ActiveTime(startedAt: Fixture.start.timestamp), recorder: MemoryRecorder(),
            clock: .stepping(from: Fixture.start), options: SessionOptions(interviewer: "anna", resumeCommand: "x"))
        let session = FullScreenSession(controller: controller, device: screen, interviewID: "x", cases: [])
        controller.start()
        session.absorb()
        func check(_ step: String) {
            let interview = controller.interview
            let whole = FormPages(route: controller.route, index: controller.index) { interview.answer(at: $0) != nil }
            #expect(session.pages == whole, "after \(step)")
        }
        for line in FullScreenTests.toRoster + ["Cili"] {
            controller.enter(line)
            session.absorb()
            check(line)
        }
        // Back to hh_size: 2 (the member to remove is asked for: the third), then 4 (rows come
        // back), then cleared.
        for (line, replies) in [("2", ["3"]), ("4", []), (".t", [])] {
            controller.go(to: Address("hh_size"))
            for typed in [line] + replies {
                controller.enter(typed)
                session.absorb()
            }
            #expect(controller.prompt == nil, "\(controller.prompt?.text ?? "")")
            check("hh_size \(line)")
        }
        #expect(controller.answersChanged(since: 0)?.isEmpty == false)
        #expect(controller.answersChanged(since: controller.revision + 1) == nil)
    }
}
