import Foundation

/// One message of an exchange's conversation, as its participants read it: who wrote it, in
/// which part, the text, and the attachments' descriptions (their bytes are fetched one by one).
public struct ConversationMessage: Sendable, Codable, Equatable {
    public var id: Int64
    public var exchangeID: UUID
    /// The author's handle.
    public var author: String
    /// The part she took: `official`, `partner-official` or `program-manager`.
    public var authorRole: String
    /// Her country, for officials.
    public var authorCountry: String?
    public var text: String
    public var createdAt: Date
    public var attachments: [ConversationAttachment]
}

/// An attachment's description: what the download is served as, and its checksum.
public struct ConversationAttachment: Sendable, Codable, Equatable {
    public var id: Int64
    public var fileName: String
    public var contentType: String
    /// Bytes.
    public var size: Int
    /// Lower-case hex SHA-256 of the bytes.
    public var sha256: String
}

/// A file to attach, as the person sent it (name and type are sanitised when it is stored).
public struct NewAttachment: Sendable {
    public var fileName: String
    public var contentType: String
    public var bytes: [UInt8]

    public init(fileName: String, contentType: String, bytes: [UInt8]) {
        self.fileName = fileName
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// An attachment's bytes with its description, checked against its SHA-256.
public struct AttachmentFile: Sendable {
    public var attachment: ConversationAttachment
    public var messageID: Int64
    public var bytes: [UInt8]
}
