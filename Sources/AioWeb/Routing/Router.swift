import AioMultipart
import AioWire
import HTTPTypes
import NIOConcurrencyHelpers

/// Maps methods and paths to handlers, as aiohttp's `UrlDispatcher`: static and variable paths,
/// named routes with URL building, automatic HEAD for GET, 404 and 405 with `Allow`.
///
/// Routes are added while the application is configured and compiled when it starts; a bad
/// pattern makes ``Application/freeze()`` throw a ``RouteError`` naming it.
///
/// ```swift
/// app.router.get("/users/{id:\\d+}", name: "user") { request in .text(request.matchInfo["id"]!) }
/// let url = try app.router.url(for: "user", parts: ["id": "42"])   // "/users/42"
/// ```
public final class Router: Sendable {
    struct Registration: Sendable {
        var method: HTTPRequest.Method?
        var path: String
        var name: String?
        var handler: RouteHandler
    }

    private let registrations = NIOLockedValueBox<[Registration]>([])
    private let compiled = NIOLockedValueBox<CompiledRouter?>(nil)

    init() {}

    /// Adds `handler` for `method` (every method when nil) on `path`.
    public func route(_ method: HTTPRequest.Method?, _ path: String, name: String? = nil, _ handler: @escaping Handler) {
        self.add(method, path, name: name, RouteHandler(handler, path: path))
    }

    /// Adds `handler`, which answers without suspending, for `method` (every method when nil)
    /// on `path`.
    public func route(_ method: HTTPRequest.Method?, _ path: String, name: String? = nil, _ handler: @escaping SynchronousHandler) {
        self.add(method, path, name: name, RouteHandler(immediate: handler, path: path))
    }

    private func add(_ method: HTTPRequest.Method?, _ path: String, name: String?, _ handler: RouteHandler) {
        self.registrations.withLockedValue { $0.append(Registration(method: method, path: path, name: name, handler: handler)) }
    }

    /// Adds a GET route (which also answers HEAD).
    public func get(_ path: String, name: String? = nil, _ handler: @escaping Handler) {
        self.route(.get, path, name: name, handler)
    }

    /// Adds a GET route (which also answers HEAD) whose handler answers without suspending.
    public func get(_ path: String, name: String? = nil, _ handler: @escaping SynchronousHandler) {
        self.route(.get, path, name: name, handler)
    }

    /// Adds a POST route.
    public func post(_ path: String, name: String? = nil, _ handler: @escaping Handler) {
        self.route(.post, path, name: name, handler)
    }

    /// Adds a POST route whose handler answers without suspending.
    public func post(_ path: String, name: String? = nil, _ handler: @escaping SynchronousHandler) {
        self.route(.post, path, name: name, handler)
    }

    /// Adds a PUT route.
    public func put(_ path: String, name: String? = nil, _ handler: @escaping Handler) {
        self.route(.put, path, name: name, handler)
    }

    /// Adds a PUT route whose handler answers without suspending.
    public func put(_ path: String, name: String? = nil, _ handler: @escaping SynchronousHandler) {
        self.route(.put, path, name: name, handler)
    }

    /// Adds a PATCH route.
    public func patch(_ path: String, name: String? = nil, _ handler: @escaping Handler) {
        self.route(.patch, path, name: name, handler)
    }

    /// Adds a PATCH route whose handler answers without suspending.
    public func patch(_ path: String, name: String? = nil, _ handler: @escaping SynchronousHandler) {
        self.route(.patch, path, name: name, handler)
    }

    /// Adds a DELETE route.
    public func delete(_ path: String, name: String? = nil, _ handler: @escaping Handler) {
        self.route(.delete, path, name: name, handler)
    }

    /// Adds a DELETE route whose handler answers without suspending.
    public func delete(_ path: String, name: String? = nil, _ handler: @escaping SynchronousHandler) {
        self.route(.delete, path, name: name, handler)
    }

