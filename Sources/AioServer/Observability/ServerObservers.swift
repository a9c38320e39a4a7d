import CoreMetrics
import HTTPTypes
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What watches a server's requests: metrics always, the access log when configured.
struct ServerObservers: Sendable {
    let metrics: ServerMetrics
    let accessLog: AccessLogFormat?
    let accessLogger: Logger

    init(accessLog: AccessLogFormat?, accessLogger: Logger, metricsFactory: any MetricsFactory) {
        self.metrics = ServerMetrics(factory: metricsFactory)
        self.accessLog = accessLog
        self.accessLogger = accessLogger
    }

    /// Whether anything watches requests: without, a request's arrival time is not even read.
    var isRecording: Bool { self.metrics.isRecording || self.accessLog != nil }

    /// Records a finished response.
    func requestFinished(_ state: ResponseState, remoteAddress: SocketAddress?) {
        guard self.isRecording else { return }
        let now = NIODeadline.now()
        self.metrics.requestFinished(status: state.status, nanoseconds: (now - state.started).nanoseconds)
        guard let format = self.accessLog, let request = state.loggedRequest else { return }
        let elapsedSeconds = Int((now - state.started).nanoseconds / 1_000_000_000)
        let entry = AccessLogFormat.Entry(
            remoteAddress: remoteAddress,
            started: (wall: time(nil) - elapsedSeconds, monotonic: state.started),
            request: .init(
                line: "\(request.request.method.rawValue) \(request.target) \(request.version)",
                fields: request.request.headerFields
            ),
            status: state.status,
            bodySize: state.headBytes + state.written,
            responseFields: state.responseFields ?? HTTPFields()
        )
        self.accessLogger.info("\(format.render(entry, now: now))")
    }
}
