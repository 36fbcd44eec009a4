import Foundation
import MeridianExchange

/// The conversation on an exchange: messages with attachments between its two countries'
/// officials and the program managers (the exchange domain decides who takes part).
extension MeridianService {
    /// Writes a message, its attachments and the other participants' notifications in one
    /// transaction; sent again with the same `key` by the same person, it is written once and
    /// the first message is the answer.
    public func postMessage(_ text: String, attachments: [NewAttachment] = [], exchange id: UUID, key: String? = nil,
                            by caller: Caller) async throws -> ConversationMessage {
        try await exchanges.postMessage(text, attachments: attachments, exchange: id, key: key, by: caller.exchangeActor)
    }

    /// Refuses, as ``postMessage(_:attachments:exchange:key:by:)`` would, a caller who takes no part
    /// in the exchange's conversation: front ends ask before reading a large message body.
    public func requireConversationWriter(exchange id: UUID, by caller: Caller) async throws {
        try await exchanges.requireConversationWriter(exchange: id, actor: caller.exchangeActor)
    }

    /// The exchange's messages, oldest first, with their attachments' descriptions.
    public func messages(exchange id: UUID, by caller: Caller) async throws -> [ConversationMessage] {
        try await exchanges.messages(exchange: id, for: caller.exchangeActor)
    }

    /// One attachment's bytes, verified against their SHA-256.
    public func attachment(_ attachmentID: Int64, exchange id: UUID, by caller: Caller) async throws -> AttachmentFile {
        try await exchanges.attachment(attachmentID, exchange: id, for: caller.exchangeActor)
    }
}