    /// Adds a HEAD route.
    public func head(_ path: String, name: String? = nil, _ handler: @escaping Handler) {
        self.route(.head, path, name: name, handler)
    }

    /// Adds a HEAD route whose handler answers without suspending.
    public func head(_ path: String, name: String? = nil, _ handler: @escaping SynchronousHandler) {
        self.route(.head, path, name: name, handler)
    }

    /// Adds an OPTIONS route.
    public func options(_ path: String, name: String? = nil, _ handler: @escaping Handler) {
        self.route(.options, path, name: name, handler)
    }

    /// Adds an OPTIONS route whose handler answers without suspending.
    public func options(_ path: String, name: String? = nil, _ handler: @escaping SynchronousHandler) {
        self.route(.options, path, name: name, handler)
    }

    /// The path of the route named `name` with `parts` filled in, and `query` appended.
    public func url(for name: String, parts: [String: String] = [:], query: [(String, String)] = []) throws -> String {
        let registration = self.registrations.withLockedValue { $0.first { $0.name == name } }
        guard let registration else { throw RouteError(pattern: name, reason: "no route with this name") }
        let path = try RoutePattern(registration.path).url(parts)
        return query.isEmpty ? path : path + "?" + FormEncoding.encode(query)
    }

    /// Compiles the routes; later calls return the same result.
    func compile(subapps: [(prefix: String, app: FrozenApplication)]) throws -> CompiledRouter {
        if let compiled = self.compiled.withLockedValue({ $0 }) { return compiled }
        let registrations = self.registrations.withLockedValue { $0 }
        var names = Set<String>()
        for registration in registrations {
            if let name = registration.name, !names.insert(name).inserted {
                throw RouteError(pattern: name, reason: "duplicate route name")
            }
        }
        let router = try CompiledRouter(registrations, subapps: subapps)
        self.compiled.withLockedValue { $0 = router }
        return router
    }
}

/// Routes ready for matching: static paths by dictionary, variable ones in order, then
/// sub-applications by prefix.
struct CompiledRouter: Sendable {
    /// A path's routes. A class, so that matching a request costs no copy of its tables; it is
    /// changed only while the router compiles, before any request sees it.
    final class Resource: @unchecked Sendable {
        /// One method's handler and the route's name.
        struct Route {
            let method: HTTPRequest.Method?
            let handler: RouteHandler
            let name: String?
        }

        let pattern: RoutePattern
        /// The pattern's first segment when it is literal text: a path whose first segment
        /// differs is passed over without matching the whole pattern.
        let firstLiteral: String?
        /// In registration order, the any-method route (method nil) last. A path has a few
        /// methods at most, so a scan beats hashing the method. Changed only while the router
        /// compiles: reading it needs no exclusivity check.
        @exclusivity(unchecked) private(set) var routes: [Route] = []

        init(pattern: RoutePattern) {
            self.pattern = pattern
            self.firstLiteral = pattern.parts.first.flatMap { $0.kind == .literal ? $0.text : nil }
        }

        func add(_ route: Route) -> Bool {
            guard !self.routes.contains(where: { $0.method == route.method }) else { return false }
            if route.method != nil, let anyIndex = self.routes.firstIndex(where: { $0.method == nil }) {
                self.routes.insert(route, at: anyIndex)
            } else {
                self.routes.append(route)
            }
            return true
        }

        /// The route for `method`: its own, else GET's for HEAD, else the any-method one.
        func handler(for method: HTTPRequest.Method) -> (RouteHandler, String?)? {
            // Found by index: an optional route in between is destroyed through type metadata.
            guard
                let index = self.routes.firstIndex(where: { $0.method == method })
                    ?? (method == .head ? self.routes.firstIndex { $0.method == .get } : nil)
                    ?? self.routes.indices.last.flatMap({ self.routes[$0].method == nil ? $0 : nil })
            else { return nil }
            return (self.routes[index].handler, self.routes[index].name)
        }

