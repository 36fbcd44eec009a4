/// One record of an import file before validation: its line and its fields as written.
struct RawRecord: Sendable {
    /// A field's value as the file wrote it; CSV gives only `.text`.
    enum Value: Sendable, Equatable {
        case text(String)
        case number(Double)
        case list([Value])
        case null
        /// A JSON object (the `summary` field), its values as read.
        case object([String: Value])
        /// Anything else JSON can hold (an object, a boolean), described for the message.
        case other(String)
    }

    var line: Int
    var fields: [String: Value]
}
