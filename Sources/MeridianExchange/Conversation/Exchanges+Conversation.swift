import Foundation
import Logging
import PostgresNIO

/// The conversation on an exchange: its requesting and partner countries' officials and the
/// program managers write to each other, with attachments, in the exchange's record.
///
/// Who takes part is decided as for every action on the exchange, from the person's country
/// and roles: an official of the requesting country (`official`), of the partner country
/// chosen and not declined (`partner-official`, from the invitation on), and program managers.
/// Another country's official gets the same not-found as for an unknown exchange; other staff,
/// who may see the exchange, are refused (forbidden). Messages are kept forever: the database
/// refuses to change or delete them (migration 0017).
extension Exchanges {
    /// The parts that take part in the conversation, in the order a person holding several writes as.
    static let conversationRoles = ["official", "partner-official", "program-manager"]

    /// Writes a message with its attachments and a notification for each other participant,
    /// in one transaction.
    /// - Parameter key: the author's idempotency key: a message she sent with the same key on
    ///   this exchange is not written again, and it is the answer (migration 0022).
    /// - Throws: `.invalidData` for an empty or too long text, too many, empty or too large
    ///   attachments; `.notFound` when the actor may not see the exchange; `.permissionDenied`
    ///   when she sees it but takes no part in its conversation.
    public func postMessage(_ text: String, attachments: [NewAttachment], exchange id: UUID, key: String? = nil,
                            by actor: ExchangeActor) async throws -> ConversationMessage {
        let body = try ConversationRules.text(text)
        try ConversationRules.check(attachments)
        let now = self.now(), logger = self.logger
        return try await transaction { connection in
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            let role = try Self.conversationRole(exchange.roles(of: actor), actor, exchange: id, action: "write in the conversation")
            let country = role == "program-manager" ? nil : actor.country
            let rows = try await connection.query("""
                INSERT INTO exchange_messages (exchange_id, author, author_role, author_country, body, created_at, idempotency_key)
                VALUES (\(id), \(actor.id), \(role), \(country), \(body), \(now), \(key))
                ON CONFLICT (exchange_id, author, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id
                """, logger: logger).collect()
            guard let inserted = rows.first else {
                // Only a keyed message meets a conflict: she sent it before with this key. The
                // first one is the answer, nothing is written — unless this is another text,
                // which the key cannot stand for.
                let first = try await Self.message(keyed: key ?? "", author: actor.id, exchange: id, on: connection, logger: logger)
                guard first.text == body else {
                    throw ExchangeError(.conflict, "the idempotency key \(key ?? "") was used for another message on this exchange",
                                        hint: "send a new message with a new key")
                }
                return first
            }
            let messageID = try inserted.decode(Int64.self)
            var stored: [ConversationAttachment] = []
            for file in attachments {
                let name = ConversationRules.fileName(file.fileName), type = ConversationRules.contentType(file.contentType)
                let digest = ConversationRules.sha256(file.bytes)
                let inserted = try await connection.query("""
                    INSERT INTO exchange_message_attachments (message_id, exchange_id, file_name, content_type, size, sha256, content)
                    VALUES (\(messageID), \(id), \(name), \(type), \(file.bytes.count), \(digest), \(Data(file.bytes)))
                    RETURNING id
                    """, logger: logger).collect()
                stored.append(ConversationAttachment(id: try inserted[0].decode(Int64.self), fileName: name, contentType: type,
                                                     size: file.bytes.count, sha256: digest))
            }
            let files = stored.isEmpty ? "" : " with \(stored.count) attachment\(stored.count == 1 ? "" : "s")"
            let what = "\(actor.id) (\(role)\(country.map { " \($0)" } ?? "")) wrote\(files) in the conversation on the exchange \(id.uuidString.lowercased())"
            for (recipientRole, recipientCountry) in Self.conversationRecipients(exchange, except: role) {
                try await NotificationStore.write(
                    ExchangeNotification(task: "message-posted", recipientRole: recipientRole, recipientCountry: recipientCountry,
                                         message: "\(what): \(MatchSummary.shorten(body, to: 120))", createdAt: now),
                    exchange: id, jobID: nil, on: connection, logger: logger)
            }
            return ConversationMessage(id: messageID, exchangeID: id, author: actor.id, authorRole: role, authorCountry: country,
                                       text: body, createdAt: now, attachments: stored)
        }
    }

    /// Refuses as ``postMessage(_:attachments:exchange:key:by:)`` would when `actor` takes no part
    /// in the conversation, before a front end reads a message's body (up to 15 MiB of
    /// attachments): a stranger is turned away without the server reading what she sends.
    /// - Throws: `.notFound` when the actor may not see the exchange; `.permissionDenied` when
    ///   she sees it but takes no part in its conversation.
    public func requireConversationWriter(exchange id: UUID, actor: ExchangeActor) async throws {
        let logger = self.logger
        try await client.withConnection { connection in
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            _ = try Self.conversationRole(exchange.roles(of: actor), actor, exchange: id, action: "write in the conversation")
        }
    }

