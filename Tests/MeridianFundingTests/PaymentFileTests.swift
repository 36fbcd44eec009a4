import Foundation
import MeridianDomainTestSupport
import MeridianEngine
import MeridianFunding
import MeridianXML
import PostgresNIO
import Testing

/// Export in two phases: the file is stored with its instructions exported, then delivered. A
/// delivery that fails or never gets recorded is made again with the same file and MsgId, so
/// no payment is ever in two different files (two payments by the bank).
@Suite("Payment files: stored, then delivered")
struct PaymentFileTests {
    private struct DeliveryLost: Error {}

    /// Message ids by end-to-end id, as the instructions record them.
    private func messageIDs(_ fixture: FundingFixture) async throws -> [String: String?] {
        let rows = try await fixture.client.query("SELECT end_to_end_id, message_id FROM funding_payment_instructions", logger: fixture.logger).collect()
        return Dictionary(uniqueKeysWithValues: try rows.map { try $0.decode((String, String?).self) })
    }

    @Test("a delivery that fails after the file is stored: the next export delivers the same MsgId, and no payment is in two different files")
    func failedDeliveryIsRedeliveredAsTheSameFile() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            try await fixture.pendingPayments(count: 2)
            let export = PaymentExport(client: fixture.client, logger: fixture.logger)

            // The bank: every delivery, by message id, with the end-to-end ids it carries.
            var received: [(messageID: String, endToEndIDs: [String])] = []
            do {
                _ = try await export.export { exported in
                    received.append((exported.batch.messageID, exported.batch.payments.map(\.endToEndID)))
                    throw DeliveryLost()  // delivered, but the export stops before recording it
                }
                Issue.record("the export did not report the lost delivery")
            } catch is DeliveryLost {}
            #expect(received.count == 1)

