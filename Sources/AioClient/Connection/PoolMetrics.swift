import CoreMetrics
import HTTPTypes

/// What a session reports to swift-metrics when its connector has a factory
/// (``ClientConnector/metricsFactory``): the pool's connections, idle ones and waiting
/// requests as gauges, and each request's time to its response head as a timer by method and
/// status (`error` when it failed).
struct PoolMetrics: Sendable {
    /// The pool's numbers at one moment.
    struct Snapshot {
        let open: Int
        let idle: Int
        let waiters: Int
    }

    private let open: Gauge
    private let idle: Gauge
    private let waiters: Gauge
    private let factory: any MetricsFactory

    init(factory: any MetricsFactory) {
        self.factory = factory
        self.open = Gauge(label: "aio_client_connections", factory: factory)
        self.idle = Gauge(label: "aio_client_idle_connections", factory: factory)
        self.waiters = Gauge(label: "aio_client_waiting_requests", factory: factory)
    }

    func record(_ snapshot: Snapshot) {
        self.open.record(snapshot.open)
        self.idle.record(snapshot.idle)
        self.waiters.record(snapshot.waiters)
    }

    /// Records a request of `method` that took `duration` to its response head (`status`), or
    /// failed (nil).
    func recordRequest(_ method: HTTPRequest.Method, status: HTTPResponse.Status?, duration: Duration) {
        let timer = Timer(
            label: "aio_client_request_duration",
            dimensions: [("method", method.rawValue), ("status", status.map { String($0.code) } ?? "error")],
            factory: self.factory
        )
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
