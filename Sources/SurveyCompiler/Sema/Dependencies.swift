import SurveyDiagnostics
import SurveyModel

extension Analyzer {
    /// Finds cycles among calculations and route conditions (E0601, one note per edge). The
    /// compiler keeps no dependency graph beyond this check: the engine derives the one graph
    /// it re-evaluates by from the lowered expressions.
    ///
    /// Iterative depth-first search in declaration order, so deep chains cannot overflow the stack.
    mutating func checkCycles() {
        enum Mark { case active, done }
        var marks: [String: Mark] = [:]
        var reported: Set<[String]> = []
        for root in variableOrder where marks[root] == nil {
            // Stack of (node, index of next edge to follow).
            var stack: [(String, Int)] = [(root, 0)]
            marks[root] = .active
            while let (node, next) = stack.last {
                let out = edges[node] ?? []
                guard next < out.count else {
                    stack.removeLast()
                    marks[node] = .done
                    continue
                }
                stack[stack.count - 1].1 = next + 1
                let target = out[next].name
                guard variables[target] != nil else { continue }
                switch marks[target] {
                case nil:
                    marks[target] = .active
                    stack.append((target, 0))
                case .active:
                    reportCycle(stack: stack.map(\.0), closingAt: target, reported: &reported)
                case .done:
                    break
                }
            }
        }
    }

    private mutating func reportCycle(stack: [String], closingAt target: String, reported: inout Set<[String]>) {
        guard let start = stack.lastIndex(of: target) else { return }
        let path = Array(stack[start...]) + [target]
        let key = Array(Set(path)).sorted()
        guard reported.insert(key).inserted, reported.count <= 50 else { return }
        var notes: [Note] = []
        for (a, b) in zip(path, path.dropFirst()) {
            let range = edges[a]?.first { $0.name == b }?.range
            notes.append(Note("'\(a)' depends on '\(b)' here", at: range))
        }
        let at = variables[path[0]]?.range ?? notes.first?.range
        guard let at else { return }
        report(Messages.cycle(path, at: at, notes: notes))
    }
}
