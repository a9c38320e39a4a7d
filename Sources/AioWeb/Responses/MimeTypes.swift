/// Media types by file extension, for `Content-Type` of files (as Python's `mimetypes`).
public enum MimeTypes {
    private static let table: [String: String] = [
        "html": "text/html", "htm": "text/html", "css": "text/css", "js": "text/javascript",
        "mjs": "text/javascript", "json": "application/json", "map": "application/json", "txt": "text/plain",
        "text": "text/plain", "csv": "text/csv", "md": "text/markdown", "xml": "application/xml",
        "rss": "application/rss+xml", "atom": "application/atom+xml", "svg": "image/svg+xml", "png": "image/png",
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "avif": "image/avif",
        "ico": "image/vnd.microsoft.icon", "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf", "pdf": "application/pdf",
        "zip": "application/zip", "gz": "application/gzip", "tgz": "application/gzip", "tar": "application/x-tar",
        "bz2": "application/x-bzip2", "xz": "application/x-xz", "7z": "application/x-7z-compressed",
        "wasm": "application/wasm", "mp3": "audio/mpeg", "ogg": "audio/ogg", "oga": "audio/ogg", "wav": "audio/wav",
        "flac": "audio/flac", "mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm", "ogv": "video/ogg",
        "mov": "video/quicktime", "avi": "video/x-msvideo", "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt": "application/vnd.ms-powerpoint",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "rtf": "application/rtf", "sh": "application/x-sh", "py": "text/x-python", "swift": "text/x-swift",
        "c": "text/x-c", "h": "text/x-c", "yaml": "application/yaml", "yml": "application/yaml",
        "toml": "application/toml", "ics": "text/calendar", "epub": "application/epub+zip", "bin": "application/octet-stream",
    ]

    /// Media types whose bytes are already compressed, which compression should skip.
    static let compressed: Set<String> = [
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "font/woff", "font/woff2",
        "application/pdf", "application/zip", "application/gzip", "application/x-bzip2", "application/x-xz",
        "application/x-7z-compressed", "audio/mpeg", "audio/ogg", "audio/flac", "video/mp4", "video/webm",
        "video/ogg", "video/quicktime", "application/epub+zip",
    ]

    /// The media type for `path`'s extension (case-insensitive), or nil.
    public static func guess(_ path: String) -> String? {
        let name = path.split(separator: "/").last ?? Substring(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return self.table[name[name.index(after: dot)...].lowercased()]
    }

    /// `Content-Type` for `path`: the guessed type, with `charset=utf-8` for text, or
    /// `application/octet-stream`.
    static func contentType(for path: String) -> String {
        guard let type = self.guess(path) else { return "application/octet-stream" }
        let textual = type.hasPrefix("text/") || type == "application/json" || type == "application/xml"
            || type == "image/svg+xml" || type == "application/javascript"
        return textual ? "\(type); charset=utf-8" : type
    }
}