        var allowed: [HTTPRequest.Method] {
            var methods = self.routes.compactMap(\.method)
            if methods.contains(.get) && !methods.contains(.head) { methods.append(.head) }
            return methods.sorted { $0.rawValue < $1.rawValue }
        }
    }

    /// What matching a request gave.
    enum Resolution {
        case route(RouteHandler, matchInfo: [String: String], name: String?)
        case subapp(FrozenApplication, prefix: String)
        case methodNotAllowed([HTTPRequest.Method])
        case notFound
    }

    private var staticResources: [String: Resource] = [:]
    /// The static paths and their resources again, side by side, when they are few: scanning a
    /// handful of short paths costs less than hashing the request's path.
    private var fewStaticPaths: [String]?
    private var fewStaticResources: [Resource] = []
    private var dynamicResources: [Resource] = []
    private let subapps: [(prefix: String, app: FrozenApplication)]

    init(_ registrations: [Router.Registration], subapps: [(prefix: String, app: FrozenApplication)]) throws {
        self.subapps = subapps
        var dynamicIndex: [String: Int] = [:]
        for registration in registrations {
            let pattern = try RoutePattern(registration.path)
            func add(_ resource: Resource) throws {
                let route = Resource.Route(method: registration.method, handler: registration.handler, name: registration.name)
                guard resource.add(route) else {
                    throw RouteError(pattern: registration.path, reason: "\(registration.method?.rawValue ?? "*") is already routed")
                }
            }
            if pattern.isStatic {
                let resource = self.staticResources[registration.path] ?? Resource(pattern: pattern)
                try add(resource)
                self.staticResources[registration.path] = resource
            } else if let index = dynamicIndex[registration.path] {
                try add(self.dynamicResources[index])
            } else {
                let resource = Resource(pattern: pattern)
                try add(resource)
                dynamicIndex[registration.path] = self.dynamicResources.count
                self.dynamicResources.append(resource)
            }
        }
        if self.staticResources.count <= 8 {
            self.fewStaticPaths = Array(self.staticResources.keys)
            self.fewStaticResources = Array(self.staticResources.values)
        }
    }

    private func staticResource(_ path: String) -> Resource? {
        guard let paths = self.fewStaticPaths else { return self.staticResources[path] }
        return paths.firstIndex(of: path).map { self.fewStaticResources[$0] }
    }

    /// Matches `method` on `rawPath` (percent-encoded, without query).
    func resolve(_ method: HTTPRequest.Method, rawPath: String) -> Resolution {
        var allowed: [HTTPRequest.Method] = []
        let decodedPath = PercentEncoding.decode(rawPath)
        if let resource = self.staticResource(decodedPath) {
            if let (handler, name) = resource.handler(for: method) {
                return .route(handler, matchInfo: [:], name: name)
            }
            allowed += resource.allowed
        }
        if !self.dynamicResources.isEmpty {
            let segments = Self.segments(of: rawPath)
            for resource in self.dynamicResources {
                if let literal = resource.firstLiteral, literal != segments[0] { continue }
                guard let values = resource.pattern.match(segments) else { continue }
                if let (handler, name) = resource.handler(for: method) {
                    return .route(handler, matchInfo: values, name: name)
                }
                allowed += resource.allowed
            }
        }
        for (prefix, app) in self.subapps where decodedPath == prefix || decodedPath.hasPrefix(prefix + "/") {
            return .subapp(app, prefix: prefix)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }

    /// The percent-decoded segments of `rawPath` after its first character (the leading `/`),
    /// empty ones included. Cut from the path's bytes: splitting the string would walk it by
    /// characters.
    static func segments(of rawPath: String) -> [String] {
        var rawPath = rawPath
        return rawPath.withUTF8 { bytes in
            var segments: [String] = []
            var start = bytes.isEmpty ? 0 : 1
            for index in start...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "/") {
                segments.append(PercentEncoding.decode(bytes[start..<index]))
                start = index + 1
            }
            return segments
        }
    }
}
