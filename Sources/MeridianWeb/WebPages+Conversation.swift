import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MeridianCodes
import MeridianExchange
import MeridianIdentity
import MeridianService

/// The conversation section of the exchange page: the messages, their attachments (downloaded,
/// never shown inline) and the form that writes one (multipart, so it works without JavaScript).
extension WebPages {
    /// What the form sent back when it is refused: the problem's catalogue key and the text, kept.
    struct ConversationDraft: Sendable {
        var problem: String
        var text: String
    }

    /// The most a message form may send: every attachment at its limit, the text and the parts' headers.
    static let messageBodyLimit = ConversationRules.maxAttachments * (ConversationRules.maxAttachmentBytes + 4_096) + 64 * 1_024

    /// The conversation's messages, or `nil` when the caller takes no part in it (staff other
    /// than program managers): the section is then not shown.
    func conversationPosts(_ id: UUID, caller: Caller) async throws -> [ConversationMessage]? {
        do {
            return try await service.messages(exchange: id, by: caller)
        } catch let error as ExchangeError where error.kind == .forbidden {
            return nil
        }
    }

    /// The section's values for the messages `posts` (``conversationPosts(_:caller:)``).
    func conversationValues(_ id: UUID, posts: [ConversationMessage], visitor: Visitor, draft: ConversationDraft?) -> [String: Any] {
        let language = visitor.language
        let shown = Self.latest(posts)
        let items = messageItems(shown, exchange: id, language: language)
        var values: [String: Any] = ["messages": items, "hasMessages": !items.isEmpty,
                                     "maxText": ConversationRules.maxTextCharacters, "maxFiles": ConversationRules.maxAttachments]
        if let first = shown.first, posts.count > shown.count {
            values["earlier"] = posts.count - shown.count
            values["earlierHref"] = Self.earlierHref(id, before: first.id)
        }
        if let draft {
            values["problem"] = messages.text(draft.problem, language)
            values["draft"] = draft.text
        }
        return values
    }

    /// The messages as the list shows them: author, role, time, text and attachments' links.
    func messageItems(_ shown: [ConversationMessage], exchange id: UUID, language: WebLanguage) -> [[String: Any]] {
        let formats = WebFormats.of(language), idText = id.uuidString.lowercased()
        return shown.map { message -> [String: Any] in
            let role = messages.text("conv_role_" + Self.keyPart(message.authorRole), language)
            return [
                "anchor": "message-\(message.id)", "author": message.author, "at": formats.dateTime(message.createdAt), "text": message.text,
                "role": message.authorCountry.map { "\(role), \($0)" } ?? role, "hasAttachments": !message.attachments.isEmpty,
                "attachments": message.attachments.map { file -> [String: Any] in
                    ["name": file.fileName, "href": "/exchanges/\(idText)/attachments/\(file.id)", "type": file.contentType,
                     "size": Int64(file.size).formatted(.byteCount(style: .file).locale(language.locale))]
                },
            ]
        }
    }

    /// The page of the messages written before message `before`.
    static func earlierHref(_ id: UUID, before: Int64) -> String {
        "/exchanges/\(id.uuidString.lowercased())/messages?before=\(before)"
    }

