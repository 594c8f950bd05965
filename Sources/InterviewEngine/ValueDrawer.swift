import SurveyModel

/// Draws a plausible value for a question from its evaluated range, options and pattern.
enum ValueDrawer {
    static func draw<G: RandomNumberGenerator>(_ q: Question, at: Address, in interview: Interview, _ rng: inout G) -> Value? {
        let (lo, hi) = interview.range(at: at)
        switch q.kind {
        case .singleChoice:
            return interview.options(at: at).randomElement(using: &rng).map { .choice($0.code) }
        case .multipleChoice(_, let minCount, let maxCount):
            let options = interview.options(at: at)
            let exclusive = options.filter(\.exclusive)
            if let only = exclusive.randomElement(using: &rng), Double.random(in: 0..<1, using: &rng) < 0.1 {
                return .choices([only.code])
            }
            let pool = options.filter { !$0.exclusive }.shuffled(using: &rng)
            let least = max(1, minCount ?? 1), most = min(pool.count, maxCount ?? pool.count)
            guard least <= most else { return exclusive.first.map { .choices([$0.code]) } }
            let k = Int.random(in: least...min(most, least + 2), using: &rng)
            return .choices(normalizing: pool.prefix(k).map(\.code))
        case .integer, .scale:
            let a = lo.flatMap(Interview.integer) ?? 0
            let b = hi.flatMap(Interview.integer) ?? a + 100
            guard a <= b else { return nil }
            return .integer(Int.random(in: a...b, using: &rng))
        case .decimal(_, _, let places):
            let a = lo.flatMap(Interview.double) ?? 0
            let b = hi.flatMap(Interview.double) ?? a + 1000
            guard a <= b else { return nil }
            var scale = 1.0
            for _ in 0..<max(0, places) { scale *= 10 }
            let x = (Double.random(in: a...b, using: &rng) * scale).rounded() / scale
            return .decimal(min(max(x, a), b))
        case .text(let maxLength, let pattern):
            if let pattern { return PatternText.generate(pattern, using: &rng).map(Value.text) }
            let words = ["alma", "körte", "szilva", "Miskolc", "utca", "ház", "kert", "fűtés", "energia"]
            var text = ""
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                guard let w = words.randomElement(using: &rng) else { break }
                text += (text.isEmpty ? "" : " ") + w
            }
            return .text(String(text.prefix(maxLength)))
        case .date:
            let today = interview.context.today
            let a = { if case .date(let d)? = lo { d } else { today.adding(days: -365 * 80) } }()
            let b = { if case .date(let d)? = hi { d } else { today } }()
            guard a <= b else { return nil }
            return .date(LocalDate(daysSinceEpoch: Int.random(in: a.daysSinceEpoch...b.daysSinceEpoch, using: &rng)))
        case .time:
            return .time(TimeOfDay(hour: Int.random(in: 0...23, using: &rng), minute: Int.random(in: 0...59, using: &rng)))
        case .datetime:
            let now = LocalDateTime(date: interview.context.today, time: interview.context.now)
            let a = { if case .datetime(let t)? = lo { t } else { now.adding(seconds: -86_400 * 365) } }()
            let b = { if case .datetime(let t)? = hi { t } else { now } }()
            guard a <= b else { return nil }
            return .datetime(LocalDateTime(seconds: Int.random(in: a.seconds...b.seconds, using: &rng) / 60 * 60))
        case .note, .calculated:
            return nil
        }
    }
}
