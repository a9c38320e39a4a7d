import AioMultipart
import AioServer
import HTTPTypes
import Logging
import NIOConcurrencyHelpers

/// A web application, as aiohttp's `web.Application`: a router, middlewares, typed state,
/// sub-applications and the signals of its life (startup, shutdown, cleanup, response
/// preparation, request start and end).
///
/// Configure it, then run it; once started it is frozen: routes, middlewares, sub-applications
/// and signal receivers can no longer be added.
///
/// ```swift
/// let app = Application()
/// app.router.get("/") { _ in .text("Hello, world") }
/// try await app.run(configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
/// ```
public final class Application: Sendable {
    /// The routes.
    public let router = Router()
    /// Called when the application starts, before the first request.
    public let onStartup = Signal<@Sendable (Application) async throws -> Void>(name: "onStartup")
    /// Called when the server stops accepting requests.
    public let onShutdown = Signal<@Sendable (Application) async throws -> Void>(name: "onShutdown")
    /// Called after shutdown, to release resources.
    public let onCleanup = Signal<@Sendable (Application) async throws -> Void>(name: "onCleanup")
    /// Called with each response before its head is sent; receivers may change it.
    public let onResponsePrepare = Signal<@Sendable (Request, inout Response) async throws -> Void>(name: "onResponsePrepare")
    /// Called when a request arrives, before routing (aiohttp's `PreSignal`, for tracing).
    public let onRequestStart = Signal<@Sendable (Request) async -> Void>(name: "onRequestStart")
    /// Called when a response is ready (aiohttp's `PostSignal`).
    public let onRequestEnd = Signal<@Sendable (Request, Response) async -> Void>(name: "onRequestEnd")
    /// Setup and teardown pairs (aiohttp's `cleanup_ctx`): each receiver sets up at startup and
    /// returns its teardown, run at cleanup in reverse order.
    public let cleanupContext = Signal<@Sendable (Application) async throws -> (@Sendable () async throws -> Void)>(
        name: "cleanupContext"
    )
    /// The most a request body read whole may hold (1 MiB, as aiohttp's `client_max_size`).
    public let clientMaxSize: Int
    /// Limits for multipart bodies read by ``Request/post()`` and ``Request/multipart()``.
    public let multipart: MultipartConfiguration
    /// Whether a 500 carries the error's description (never in production).
    public let debug: Bool
    let logger: Logger

    private struct State {
        var middlewares: [Middleware]
        var subapps: [(prefix: String, app: Application)] = []
        var values: [StateKey: any Sendable] = [:]
        var frozen: FrozenApplication?
        var teardowns: [@Sendable () async throws -> Void] = []
    }

    private let state: NIOLockedValueBox<State>

    /// An application with `middlewares` (outermost first).
    public init(
        middlewares: [Middleware] = [],
        clientMaxSize: Int = 1 << 20,
        multipart: MultipartConfiguration = MultipartConfiguration(),
        debug: Bool = false,
        logger: Logger = Logger(label: "aio.web")
    ) {
        self.state = NIOLockedValueBox(State(middlewares: middlewares))
        self.clientMaxSize = clientMaxSize
        self.multipart = multipart
        self.debug = debug
        self.logger = logger
    }

    /// Adds a middleware inside the ones already there.
    public func use(_ middleware: Middleware) throws {
        try self.state.withLockedValue { state in
            guard state.frozen == nil else { throw FrozenApplicationError(what: "a middleware") }
            state.middlewares.append(middleware)
        }
    }

    /// Adds a middleware running `body` inside the ones already there.
    public func use(_ body: @escaping @Sendable (Request, _ next: Handler) async throws -> Response) throws {
        try self.use(Middleware(body))
    }

