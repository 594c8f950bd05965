/// Which figures of one interviewer the renderers mark as needing attention.
///
/// A value is flagged when the report carries an alert of its kind about the interviewer, and
/// for speeders and off-hours interviews also whenever there is at least one; a median is
/// flagged when it is below the speeder limit.
struct InterviewerFlags: Hashable, Sendable {
    var median = false
    var nonResponse = false
    var speeders = false
    var outsideHours = false

    init(_ figures: InterviewerFigures, in report: FieldworkReport) {
        func alerted(_ kind: ReportAlert.Kind) -> Bool {
            report.alerts.contains { $0.kind == kind && $0.subject == figures.interviewer }
        }
        if let median = figures.medianMinutes, let limit = report.sync.speederMinutes, median.isFinite {
            self.median = median < limit
        }
        nonResponse = alerted(.interviewerNonResponse)
        speeders = figures.speeders > 0 || alerted(.speeder)
        outsideHours = figures.outsideHours > 0 || alerted(.outsideHours)
    }
}

extension FieldworkReport {
    /// Whether the report has an alert of this kind about this subject.
    func hasAlert(_ kind: ReportAlert.Kind, about subject: String) -> Bool {
        alerts.contains { $0.kind == kind && $0.subject == subject }
    }

    /// The largest count the progress chart must fit: completes, the expected line, the target.
    var progressScaleMaximum: Double {
        let cumulative = progress.days.map { Double($0.cumulative) }.max() ?? 0
        let expected = progress.days.compactMap(\.expected).filter(\.isFinite).max() ?? 0
        let target = progress.target.map(Double.init) ?? 0
        return max(cumulative, expected, target, Double(progress.completed))
    }
}

extension InterviewerFigures {
    /// Don't-know share of the answers given (nil without answers).
    var dontKnowShare: Double? { answers == 0 ? nil : Double(dontKnow) / Double(answers) }
    /// Refused share of the answers given (nil without answers).
    var refusedShare: Double? { answers == 0 ? nil : Double(refused) / Double(answers) }
}