    /// The message `author` wrote on the exchange with the idempotency key `key`.
    static func message(keyed key: String, author: String, exchange id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ConversationMessage {
        let rows = try await connection.query("""
            SELECT id FROM exchange_messages WHERE exchange_id = \(id) AND author = \(author) AND idempotency_key = \(key)
            """, logger: logger).collect()
        guard let messageID = try rows.first?.decode(Int64.self),
              let message = try await conversation(id, on: connection, logger: logger).first(where: { $0.id == messageID }) else {
            throw ExchangeError(.conflict, "the message sent with the key \(key) was not found after its key was", hint: "send it again")
        }
        return message
    }

    /// Every message of the exchange's conversation, oldest first, with its attachments' descriptions.
    public func messages(exchange id: UUID, for actor: ExchangeActor) async throws -> [ConversationMessage] {
        let logger = self.logger
        return try await client.withConnection { connection in
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            _ = try Self.conversationRole(exchange.roles(of: actor), actor, exchange: id, action: "read the conversation")
            return try await Self.conversation(id, on: connection, logger: logger)
        }
    }

    /// The conversation as stored, whoever asks (callers decide who may read it): the messages'
    /// texts and the attachments' descriptions and checksums, never their bytes.
    static func conversation(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [ConversationMessage] {
        let attachmentRows = try await connection.query("""
            SELECT message_id, id, file_name, content_type, size, sha256 FROM exchange_message_attachments
            WHERE exchange_id = \(id) ORDER BY message_id, id
            """, logger: logger).collect()
        var attachments: [Int64: [ConversationAttachment]] = [:]
        for row in attachmentRows {
            let (message, attachment, name, type, size, digest) = try row.decode((Int64, Int64, String, String, Int, String).self)
            attachments[message, default: []].append(ConversationAttachment(id: attachment, fileName: name, contentType: type, size: size, sha256: digest))
        }
        let rows = try await connection.query("""
            SELECT id, author, author_role, author_country, body, created_at FROM exchange_messages
            WHERE exchange_id = \(id) ORDER BY id
            """, logger: logger).collect()
        return try rows.map { row in
            let (message, author, role, country, body, at) = try row.decode((Int64, String, String, String?, String, Date).self)
            return ConversationMessage(id: message, exchangeID: id, author: author, authorRole: role, authorCountry: country,
                                       text: body, createdAt: at, attachments: attachments[message] ?? [])
        }
    }

    /// One attachment's bytes, checked against the SHA-256 stored with them.
    /// - Throws: `.notFound` for an attachment of another exchange (or none); a failure when
    ///   the bytes no longer match their checksum (the download is refused, not served damaged).
    public func attachment(_ attachmentID: Int64, exchange id: UUID, for actor: ExchangeActor) async throws -> AttachmentFile {
        let logger = self.logger
        return try await client.withConnection { connection in
            let exchange = try await LockedExchange.read(id, on: connection, logger: logger)
            _ = try Self.conversationRole(exchange.roles(of: actor), actor, exchange: id, action: "read the conversation's attachments")
            let rows = try await connection.query("""
                SELECT message_id, file_name, content_type, size, sha256, content FROM exchange_message_attachments
                WHERE id = \(attachmentID) AND exchange_id = \(id)
                """, logger: logger).collect()
            guard let row = rows.first else {
                throw ExchangeError(.notFound, "the exchange \(id.uuidString.lowercased()) has no attachment \(attachmentID)",
                                    hint: "the conversation lists its attachments")
            }
            let (message, name, type, size, digest, content) = try row.decode((Int64, String, String, Int, String, Data).self)
            let bytes = [UInt8](content)
            guard bytes.count == size, ConversationRules.sha256(bytes) == digest else {
                throw ExchangeError(.conflict, "the attachment \(attachmentID) no longer matches its SHA-256 checksum: its stored bytes are damaged",
                                    hint: "ask its author to send the file again; tell the operator (restore the database from a backup)")
            }
            return AttachmentFile(attachment: ConversationAttachment(id: attachmentID, fileName: name, contentType: type, size: size, sha256: digest),
                                  messageID: message, bytes: bytes)
        }
    }

    /// The part `actor` takes in the conversation.
    static func conversationRole(_ roles: ExchangeRoles, _ actor: ExchangeActor, exchange id: UUID, action: String) throws -> String {
        try roles.requireVisible(actor, exchange: id.uuidString.lowercased())
        guard let role = conversationRoles.first(where: roles.workflowRoles.contains) else {
            throw ExchangeError(.permissionDenied, "\(actor.id) may not \(action): only the requesting and partner countries' officials and the program managers take part in it",
                                hint: "ask a program manager to pass on what you need")
        }
        return role
    }

    /// Who hears of a message written as `role`: every other part of the conversation (the
    /// partner only once one is chosen).
    static func conversationRecipients(_ exchange: LockedExchange, except role: String) -> [(String, String?)] {
        var recipients: [(String, String?)] = [("official", exchange.country)]
        if let partner = exchange.partner { recipients.append(("partner-official", partner)) }
        recipients.append(("program-manager", nil))
        return recipients.filter { $0.0 != role }
    }
}