            let again = try #require(try await export.export { exported in
                received.append((exported.batch.messageID, exported.batch.payments.map(\.endToEndID)))
            })
            #expect(again.batch.messageID == received[0].messageID, "the next export delivers the same file, with the same MsgId")
            #expect(received.map(\.messageID) == [received[0].messageID, received[0].messageID])
            #expect(Set(received[1].endToEndIDs) == Set(received[0].endToEndIDs))
            #expect(try await export.export { _ in Issue.record("nothing is left to deliver") } == nil)

            // At the bank, a MsgId received twice is one file: no payment in two different message ids.
            var filesOf: [String: Set<String>] = [:]
            for file in received { for id in file.endToEndIDs { filesOf[id, default: []].insert(file.messageID) } }
            #expect(filesOf.count == 2 && filesOf.values.allSatisfy { $0.count == 1 }, "\(filesOf)")
            let recorded = try await messageIDs(fixture)
            #expect(Set(recorded.values) == [received[0].messageID])
            #expect(try await PaymentStore.list(client: fixture.client, logger: fixture.logger).allSatisfy { $0.status == .exported })
        }
    }

    @Test("a waiting file goes out before any new one, byte for byte, and is recorded delivered; the stored file cannot be edited or deleted")
    func waitingFileFirst() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            try await fixture.pendingPayments(count: 1)
            let export = PaymentExport(client: fixture.client, logger: fixture.logger)
            var first: PaymentExport.Exported?
            do {
                _ = try await export.export(by: "fo1") { exported in
                    first = exported
                    throw DeliveryLost()
                }
                Issue.record("the export did not report the lost delivery")
            } catch is DeliveryLost {}
            let lost = try #require(first)
            #expect(!lost.redelivered)
            let waiting = try await PaymentFileStore.list(state: .prepared, client: fixture.client, logger: fixture.logger)
            #expect(waiting.map(\.messageID) == [lost.batch.messageID])
            #expect(waiting.first?.createdBy == "fo1" && waiting.first?.deliveries == 0 && waiting.first?.deliveredAt == nil)
            #expect(waiting.first?.payments == 1 && waiting.first?.controlSum == "1000.50" && waiting.first?.fundIDs == ["rapid"])

            // Another payment becomes pending meanwhile: the waiting file still goes first, alone.
            try await fixture.pendingPayments(count: 1)
            var delivered: [PaymentExport.Exported] = []
            let redelivered = try #require(try await export.export { delivered.append($0) })
            #expect(redelivered.redelivered && redelivered.stillPending == 1)
            #expect(redelivered.xml == lost.xml, "the same bytes")
            #expect(redelivered.batch.messageID == lost.batch.messageID && redelivered.batch.payments.map(\.id) == lost.batch.payments.map(\.id))
            #expect(redelivered.batch.groups.map(\.paymentInformationID) == lost.batch.groups.map(\.paymentInformationID))
            let next = try #require(try await export.export { delivered.append($0) })
            #expect(!next.redelivered && next.stillPending == 0 && next.batch.messageID != lost.batch.messageID)
            #expect(delivered.map(\.batch.messageID) == [lost.batch.messageID, next.batch.messageID])

            let files = try await PaymentFileStore.list(client: fixture.client, logger: fixture.logger)
            #expect(files.count == 2 && files.allSatisfy { $0.state == .delivered && $0.deliveries == 1 && $0.deliveredAt != nil })
            let stored = try await PaymentFileStore.find(lost.batch.messageID, client: fixture.client, logger: fixture.logger)
            #expect(stored.xml == lost.xml)
            try StandardSchemas.pain001().validate(stored.xml, what: "the stored file")

            for (statement, reason) in [
                ("UPDATE funding_payment_files SET xml = 'x'", "is stored once: only its delivery may be recorded"),
                ("UPDATE funding_payment_files SET state = 'prepared', delivered_at = NULL", "was delivered; it cannot become prepared again"),
                ("DELETE FROM funding_payment_files", "keeps every file sent or to be sent: DELETE refused"),
            ] {
                do {
                    _ = try await fixture.client.query(PostgresQuery(unsafeSQL: statement), logger: fixture.logger).collect()
                    Issue.record("\(statement) was not refused")
                } catch let error as PSQLError {
                    #expect(error.serverInfo?[.message]?.contains(reason) == true, "\(statement): \(String(reflecting: error))")
                }
            }
        }
    }

    @Test("exports run at once: every payment goes in exactly one file, whichever export delivers it")
    func concurrentExports() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            try await fixture.pendingPayments(count: 3)
            let export = PaymentExport(client: fixture.client, logger: fixture.logger)
            let delivered = try await withThrowingTaskGroup(of: [PaymentExport.Exported].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var mine: [PaymentExport.Exported] = []
                        _ = try await export.export { mine.append($0) }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            var filesOf: [String: Set<String>] = [:]
            for file in delivered { for payment in file.batch.payments { filesOf[payment.endToEndID, default: []].insert(file.batch.messageID) } }
            #expect(filesOf.count == 3 && filesOf.values.allSatisfy { $0.count == 1 }, "\(filesOf)")
            let files = try await PaymentFileStore.list(client: fixture.client, logger: fixture.logger)
            #expect(files.count == 1 && files.allSatisfy { $0.state == .delivered && $0.payments == 3 })
        }
    }

    @Test("an instruction cannot be marked exported with a message id of no stored file")
    func exportedNamesAStoredFile() async throws {
        try await FundingFixture.with { fixture in
            try await fixture.fund(contributed: 10_000_000)
            try await fixture.pendingPayments(count: 1)
            do {
                _ = try await fixture.client.query(
                    "UPDATE funding_payment_instructions SET status = 'exported', message_id = 'MER-NOT-STORED'", logger: fixture.logger).collect()
                Issue.record("an instruction was exported in no stored file")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.constraintName] == "funding_payment_instructions_file", "\(String(reflecting: error))")
            }
        }
    }
}