    /// Mounts `application` under `prefix` (`/admin`): its routes answer `/admin/...`, inside
    /// this application's middlewares and then its own.
    public func addSubapp(_ prefix: String, _ application: Application) throws {
        guard prefix.hasPrefix("/"), !prefix.hasSuffix("/") || prefix == "/" else {
            throw RouteError(pattern: prefix, reason: "a sub-application prefix starts with / and does not end with one")
        }
        try self.state.withLockedValue { state in
            guard state.frozen == nil else { throw FrozenApplicationError(what: "a sub-application") }
            state.subapps.append((prefix, application))
        }
    }

    /// Typed state, as aiohttp's `app[key]`.
    public subscript<Value>(key: AppKey<Value>) -> Value? {
        get { self.state.withLockedValue { $0.values[key.storageKey] as? Value } }
        set { self.state.withLockedValue { $0.values[key.storageKey] = newValue } }
    }

    /// Whether the application has started.
    public var isFrozen: Bool { self.state.withLockedValue { $0.frozen != nil } }

    /// Compiles routes and middlewares and freezes signals, here and in sub-applications; the
    /// application can then serve requests. Running it does this first.
    @discardableResult
    public func freeze() throws -> FrozenApplication {
        if let frozen = self.state.withLockedValue({ $0.frozen }) { return frozen }
        let (middlewares, subapps) = self.state.withLockedValue { ($0.middlewares, $0.subapps) }
        let frozenSubapps = try subapps.map { (prefix: $0.prefix, app: try $0.app.freeze()) }
        let router = try self.router.compile(subapps: frozenSubapps)
        for signal in [self.onStartup, self.onShutdown, self.onCleanup] { signal.freeze() }
        self.onResponsePrepare.freeze()
        self.onRequestStart.freeze()
        self.onRequestEnd.freeze()
        self.cleanupContext.freeze()
        let frozen = FrozenApplication(application: self, router: router, middlewares: middlewares)
        return self.state.withLockedValue { state in
            if let existing = state.frozen { return existing }
            state.frozen = frozen
            return frozen
        }
    }

    /// Runs the startup signal and the setup halves of the cleanup context, here and then in
    /// sub-applications.
    ///
    /// Uploads spooled by an earlier process that was killed before it could remove them are
    /// removed first.
    public func startup() async throws {
        try self.freeze()
        try await UploadedForm.removeLeftovers(in: self.multipart.temporaryDirectory)
        try await self.onStartup.send(self)
        for setup in self.cleanupContext.receivers {
            let teardown = try await setup(self)
            self.state.withLockedValue { $0.teardowns.append(teardown) }
        }
        for (_, application) in self.state.withLockedValue({ $0.subapps }) {
            try await application.startup()
        }
    }

    /// Runs the shutdown signal, here and in sub-applications.
    public func shutdown() async throws {
        for (_, application) in self.state.withLockedValue({ $0.subapps }) {
            try await application.shutdown()
        }
        try await self.onShutdown.send(self)
    }

    /// Runs the cleanup signal and the teardowns of the cleanup context in reverse order, here
    /// and in sub-applications.
    public func cleanup() async throws {
        for (_, application) in self.state.withLockedValue({ $0.subapps }) {
            try await application.cleanup()
        }
        try await self.onCleanup.send(self)
        let teardowns = self.state.withLockedValue { state in
            defer { state.teardowns = [] }
            return state.teardowns
        }
        for teardown in teardowns.reversed() { try await teardown() }
    }

    /// Whether some route answers `path` (percent-encoded) for `method`, once frozen: for
    /// middlewares that try alternatives, such as ``Middlewares/normalizePath(appendSlash:removeSlash:mergeSlashes:)``.
    public func resolves(_ method: HTTPRequest.Method, path: String) -> Bool {
        guard let frozen = self.state.withLockedValue({ $0.frozen }) else { return false }
        return frozen.resolves(method, rawPath: path)
    }
}

/// Something was added to an application after it started.
public struct FrozenApplicationError: Error, Hashable, CustomStringConvertible {
    /// What was added.
    public let what: String

    public var description: String { "Cannot add \(self.what): the application has started" }
}
