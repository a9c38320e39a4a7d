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
