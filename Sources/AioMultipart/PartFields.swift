import HTTPTypes

/// The fields of a part's header section that steer how it is read, found in one pass when
/// the part starts, so that reading a small field does not search its headers again and again.
///
/// A field given twice counts by its first line: a part has one type and one encoding.
struct PartFields {
    /// `Content-Type`, nil when absent.
    private(set) var contentType: String?
    /// `Content-Transfer-Encoding`, nil when absent.
    private(set) var transferEncoding: String?
    /// `Content-Encoding`, nil when absent.
    private(set) var contentEncoding: String?

    init(_ headers: HTTPFields) {
        // By index, so only the fields that matter are copied out.
        for index in headers.indices {
            switch headers[index].name {
            case .contentType where self.contentType == nil: self.contentType = headers[index].value
            case .contentTransferEncoding where self.transferEncoding == nil: self.transferEncoding = headers[index].value
            case .contentEncoding where self.contentEncoding == nil: self.contentEncoding = headers[index].value
            default: continue
            }
        }
    }
}
