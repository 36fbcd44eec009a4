import Foundation
import HTTPTypes
import Hummingbird
import MeridianCodes
import MeridianExchange
import MeridianService
import MeridianWeb

/// `/api/v1/exchanges/{id}/messages` and `…/attachments/{attachment_id}`: the conversation on
/// an exchange. Attachments travel inside the JSON body, base64-encoded (`content_base64`), so
/// a message and its files are one request and one transaction; they come back as the file
/// itself, as a download.
struct ConversationRoutes {
    let service: MeridianService

    struct NewMessage: Decodable {
        var text: String
        var attachments: [File]?
        struct File: Decodable { var fileName: String; var contentType: String?; var contentBase64: String }
    }

    /// The largest message body: every attachment at its limit, base64-encoded (4/3), and the text.
    static let bodyLimit = ConversationRules.maxAttachments * ((ConversationRules.maxAttachmentBytes + 2) / 3 * 4 + 1_024) + 64 * 1_024

    func add(to api: RouterGroup<MeridianRequestContext>) {
        let service = self.service

        api.get("exchanges/{id}/messages") { request, context -> Response in
            let caller = try context.requireCaller()
            return try .json(try await service.messages(exchange: try request.uuid("id", context, what: "exchange"), by: caller))
        }
        api.post("exchanges/{id}/messages") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try request.uuid("id", context, what: "exchange")
            // Who takes no part is turned away before her body is read (up to 21 MiB).
            try await service.requireConversationWriter(exchange: id, by: caller)
            let body = try await JSONBody.decode(NewMessage.self, from: request, fields: ["text", "attachments"], limit: Self.bodyLimit)
            var files: [NewAttachment] = []
            for (index, file) in (body.attachments ?? []).enumerated() {
                guard let bytes = Data(base64Encoded: file.contentBase64) else {
                    throw ServiceError(.invalidData, "attachments[\(index)].content_base64 is not base64; encode the file's bytes in base64")
                }
                if let problem = InputText.problem(file.fileName, field: "attachments[\(index)].file_name", maximum: InputText.Limit.title, multiline: false) {
                    throw ServiceError(.invalidData, problem)
                }
                files.append(NewAttachment(fileName: file.fileName, contentType: file.contentType ?? "application/octet-stream", bytes: [UInt8](bytes)))
            }
            let message = try await service.postMessage(body.text, attachments: files, exchange: id, key: try request.idempotencyKey(), by: caller)
            return try .json(message, status: .created, headers: [
                .location: "/api/v1/exchanges/\(id.uuidString.lowercased())/messages",
            ])
        }
        api.get("exchanges/{id}/attachments/{attachment_id}") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try request.uuid("id", context, what: "exchange")
            guard let text = context.parameters.get("attachment_id"), let attachment = Int64(text) else {
                throw ServiceError(.notFound, "no attachment has the id \(context.parameters.get("attachment_id") ?? "")")
            }
            return AttachmentResponse.response(try await service.attachment(attachment, exchange: id, by: caller))
        }
    }
}
