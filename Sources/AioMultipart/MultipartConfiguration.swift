import AioWire

/// Limits for reading a multipart body: past a size or count limit, 413; a line past
/// `maxLineLength`, 400; uploads that would overfill `spoolBudget`, 503 (they may fit later).
///
/// A peer controls every byte of a multipart body; these bound what one body can make the
/// reader hold in memory or produce.
public struct MultipartConfiguration: Sendable {
    /// The most parts in one body, nested parts included (1,000 by default).
    public var maxParts: Int
    /// Limits on each part's header section: one line (8 KiB), the whole section (16 KiB) and
    /// the number of fields (32).
    public var partHeaders: HTTPParserConfiguration
    /// The most bytes a part read whole (`read`, `text`, `json`, `form`) may hold, and the most
    /// bytes of non-file fields `post()` keeps in memory (1 MiB by default, as aiohttp's bound on
    /// a form's fields; the whole body's bound is the application's `clientMaxSize`).
    public var maxFieldSize: Int
    /// The most bytes a part's `Content-Encoding` may inflate to (64 MiB by default): no zip bombs.
    public var maxDecompressedSize: Int
    /// The longest line ``BodyPartReader/readLine()`` returns (64 KiB by default).
    public var maxLineLength: Int
    /// Uploaded files up to this size stay in memory when a form is read whole; larger ones are
    /// spooled to a temporary file (256 KiB by default).
    public var memoryFileThreshold: Int
    /// The largest uploaded file a form read whole accepts; nil (the default) for no limit, the
    /// file going to disk as it arrives.
    public var maxFileSize: Int?
    /// Where spooled uploads go; nil (the default) for the system's temporary directory.
    public var temporaryDirectory: String?
    /// The bytes spooled uploads may hold on disk at once, shared by every form that uses it
    /// (``SpoolBudget/shared`` by default: 1 GiB).
    public var spoolBudget: SpoolBudget

    /// Limits with the defaults above, any of them changed.
    public init(
        maxParts: Int = 1000,
        partHeaders: HTTPParserConfiguration = HTTPParserConfiguration(
            maxFieldLineLength: 8192,
            maxHeadLength: 16384,
            maxFieldCount: 32
        ),
        maxFieldSize: Int = 1 << 20,
        maxDecompressedSize: Int = 64 << 20,
        maxLineLength: Int = 65536,
        memoryFileThreshold: Int = 256 << 10,
        maxFileSize: Int? = nil,
        temporaryDirectory: String? = nil,
        spoolBudget: SpoolBudget = .shared
    ) {
        self.maxParts = maxParts
        self.partHeaders = partHeaders
        self.maxFieldSize = maxFieldSize
        self.maxDecompressedSize = maxDecompressedSize
        self.maxLineLength = maxLineLength
        self.memoryFileThreshold = memoryFileThreshold
        self.maxFileSize = maxFileSize
        self.temporaryDirectory = temporaryDirectory
        self.spoolBudget = spoolBudget
    }
}
