#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOFileSystem

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
            let path = "\(directory)/\(UploadedForm.newFileName())"
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
                        try self.budget.reserve(more, in: directory, holding: self.spooled + reserved)
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
