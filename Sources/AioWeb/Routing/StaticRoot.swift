#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AioServer
import AioWire
import NIOPosix

extension Router {
    /// Serves the files under `directory` at `prefix` (aiohttp's `add_static`), through
    /// ``Response/file(_:for:contentType:)``: ranges, conditional requests, `sendfile`.
    ///
    /// Paths are checked before the file system sees them: a segment that is `..`, or decodes
    /// to one holding `/`, `\` or NUL, is refused with 403, and the resolved file must lie
    /// inside `directory`; with `followSymlinks` false (the default) a symbolic link that leads
    /// outside it is refused too. A directory gets an HTML index when `showIndex` is set, 403
    /// otherwise.
    public func addStatic(
        _ prefix: String,
        directory: String,
        showIndex: Bool = false,
        followSymlinks: Bool = false,
        name: String? = nil
    ) {
        let prefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        let root = StaticRoot(directory: directory, showIndex: showIndex, followSymlinks: followSymlinks)
        self.route(.get, prefix + "/{filename:.*}", name: name) { request in
            try await root.respond(to: request, prefix: prefix)
        }
    }
}

/// One static directory and how it may be served.
struct StaticRoot: Sendable {
    let directory: String
    let showIndex: Bool
    let followSymlinks: Bool

    func respond(to request: Request, prefix: String) async throws -> Response {
        let raw = request.rawPath.dropFirst(request.routingPrefix.count + prefix.count + 1)
        var components: [String] = []
        for segment in raw.split(separator: "/", omittingEmptySubsequences: true) {
            let decoded = PercentEncoding.decode(segment)
            guard decoded != "..", !decoded.contains("/"), !decoded.contains("\\"), !decoded.contains("\0") else {
                throw HTTPForbidden()
            }
            if decoded != "." { components.append(decoded) }
        }
        let (root, resolved) = try await Self.resolve(self.directory, components)
        if !self.followSymlinks, resolved != root, !resolved.hasPrefix(root == "/" ? "/" : root + "/") {
            throw HTTPForbidden()
        }
        let info = try await FileInfo.of(resolved)
        if info.isDirectory {
            guard self.showIndex else { throw HTTPForbidden() }
            return .html(try await Self.index(of: resolved, path: request.path))
        }
        return try await .file(resolved, for: request)
    }

    /// The real paths of the root and of the file the components name in it.
    private static func resolve(_ directory: String, _ components: [String]) async throws -> (String, String) {
        try await NIOThreadPool.singleton.runIfActive {
            guard let root = realPath(directory) else { throw HTTPNotFound() }
            let candidate = components.isEmpty ? root : root + "/" + components.joined(separator: "/")
            guard let resolved = realPath(candidate) else { throw HTTPNotFound() }
            return (root, resolved)
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// An HTML listing of `directory`, linked relative to `path`.
    private static func index(of directory: String, path: String) async throws -> String {
        let names = try await NIOThreadPool.singleton.runIfActive { () -> [String] in
            guard let handle = opendir(directory) else { throw HTTPForbidden() }
            defer { closedir(handle) }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name != "." && name != ".." { names.append(entry.pointee.d_type == DT_DIR ? name + "/" : name) }
            }
            return names.sorted()
        }
        let base = path.hasSuffix("/") ? path : path + "/"
        let title = "Index of \(HTML.escape(path))"
        let items = names.map {
            "<li><a href=\"\(HTML.escape(base + PercentEncoding.encode($0) { PercentEncoding.isUnreserved($0) || $0 == UInt8(ascii: "/") }))\">\(HTML.escape($0))</a></li>"
        }
        return "<html>\n<head>\n<title>\(title)</title>\n</head>\n<body>\n<h1>\(title)</h1>\n<ul>\n"
            + items.joined(separator: "\n") + "\n</ul>\n</body>\n</html>"
    }
}
