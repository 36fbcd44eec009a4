import Foundation
import HTTPTypes
import HummingbirdTesting
import MeridianCodes
import MeridianExchange
import MeridianHTTP
import MeridianService
import MeridianTestSupport
import PostgresNIO
import Testing

/// The conversation on an exchange through the service and the API: who writes and reads,
/// the notifications, the limits, the record kept, and the checksum checked on download.
@Suite struct ConversationTests {
    typealias Persona = ServiceFixture.Persona

    static let plan = NewAttachment(fileName: "../drafts/plan v2.pdf", contentType: "application/pdf; charset=binary",
                                    bytes: Array("%PDF-1.4 the visit plan, draft 2".utf8))

    @Test func theTwoCountriesAndTheProgramManagerWriteAndTheOthersAreNotified() async throws {
        try await ServiceFixture.with { f in
            let cod = try await f.caller(.requestingOfficial), rwa = try await f.caller(.partnerOfficial), pm = try await f.caller(.programManager)
            let before = try await f.service.exchange(f.exchange, by: cod).notifications.count
            let sent = try await f.service.postMessage("  Here is the draft plan.\nComments welcome.  ", attachments: [Self.plan], exchange: f.exchange, by: cod)
            #expect(sent.text == "Here is the draft plan.\nComments welcome.")
            #expect(sent.authorRole == "official" && sent.authorCountry == "COD")
            #expect(sent.attachments.count == 1)
            #expect(sent.attachments[0].fileName == "plan v2.pdf")
            #expect(sent.attachments[0].contentType == "application/pdf")
            #expect(sent.attachments[0].sha256 == ConversationRules.sha256(Self.plan.bytes))

            _ = try await f.service.postMessage("Thank you, we will host twelve.", exchange: f.exchange, by: rwa)
            _ = try await f.service.postMessage("Noted for the funding review.", exchange: f.exchange, by: pm)

            for reader in [cod, rwa, pm] {
                let messages = try await f.service.messages(exchange: f.exchange, by: reader)
                #expect(messages.map(\.authorRole) == ["official", "partner-official", "program-manager"])
                #expect(messages[1].authorCountry == "RWA" && messages[2].authorCountry == nil)
            }
            let file = try await f.service.attachment(sent.attachments[0].id, exchange: f.exchange, by: rwa)
            #expect(file.bytes == Self.plan.bytes && file.messageID == sent.id)

            // Each message notified the two other parts, never its author's.
            let notes = try await f.service.exchange(f.exchange, by: cod).notifications.dropFirst(before).filter { $0.task == "message-posted" }
            #expect(notes.map { "\($0.recipientRole) \($0.recipientCountry ?? "-")" } == [
                "partner-official RWA", "program-manager -", "official COD", "program-manager -", "official COD", "partner-official RWA",
            ])
            #expect(notes[0].message.contains("amani (official COD) wrote with 1 attachment"))
        }
    }

    @Test func anotherCountrysOfficialFindsNothingAndOtherStaffAreRefused() async throws {
        try await ServiceFixture.with { f in
            let cod = try await f.caller(.requestingOfficial)
            let sent = try await f.service.postMessage("Draft attached", attachments: [Self.plan], exchange: f.exchange, by: cod)
            let sle = try await f.caller(.otherOfficial)
            for action in [
                { _ = try await f.service.messages(exchange: f.exchange, by: sle) },
                { _ = try await f.service.postMessage("hello", exchange: f.exchange, by: sle) },
                { _ = try await f.service.attachment(sent.attachments[0].id, exchange: f.exchange, by: sle) },
            ] as [@Sendable () async throws -> Void] {
                await #expect { try await action() } throws: { ServiceError.classify($0)?.kind == .notFound }
            }
            for persona in [Persona.fundApprover, .financeOfficer, .supervisor, .admin] {
                let staff = try await f.caller(persona)
                await #expect { _ = try await f.service.messages(exchange: f.exchange, by: staff) } throws: { ServiceError.classify($0)?.kind == .forbidden }
            }
            // An attachment is found only under its own exchange.
            await #expect { _ = try await f.service.attachment(sent.attachments[0].id, exchange: UUID(), by: cod) } throws: {
                ServiceError.classify($0)?.kind == .notFound
            }
        }
    }

    @Test func badMessagesAreRefusedAndChangeNothing() async throws {
        try await ServiceFixture.with { f in
            let cod = try await f.caller(.requestingOfficial)
            let before = try await TableFingerprint.take(f.database)
            let big = NewAttachment(fileName: "scan.tif", contentType: "image/tiff", bytes: [UInt8](repeating: 7, count: ConversationRules.maxAttachmentBytes + 1))
            let empty = NewAttachment(fileName: "empty.txt", contentType: "text/plain", bytes: [])
            let cases: [(String, [NewAttachment], String)] = [
                ("   \n ", [], "the message is empty"),
                (String(repeating: "a", count: 4_001), [], "at most 4000"),
                // 4,000 characters but 4,001 code points, as the database counts: refused here,
                // not by the database's check (which answered 500).
                ("🇺🇸" + String(repeating: "*", count: 3_999), [], "at most 4000"),
                ("bell \u{07}", [], "control character"),
                ("too big", [big], "at most 5242880"),
                ("empty file", [empty], "is empty"),
                ("four files", Array(repeating: Self.plan, count: 4), "at most 3 attachments"),
            ]
            for (text, files, reason) in cases {
                await #expect {
                    _ = try await f.service.postMessage(text, attachments: files, exchange: f.exchange, by: cod)
                } throws: { error in
                    let failure = ServiceError.classify(error)
                    return failure?.kind == .invalidData && failure?.message.contains(reason) == true
                }
            }
            await #expect { _ = try await f.service.postMessage("hello", exchange: UUID(), by: cod) } throws: {
                ServiceError.classify($0)?.kind == .notFound
            }
            #expect(try await TableFingerprint.take(f.database).changes(since: before) == [])
        }
    }

    @Test func namesAndTypesAreSanitised() {
        #expect(ConversationRules.fileName("C:\\Users\\amani\\plan.docx") == "plan.docx")
        #expect(ConversationRules.fileName("../../etc/passwd") == "passwd")
        #expect(ConversationRules.fileName("rapport\u{202E}fdp.exe") == "rapportfdp.exe")
        #expect(ConversationRules.fileName("a\"b;c<d>.txt") == "abcd.txt")
        #expect(ConversationRules.fileName("...") == "attachment")
        #expect(ConversationRules.fileName(String(repeating: "x", count: 300) + ".pdf").count == 120)
        #expect(ConversationRules.fileName(String(repeating: "x", count: 300) + ".pdf").hasSuffix(".pdf"))
        #expect(ConversationRules.contentType("Application/PDF; charset=binary") == "application/pdf")
        #expect(ConversationRules.contentType("text/html") == "application/octet-stream")
        #expect(ConversationRules.contentType("image/svg+xml") == "application/octet-stream")
        #expect(ConversationRules.contentType("text/plain\r\nX-Evil: 1") == "application/octet-stream")
        #expect(ConversationRules.contentType("") == "application/octet-stream")
    }

    @Test func theConversationIsKeptAndADamagedAttachmentIsNeverServed() async throws {
        try await ServiceFixture.with { f in
            let cod = try await f.caller(.requestingOfficial)
            let sent = try await f.service.postMessage("Draft attached", attachments: [Self.plan], exchange: f.exchange, by: cod)
            for statement in ["DELETE FROM exchange_messages", "UPDATE exchange_messages SET body = 'changed'",
                              "DELETE FROM exchange_message_attachments", "TRUNCATE exchange_message_attachments"] {
                await #expect { _ = try await f.client.query(PostgresQuery(unsafeSQL: statement), logger: f.logger) } throws: { error in
                    (error as? PSQLError)?.serverInfo?[.message]?.contains("append-only") == true
                }
            }
            #expect(try await f.service.messages(exchange: f.exchange, by: cod).map(\.text) == ["Draft attached"])

            // A damaged byte (storage failure, a bad restore): the download is refused.
            let id = sent.attachments[0].id
            try await f.client.withConnection { connection in
                _ = try await connection.query("SET session_replication_role = replica", logger: f.logger)
                _ = try await connection.query("UPDATE exchange_message_attachments SET content = overlay(content placing '\\x58'::bytea from 1) WHERE id = \(id)", logger: f.logger)
                _ = try await connection.query("RESET session_replication_role", logger: f.logger)
            }
            await #expect { _ = try await f.service.attachment(id, exchange: f.exchange, by: cod) } throws: { error in
                ServiceError.classify(error)?.message.contains("no longer matches its SHA-256") == true
            }
        }
    }

    // MARK: - Through the API

    @Test func theAPIPostsBase64AttachmentsAndServesThemAsDownloads() async throws {
        try await ServiceFixture.with { f in
            let e = "/api/v1/exchanges/\(f.exchange.uuidString.lowercased())"
            let bytes: [UInt8] = Array("<html><script>alert(1)</script></html>".utf8)
            try await f.withAPI { client in
                let body = #"{"text":"The programme, as HTML","attachments":[{"file_name":"programme \"final\".html","content_type":"text/html","content_base64":"\#(Data(bytes).base64EncodedString())"}]}"#
                let posted = try await HTTPCall.post("\(e)/messages", body).send(client, token: f.tokens[.partnerOfficial])
                #expect(posted.status == 201, "\(posted.body)")
                let attachment = try #require(((posted.object?["attachments"] as? [[String: Any]])?.first))
                #expect(attachment["content_type"] as? String == "application/octet-stream")
                #expect(attachment["file_name"] as? String == "programme final.html")
                let id = try #require(attachment["id"] as? Int)

                let list = try await HTTPCall.get("\(e)/messages").send(client, token: f.tokens[.requestingOfficial])
                #expect(list.status == 200 && list.body.contains("The programme, as HTML") && !list.body.contains("content_base64"))

                let download = try await HTTPCall.get("\(e)/attachments/\(id)").send(client, token: f.tokens[.programManager])
                #expect(download.status == 200)
                #expect(Array(download.body.utf8) == bytes)
                #expect(download.headers[.contentType] == "application/octet-stream")
                #expect(download.headers[.contentDisposition] == #"attachment; filename="programme final.html"; filename*=UTF-8''programme%20final.html"#)
                #expect(download.headers[.xContentTypeOptions] == "nosniff")
                #expect(download.headers[HTTPField.Name("Meridian-SHA256")!] == ConversationRules.sha256(bytes))

                for (persona, status) in [(Persona.otherOfficial, 404), (.fundApprover, 403), (.requestingOfficial, 200)] {
                    #expect(try await HTTPCall.get("\(e)/attachments/\(id)").send(client, token: f.tokens[persona]).status == status)
                }
                #expect(try await HTTPCall.get("\(e)/attachments/999999").send(client, token: f.tokens[.requestingOfficial]).status == 404)
                // A client retrying with its Idempotency-Key writes one message, answered twice
                // alike; the key on another text is refused; without a key each is written.
                var keyed = HTTPCall.post("\(e)/messages", #"{"text":"Sent once, retried"}"#)
                keyed.headers["Idempotency-Key"] = "retry-1"
                let once = try await keyed.send(client, token: f.tokens[.requestingOfficial])
                let twice = try await keyed.send(client, token: f.tokens[.requestingOfficial])
                #expect(once.status == 201 && twice.status == 201 && once.object?["id"] as? Int == twice.object?["id"] as? Int)
                var other = HTTPCall.post("\(e)/messages", #"{"text":"Another text"}"#)
                other.headers["Idempotency-Key"] = "retry-1"
                #expect(try await other.send(client, token: f.tokens[.requestingOfficial]).status == 409)
                // The key is the author's: another person's same key is her own message.
                #expect(try await keyed.send(client, token: f.tokens[.programManager]).status == 201)
                let plain = HTTPCall.post("\(e)/messages", #"{"text":"No key"}"#)
                for _ in 0..<2 { #expect(try await plain.send(client, token: f.tokens[.requestingOfficial]).status == 201) }
                let texts = try await f.service.messages(exchange: f.exchange, by: try await f.caller(.requestingOfficial)).map(\.text)
                #expect(texts.filter { $0 == "Sent once, retried" }.count == 2 && texts.filter { $0 == "No key" }.count == 2 && !texts.contains("Another text"))
                // Who takes no part is turned away before her body is read: a body over the
                // route's limit is refused for who she is (403), not measured first (413).
                let oversized = #"{"text":""# + String(repeating: "a", count: 22 * 1_024 * 1_024) + #""}"#
                #expect(try await HTTPCall.post("\(e)/messages", oversized).send(client, token: f.tokens[.fundApprover]).status == 403)
                #expect(try await HTTPCall.post("\(e)/messages", oversized).send(client, token: f.tokens[.requestingOfficial]).status == 413)
            }
        }
    }
}
