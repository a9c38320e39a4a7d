#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOFileSystem

/// A value of a submitted form: text, or an uploaded file.
public enum FormValue: Sendable, Equatable {
    /// A text field.
    case text(String)
    /// An uploaded file.
    case file(FileField)

    /// The text, for a text field.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The file, for a file field.
    public var file: FileField? {
        if case .file(let file) = self { return file }
        return nil
    }
}

/// A form read whole from a `multipart/form-data` body: its fields in order and the temporary
/// files that hold its larger uploads, to remove once the form is no longer needed.
public struct UploadedForm: Sendable {
    /// The fields, in the order they came; a name may repeat.
    public let fields: MultiDict<FormValue>
    /// The temporary files behind the spooled ``FileField``s.
    public let temporaryFiles: [String]
    /// The bytes of the temporary files, counted in `budget` until they are removed.
    let spooled: Int
    let budget: SpoolBudget

    /// Removes the temporary files (even from a cancelled task); the file fields stored in them
    /// cannot be read afterwards.
    public func removeTemporaryFiles() async {
        await Self.remove(self.temporaryFiles)
        self.budget.release(self.spooled)
    }

    /// Removes `paths` in a task of its own: a cancelled request (a server shutting down) still
    /// cleans up after itself.
    static func remove(_ paths: [String]) async {
        guard !paths.isEmpty else { return }
        await Task {
            for path in paths {
                _ = try? await FileSystem.shared.removeItem(at: FilePath(path))
            }
        }.value
    }

    /// The prefix of spooled uploads' names, followed by the spooling process's id.
    static let filePrefix = "aio-upload-"

    /// Removes the uploads spooled into `directory` (the system's temporary directory when nil)
    /// by processes that are gone, killed before they could clean up; returns how many. An
    /// application does this when it starts.
    @discardableResult
    public static func removeLeftovers(in directory: String?) async throws -> Int {
        let directory = try await Self.directory(directory)
        var removed = 0
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(Self.filePrefix) {
            let rest = name.dropFirst(Self.filePrefix.count)
            // A process that is gone, or whose id is now another's: kill(0) fails with ESRCH.
            guard let pid = rest.split(separator: "-").first.flatMap({ pid_t($0) }), kill(pid, 0) != 0, errno == ESRCH else {
                continue
            }
            if (try? await FileSystem.shared.removeItem(at: FilePath("\(directory)/\(name)"))) != nil { removed += 1 }
        }
        return removed
    }

    /// `directory`, or the system's temporary directory.
    static func directory(_ directory: String?) async throws -> String {
        if let directory { return directory }
        return try await FileSystem.shared.temporaryDirectory.description
    }
}

extension MultipartReader {
    /// Reads every part: text fields into memory (at most
    /// ``MultipartConfiguration/maxFieldSize`` bytes in all), files into ``FileField``s, in
    /// memory up to ``MultipartConfiguration/memoryFileThreshold`` and spooled to temporary files
    /// past it, counted in ``MultipartConfiguration/spoolBudget``. Files of a nested
    /// `multipart/mixed` part take the outer part's name.
    ///
    /// - Parameter maxSize: The most bytes of the whole form, files included, as aiohttp's
    ///   `client_max_size` counts them; nil for no limit beyond the configuration's.
    /// - Throws: ``MultipartError``: 413 past a limit, 503 when the spool budget or the disk is
    ///   full; temporary files written so far are removed.
    public func readForm(upTo maxSize: Int? = nil) async throws -> UploadedForm {
        var collector = FormCollector(configuration: self.stream.configuration, maxFormSize: maxSize ?? .max)
        do {
            try await collector.collect(self, outerName: nil)
        } catch {
            await UploadedForm.remove(collector.temporaryFiles)
            collector.budget.release(collector.spooled)
            throw error
        }
        return UploadedForm(
            fields: collector.fields,
            temporaryFiles: collector.temporaryFiles,
            spooled: collector.spooled,
            budget: collector.budget
        )
    }
}

/// Gathers a form's fields for ``MultipartReader/readForm(upTo:)``.
private struct FormCollector {
    let configuration: MultipartConfiguration
    let maxFormSize: Int
    var budget: SpoolBudget { self.configuration.spoolBudget }
    var fields = MultiDict<FormValue>()
    var temporaryFiles: [String] = []
    var textBytes = 0
    /// Bytes of the form so far, files included.
    var formBytes = 0
    /// Bytes counted in the spool budget: those written to temporary files, and the rest of the
    /// block reserved for the file being written.
    var spooled = 0