    /// The earlier messages of the conversation, page by page from the newest back, each page
    /// within the same budget as the exchange page's section, with a link to the page before it:
    /// every message of the record can be read on the pages, not only through the API.
    func earlierMessagesPage(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let id = try Self.exchangeID(text)
            let language = visitor.language
            let beforeText = request.uri.queryParameters.get("before") ?? ""
            guard let before = Int64(beforeText), before > 0 else {
                throw ServiceError(.invalidData, "before must be the number of a message (from the conversation's link), not '\(beforeText.prefix(40))'")
            }
            // The exchange first: another country's exchange is "not found", as everywhere.
            let status = try await service.status(id, by: caller)
            let view = try await service.exchange(id, by: caller)
            let older = try await service.messages(exchange: id, by: caller).filter { $0.id < before }
            let shown = Self.latest(older)
            var values = header(view: view, status: status, language: language)
            values["messages"] = messageItems(shown, exchange: id, language: language)
            values["hasMessages"] = !shown.isEmpty
            if let first = shown.first, older.count > shown.count {
                values["earlier"] = older.count - shown.count
                values["earlierHref"] = Self.earlierHref(id, before: first.id)
            }
            return try render("messages", title: messages.text("conv_history_title", language), values: values, visitor: visitor,
                              back: Self.earlierHref(id, before: before))
        }
    }

    /// How many bytes of the page the messages may take: every page stays under 100 KB.
    static let messagesBudget = 48_000

    /// The latest messages that fit ``messagesBudget`` once escaped (at least the last one);
    /// the earlier ones stay in the record, and the API lists them all.
    static func latest(_ messages: [ConversationMessage]) -> [ConversationMessage] {
        var shown: [ConversationMessage] = [], used = 0
        for message in messages.reversed() {
            // Escaping turns < > & " ' into entities of up to 6 bytes; each message and file adds its markup.
            let escaped = message.text.utf8.reduce(0) { $0 + ("<>&\"'".utf8.contains($1) ? 6 : 1) }
            let size = escaped + 300 + message.attachments.reduce(0) { $0 + 3 * $1.fileName.utf8.count + 250 }
            if !shown.isEmpty && used + size > messagesBudget { break }
            shown.insert(message, at: 0)
            used += size
        }
        return shown
    }

    /// Writes a message from the form; a refused one shows the page again (422) with the
    /// problem at the field and the text kept.
    func postMessage(_ request: Request, id text: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let id = try Self.exchangeID(text)
            // Who takes no part is turned away before her body is read (up to 15.8 MiB).
            try await service.requireConversationWriter(exchange: id, by: caller)
            let form: MultipartForm
            do {
                form = try await MultipartForm.read(request, limit: Self.messageBodyLimit)
            } catch MultipartForm.Failure.tooLarge {
                return try await renderExchange(id, caller: caller, visitor: visitor, done: nil, reasonProblem: false,
                                                conversation: ConversationDraft(problem: "conv_problem_file_size", text: ""), status: .contentTooLarge)
            } catch MultipartForm.Failure.malformed {
                throw ServiceError(.invalidData, "the message form did not arrive whole; send it again")
            }
            guard CSRF.matches(form["csrf"], visitor.csrfToken) else { throw PageError.csrf }
            // Browsers send a textarea's line breaks as CRLF; the record keeps LF.
            let message = form["text"].replacingOccurrences(of: "\r\n", with: "\n")
            let files = form.files("attachment").map {
                NewAttachment(fileName: $0.fileName ?? "", contentType: $0.contentType ?? "", bytes: $0.bytes)
            }
            if let problem = Self.problem(message, files) {
                return try await renderExchange(id, caller: caller, visitor: visitor, done: nil, reasonProblem: false,
                                                conversation: ConversationDraft(problem: problem, text: message), status: .unprocessableContent)
            }
            do {
                // The same form sent twice is one message; another text from the same page
                // (Back, then a new message) is another one.
                let key = Self.idempotencyKey(form["key"], caller: caller).map { "\($0):message:\(ConversationRules.sha256(Array(message.utf8)))" }
                _ = try await service.postMessage(message, attachments: files, exchange: id, key: key, by: caller)
            } catch let error as ExchangeError where error.code == .invalidData {
                return try await renderExchange(id, caller: caller, visitor: visitor, done: nil, reasonProblem: false,
                                                conversation: ConversationDraft(problem: "conv_problem_invalid", text: message), status: .unprocessableContent)
            }
            return redirect("/exchanges/\(id.uuidString.lowercased())?done=message#conversation")
        }
    }

    /// Downloads an attachment (its bytes checked against their SHA-256 first).
    func downloadAttachment(_ request: Request, id text: String, attachment: String, logger: Logger) async throws -> Response {
        try await page(request, logger: logger) { visitor in
            let caller = try requireCaller(visitor)
            let id = try Self.exchangeID(text)
            guard let attachmentID = Int64(attachment) else { throw ServiceError(.notFound, "no attachment \(attachment)") }
            return AttachmentResponse.response(try await service.attachment(attachmentID, exchange: id, by: caller))
        }
    }

    /// The catalogue key of what is wrong with the form, checked before the service (which
    /// checks again) so that each problem is told in the page's language.
    static func problem(_ text: String, _ files: [NewAttachment]) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "conv_problem_empty" }
        if InputText.length(trimmed) > ConversationRules.maxTextCharacters { return "conv_problem_long" }
        if files.count > ConversationRules.maxAttachments { return "conv_problem_file_count" }
        if files.contains(where: { $0.bytes.isEmpty }) { return "conv_problem_file_empty" }
        if files.contains(where: { $0.bytes.count > ConversationRules.maxAttachmentBytes }) { return "conv_problem_file_size" }
        return nil
    }
}
