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

    /// Removes the temporary files; the file fields stored in them cannot be read afterwards.
    public func removeTemporaryFiles() async {
        await Self.remove(self.temporaryFiles)
    }

    static func remove(_ paths: [String]) async {
        for path in paths {
            _ = try? await FileSystem.shared.removeItem(at: FilePath(path))
        }
    }
}

extension MultipartReader {
    /// Reads every part: text fields into memory (at most
    /// ``MultipartConfiguration/maxFieldSize`` bytes in all), files into ``FileField``s, in
    /// memory up to ``MultipartConfiguration/memoryFileThreshold`` and spooled to temporary files
    /// past it. Files of a nested `multipart/mixed` part take the outer part's name.
    ///
    /// - Throws: ``MultipartError`` (413) past a limit; temporary files written so far are
    ///   removed.
    public func readForm() async throws -> UploadedForm {
        var collector = FormCollector(configuration: self.stream.configuration)
        do {
            try await collector.collect(self, outerName: nil)
        } catch {
            await UploadedForm.remove(collector.temporaryFiles)
            throw error
        }
        return UploadedForm(fields: collector.fields, temporaryFiles: collector.temporaryFiles)
    }
}

/// Gathers a form's fields for ``MultipartReader/readForm()``.
private struct FormCollector {
    let configuration: MultipartConfiguration
    var fields = MultiDict<FormValue>()
    var temporaryFiles: [String] = []
    var textBytes = 0

    init(configuration: MultipartConfiguration) {
        self.configuration = configuration
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
                    let text = try await part.text(upTo: self.configuration.maxFieldSize - self.textBytes)
                    self.textBytes += text.utf8.count
                    self.fields.append(name, .text(text))
                }
            }
        }
    }

    /// The part's decoded bytes, in memory while small, then in a temporary file.
    mutating func spool(_ part: BodyPartReader, name: String, filename: String) async throws -> FileField {
        let maxSize = self.configuration.maxFileSize ?? .max
        var size = 0
        func count(_ chunk: ByteBuffer) throws {
            size += chunk.readableBytes
            guard size <= maxSize else { throw MultipartError.tooLarge("File \(filename) is larger than \(maxSize) bytes") }
        }
        var memory = ByteBuffer()
        while memory.readableBytes <= self.configuration.memoryFileThreshold, var chunk = try await part.readDecodedChunk() {
            try count(chunk)
            memory.writeBuffer(&chunk)
        }
        let storage: FileField.Storage
        if part.atEOF, memory.readableBytes <= self.configuration.memoryFileThreshold {
            storage = .memory(memory)
        } else {
            let path = try await Self.temporaryPath(in: self.configuration.temporaryDirectory)
            self.temporaryFiles.append(path)
            try await ScopedFile.writing(path) { handle in
                var writer = handle.bufferedWriter(capacity: .kibibytes(256))
                try await writer.write(contentsOf: memory)
                while let chunk = try await part.readDecodedChunk() {
                    try count(chunk)
                    try await writer.write(contentsOf: chunk)
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

    private static func temporaryPath(in directory: String?) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let suffix = String(generator.next() as UInt64, radix: 36)
        var directory = directory
        if directory == nil { directory = try await FileSystem.shared.temporaryDirectory.description }
        return "\(directory!)/aio-upload-\(suffix)"
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
