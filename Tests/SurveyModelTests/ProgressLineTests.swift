import SurveyModel
import Testing

/// The progress line of long work: drawn in place, throttled, cleared, and nothing when silent.
struct ProgressLineTests {
    final class Capture {
        var written: [String] = []
    }

    @Test func silentWritesNothing() {
        let line = ProgressLine.silent
        line.update("merging", done: 1, of: 2, "events")
        line.finish()
        #expect(!line.isShown)
    }

    @Test func drawsInPlaceAndClearsAtTheEnd() {
        let capture = Capture()
        let line = ProgressLine(write: { capture.written.append($0) }, interval: .zero)
        line.update("exporting", done: 50, of: 200, "interviews")
        line.update("exporting", done: 200, of: 200, "interviews")
        line.finish()
        line.finish()
        #expect(
            capture.written == [
                "\rexporting: 50/200 interviews (25 %)\u{1B}[K", "\rexporting: 200/200 interviews (100 %)\u{1B}[K", "\r\u{1B}[K",
            ])
    }

    @Test func drawsAtMostOncePerInterval() {
        let capture = Capture()
        let line = ProgressLine(write: { capture.written.append($0) }, interval: .seconds(3600))
        var made = 0
        for i in 1...1000 {
            line.update(
                {
                    made += 1; return "simulating: \(i)"
                }())
        }
        // The first update draws; the rest fall within the hour and are not even formatted.
        #expect(capture.written == ["\rsimulating: 1\u{1B}[K"])
        #expect(made == 1)
    }

    @Test func finishWithoutAnyLineWritesNothing() {
        let capture = Capture()
        ProgressLine(write: { capture.written.append($0) }).finish()
        #expect(capture.written.isEmpty)
    }

    @Test func textWithAndWithoutTotal() {
        #expect(ProgressLine.text("cleaning", done: 3, of: 7, "interviews") == "cleaning: 3/7 interviews (42 %)")
        #expect(ProgressLine.text("reading", done: 3, of: nil, "lines") == "reading: 3 lines")
        #expect(ProgressLine.text("reading", done: 3, of: 0, "lines") == "reading: 3 lines")
        #expect(ProgressLine.text("merging", done: 12, of: 10, "events") == "merging: 12/10 events (100 %)")
    }
}
