import Testing

@testable import aio

/// What `aio get` shows a person at a terminal: coloured JSON and a progress line.
@Suite("Terminal output")
struct TerminalOutputTests {
    @Test func jsonIsColouredByRole() {
        let painted = JSONColours.paint(#"{"a\"b" : "x:y", "n": -1.5e3, "t": [true, null, false]}"#)
        let (key, string, number, literal, reset) = ("\u{1B}[34m", "\u{1B}[32m", "\u{1B}[36m", "\u{1B}[35m", "\u{1B}[0m")
        #expect(painted == "{\(key)\"a\\\"b\"\(reset) : \(string)\"x:y\"\(reset), \(key)\"n\"\(reset): \(number)-1.5e3\(reset), "
            + "\(key)\"t\"\(reset): [\(literal)true\(reset), \(literal)null\(reset), \(literal)false\(reset)]}")
        // Without the colours, the text is what it was.
        #expect(painted.replacing(/\u{1B}\[[0-9]+m/, with: "") == #"{"a\"b" : "x:y", "n": -1.5e3, "t": [true, null, false]}"#)
    }

    @Test func progressLines() {
        #expect(ProgressBar.size(512) == "512 B")
        #expect(ProgressBar.size(1536) == "1.5 KiB")
        #expect(ProgressBar.size(3 << 30) == "3.0 GiB")
        #expect(
            ProgressBar.line(label: "download", done: 25 << 20, total: 100 << 20, elapsed: .seconds(5))
                == "download  25.0 MiB / 100.0 MiB  25%  5.0 MiB/s  ETA 0:15"
        )
        #expect(ProgressBar.line(label: "upload", done: 2048, total: nil, elapsed: .seconds(2)) == "upload  2.0 KiB  1.0 KiB/s")
        #expect(ProgressBar.line(label: "download", done: 10, total: 10, elapsed: .seconds(1)) == "download  10 B / 10 B  100%  10 B/s")
    }
}
