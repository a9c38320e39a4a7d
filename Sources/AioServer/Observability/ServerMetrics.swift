import Metrics

/// The server's swift-metrics instruments, made once per server: requests by status class,
/// request durations and open connections. Without a bootstrapped metrics backend they are not
/// even called.
struct ServerMetrics: Sendable {
    /// Whether a metrics backend receives what is recorded.
    let isRecording: Bool
    private let requests: [Counter]
    private let duration: Timer
    private let connections: Meter

    init(factory: any MetricsFactory) {
        self.isRecording = !(factory is NOOPMetricsHandler)
        self.requests = ["1xx", "2xx", "3xx", "4xx", "5xx"].map {
            Counter(label: "aio_http_requests_total", dimensions: [("status", $0)], factory: factory)
        }
        self.duration = Timer(label: "aio_http_request_duration_seconds", dimensions: [], factory: factory)
        self.connections = Meter(label: "aio_http_open_connections", dimensions: [], factory: factory)
    }

    func requestFinished(status: Int, nanoseconds: Int64) {
        guard self.isRecording else { return }
        let index = min(max(status / 100, 1), 5) - 1
        self.requests[index].increment()
        self.duration.recordNanoseconds(nanoseconds)
    }

    func connectionOpened() {
        if self.isRecording { self.connections.increment() }
    }

    func connectionClosed() {
        if self.isRecording { self.connections.decrement() }
    }
}
