/// One problem in an import file, with where it is: `FILE:LINE: field: message`.
///
/// The importer collects every problem of a file before it writes anything, so a person
/// fixes them all in one pass.
public struct ImportDiagnostic: Sendable, Equatable, CustomStringConvertible, Codable {
    /// The file as the user named it.
    public var file: String
    /// 1-based line where the record (CSV row, JSON object) starts.
    public var line: Int
    /// The field at fault, or `nil` for a problem with the whole record or file.
    public var field: String?
    public var message: String

    public init(file: String, line: Int, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        if let field { return "\(file):\(line): \(field): \(message)" }
        return "\(file):\(line): \(message)"
    }
}
