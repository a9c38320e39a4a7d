import Foundation
import Synchronization

/// A transfer's progress on standard error, as httpie and curl show it when standard error is a
/// terminal: bytes so far (of the total when known), the rate, and the time left. Redrawn at
/// most ten times a second on one line; ``finish()`` ends the line.
final class ProgressBar: Sendable {
    private struct State {
        var done = 0
        var total: Int?
        var drawn: ContinuousClock.Instant?
    }

    private let label: String
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(label: String) {
        self.label = label
    }

    /// Sets the size the transfer will have, when it becomes known.
    func expect(_ total: Int?) {
        self.state.withLock { $0.total = total }
    }

    /// Counts `bytes` more, redrawing when the last drawing is 100 ms old.
    func advance(by bytes: Int) {
        let now = ContinuousClock.now
        let line = self.state.withLock { state -> String? in
            state.done += bytes
            if let drawn = state.drawn, now - drawn < .milliseconds(100) { return nil }
            state.drawn = now
            return Self.line(label: self.label, done: state.done, total: state.total, elapsed: now - self.started)
        }
        if let line { FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8)) }
    }

    /// Draws the final figures and ends the line.
    func finish() {
        let (done, total) = self.state.withLock { ($0.done, $0.total) }
        let line = Self.line(label: self.label, done: done, total: total, elapsed: ContinuousClock.now - self.started)
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K\n").utf8))
    }

    /// `label  12.3 MiB / 100.0 MiB  12%  4.1 MiB/s  ETA 0:21`; without the total, the bytes and
    /// the rate.
    static func line(label: String, done: Int, total: Int?, elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var parts = [label, total.map { "\(Self.size(done)) / \(Self.size($0))" } ?? Self.size(done)]
        if let total, total > 0 {
            parts.append("\(min(100, done * 100 / total))%")
        }
        parts.append("\(Self.size(Int(rate)))/s")
        if let total, rate > 0, done < total {
            let left = Int((Double(total - done) / rate).rounded(.up))
            parts.append("ETA \(left / 60):\(String(format: "%02d", left % 60))")
        }
        return parts.joined(separator: "  ")
    }

    /// `bytes` in B, KiB, MiB or GiB, one decimal above bytes.
    static func size(_ bytes: Int) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: "%.1f %@", value, units[unit])
    }
}