    init(configuration: MultipartConfiguration, maxFormSize: Int) {
        self.configuration = configuration
        self.maxFormSize = maxFormSize
    }

    mutating func collect(_ reader: MultipartReader, outerName: String?) async throws {
        while let next = try await reader.next() {
            switch next {
            case .multipart(let nested):
                let name = nested.headers.first { $0.name == .contentDisposition }.flatMap {
                    field in field.withUnsafeBytesOfValue { parseContentDisposition($0)?.name }
                }
                try await self.collect(nested, outerName: name ?? outerName)
            case .part(let part):
                let name = outerName ?? part.name ?? ""
                if let filename = part.filename {
                    self.fields.append(name, .file(try await self.spool(part, name: name, filename: filename)))
                } else {
                    let room = Swift.min(self.configuration.maxFieldSize - self.textBytes, self.maxFormSize - self.formBytes)
                    let text: String
                    do {
                        text = try await part.text(upTo: room)
                    } catch let error as MultipartError where error.status == .contentTooLarge && room < self.configuration.maxFieldSize - self.textBytes {
                        throw self.formTooLarge()
                    }
                    self.textBytes += text.utf8.count
                    self.formBytes += text.utf8.count
                    self.fields.append(name, .text(text))
                }
            }
        }
    }

    private func formTooLarge() -> MultipartError {
        .tooLarge("Maximum request body size \(self.maxFormSize) exceeded")
    }

    /// Counts `count` bytes of a file against the file and form limits.
    private mutating func count(_ count: Int, fileSize: inout Int, filename: String) throws {
        fileSize += count
        self.formBytes += count
        let maxFileSize = self.configuration.maxFileSize ?? .max
        guard fileSize <= maxFileSize else { throw MultipartError.tooLarge("File \(filename) is larger than \(maxFileSize) bytes") }
        guard self.formBytes <= self.maxFormSize else { throw self.formTooLarge() }
    }

    /// The part's decoded bytes, in memory while small, then in a temporary file.
    mutating func spool(_ part: BodyPartReader, name: String, filename: String) async throws -> FileField {
        var size = 0
        var memory = ByteBuffer()
        while memory.readableBytes <= self.configuration.memoryFileThreshold, var chunk = try await part.readDecodedChunk() {
            try self.count(chunk.readableBytes, fileSize: &size, filename: filename)
            memory.writeBuffer(&chunk)
        }
        let storage: FileField.Storage
        if part.atEOF, memory.readableBytes <= self.configuration.memoryFileThreshold {
            storage = .memory(memory)
        } else {
            let directory = try await UploadedForm.directory(self.configuration.temporaryDirectory)
            let path = "\(directory)/\(UploadedForm.filePrefix)\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            self.temporaryFiles.append(path)
            // The budget is taken a block at a time (a look at the disk's free space each), and
            // what the file did not use is given back.
            let block = 1 << 20
            var reserved = 0
            var written = 0
            defer {
                self.budget.release(reserved - written)
                self.spooled += written
            }
            try await ScopedFile.writing(path) { handle in
                var writer = handle.bufferedWriter(capacity: .kibibytes(256))
                var next: ByteBuffer? = memory
                while let chunk = next {
                    if written + chunk.readableBytes > reserved {
                        let more = Swift.max(block, written + chunk.readableBytes - reserved)
                        try self.budget.reserve(more, in: directory)
                        reserved += more
                    }
                    try await writer.write(contentsOf: chunk)
                    written += chunk.readableBytes
                    next = try await part.readDecodedChunk()
                    if let next { try self.count(next.readableBytes, fileSize: &size, filename: filename) }
                }
                try await writer.flush()
            }
            storage = .temporaryFile(path: path)
        }
        return FileField(
            name: name,
            filename: filename,
            contentType: part.headers[.contentType] ?? "application/octet-stream",
            headers: part.headers,
            size: size,
            storage: storage
        )
    }
}

extension MultiDict where Value == FormValue {
    /// The text fields alone, in order.
    public var textFields: MultiDict<String> {
        MultiDict<String>(self.pairs.compactMap { pair in pair.value.text.map { (pair.key, $0) } })
    }

    /// The file fields alone, in order.
    public var fileFields: MultiDict<FileField> {
        MultiDict<FileField>(self.pairs.compactMap { pair in pair.value.file.map { (pair.key, $0) } })
    }
}
