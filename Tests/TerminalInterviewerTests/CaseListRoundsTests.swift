import Foundation
import InterviewEngine
import SurveyModel
import Testing

@testable import Fieldwork
@testable import TerminalInterviewer

/// The case list's rounds (``CaseListRounds``): the list, a case's interview, the list again
/// with the new statuses — until the fieldworker leaves it, or a signal, lost input or a failing
/// store ends the rounds with the outcome the command exits by. The device's cases and the
/// sessions are stand-ins here; the tmux and end-to-end tests run the real ones.
struct CaseListRoundsTests {
    /// The fixture's cases (W-0007 is final: refused), and sessions ending as `ends` says in turn.
    final class Device {
        var entries = CaseListFixture.entries
        var ends: [SessionEnd]
        /// The cases whose interview ran, and whether each had the list's screen.
        var opened: [(CaseID, Bool)] = []
        var signal: Int32?

        init(_ ends: [SessionEnd], signal: Int32? = nil) {
            self.ends = ends
            self.signal = signal
        }

        func rounds(_ terminal: any Terminal) throws -> CaseListRounds {
            let interview = try Fixture.interview()
            let prepared = PreparedInterview(
                id: "iv-new", interview: interview, startedAt: 0, spent: ActiveTime(startedAt: 0), resumeAt: nil)
            return CaseListRounds(
                cases: { self.entries },
                start: { (id) throws(CaseInterviewError) in
                    if id == "W-0007" { throw .done(id, .final) }
                    return .began(prepared)
                },
                session: { id, _, screen in
                    self.opened.append((id, screen != nil))
                    let end = self.ends.removeFirst()
                    if case .ended = end { self.entries = CaseListReturnTests.afterInterview }
                    if case .interrupted(let signal) = end, signal != 2 { self.signal = signal }
                    return SessionRun(end: end, farewell: ["Vége: \(id)."], resumeCommand: "terep interview --case \(id)")
                }, strings: UIStrings(.hu), terminal: terminal, title: "Esetek", pendingSignal: { self.signal })
        }
    }

    @Test func anEndedInterviewComesBackToTheListAndQLeavesIt() throws {
        let device = Device([.ended(outcome: 11)])
        let screen = MemoryScreen(keys: [.down, .enter, .text("q")])
        let terminal = ScriptedTerminal(lines: [])
        let outcome = try device.rounds(terminal).run(on: screen, entries: device.entries)
        #expect(outcome == .finished)
        #expect(device.opened.map(\.0) == ["W-0002"] && device.opened.allSatisfy(\.1), "on the list's screen")
        #expect(screen.text.contains("W-0002 — Állapota most: kész. Vége: W-0002."), "\(screen.text)")
        #expect(screen.closed && terminal.output.isEmpty)
    }

    @Test func aRefusedCaseIsSaidOnTheListWhichGoesOn() throws {
        let device = Device([])
        let screen = MemoryScreen(keys: Array(repeating: .down, count: 6) + [.enter, .escape])
        #expect(try device.rounds(ScriptedTerminal(lines: [])).run(on: screen, entries: device.entries) == .finished)
        #expect(device.opened.isEmpty)
        #expect(screen.text.contains("A(z) W-0007 eset lezárt: nincs vele teendő."), "\(screen.text)")
    }

    /// `.q`, and Ctrl-C answered yes (no signal arrived), come back to the list; a signal stops
    /// the rounds: the screen closed first, then what the session said and how to resume.
    @Test func leavingAnInterviewComesBackAndASignalStopsTheRounds() throws {
        let device = Device([.savedAndQuit, .interrupted(2), .interrupted(15)])
        let screen = MemoryScreen(keys: [.enter, .down, .enter, .down, .enter, .text("q")])
        let terminal = ScriptedTerminal(lines: [])
        let outcome = try device.rounds(terminal).run(on: screen, entries: device.entries)
        #expect(outcome == .interrupted(15))
        #expect(device.opened.map(\.0) == ["W-0001", "W-0002", "W-0003"])
        #expect(screen.closed)
        #expect(terminal.output.hasPrefix("Vége: W-0003.\n"), "\(terminal.output)")
        #expect(terminal.output.contains("terep interview --case W-0003"), "how to resume: \(terminal.output)")
    }

    @Test func aFailingStoreOrAListStoppedBySignalEndsTheRounds() throws {
        let failing = Device([.storageFailed("disk full")])
        let terminal = ScriptedTerminal(lines: [])
        #expect(try failing.rounds(terminal).run(on: MemoryScreen(keys: [.enter]), entries: failing.entries) == .storageFailed)
        #expect(terminal.output.contains("terep interview --case W-0001"), "\(terminal.output)")

        let stopped = Device([], signal: 1)
        let screen = MemoryScreen(keys: [.enter])
        #expect(try stopped.rounds(ScriptedTerminal(lines: [])).run(on: screen, entries: stopped.entries) == .interrupted(1))
        #expect(stopped.opened.isEmpty && screen.closed)
    }

    /// The line view: a case by number, the list again with a line saying what changed, a
    /// refused case said and the list asked again, q leaves; a signal at the prompt stops.
    @Test func theLineViewListsPicksAndComesBack() throws {
        let device = Device([.ended(outcome: 11)])
        let terminal = ScriptedTerminal(lines: ["2", "7", "q"])
        #expect(try device.rounds(terminal).runPlain(entries: device.entries) == .finished)
        #expect(device.opened.map(\.0) == ["W-0002"] && !device.opened[0].1, "no screen on the line view")
        #expect(terminal.output.contains("\nW-0002 — Állapota most: kész.\n"), "\(terminal.output)")
        #expect(terminal.output.contains("A(z) W-0007 eset lezárt: nincs vele teendő."))

        let signalled = ScriptedTerminal(lines: [], ending: .interrupted(15))
        #expect(try Device([]).rounds(signalled).runPlain(entries: device.entries) == .interrupted(15))
        #expect(try Device([]).rounds(ScriptedTerminal(lines: [])).runPlain(entries: device.entries) == .finished)
    }

    /// What each end of a session means for the command, and what is said about it.
    @Test func aSessionsEndIsTheCommandsOutcome() {
        let strings = UIStrings(.en)
        func close(_ end: SessionEnd) -> (InterviewOutcome, String) {
            let terminal = ScriptedTerminal(lines: [])
            let outcome = SessionRun(end: end, farewell: [], resumeCommand: "terep interview --resume X").close(
                strings: strings, terminal: terminal)
            return (outcome, terminal.output)
        }
        #expect(close(.ended(outcome: 11)) == (.finished, ""))
        #expect(close(.savedAndQuit).0 == .finished && close(.savedAndQuit).1.contains("terep interview --resume X"))
        #expect(close(.endOfInput).0 == .finished && close(.endOfInput).1.hasPrefix(strings.endOfInput))
        #expect(close(.interrupted(15)).0 == .interrupted(15) && close(.interrupted(15)).1.contains(strings.interrupted(15)))
        #expect(close(.storageFailed("full")).0 == .storageFailed)
    }
}
