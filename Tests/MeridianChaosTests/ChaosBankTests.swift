import MeridianCodes
import Foundation
@testable import MeridianFunding
import Testing

/// The chaos bank counts what a real bank would pay twice: a payment in two different files.
/// A file delivered again under its MsgId is one file (a bank refuses the duplicate).
@Suite struct ChaosBankTests {
    private static func batch(_ messageID: String, _ endToEndIDs: [String]) throws -> PaymentBatch {
        let account = try BankAccount.iban("GB82 WEST 1234 5698 7654 32")
        let payments = endToEndIDs.map { id in
            PaymentInstruction(id: UUID(), endToEndID: id, grantID: UUID(), fundID: "rapid", instalment: 1, beneficiary: "RDRC", account: account,
                               amount: Money(minorUnits: 100, currency: Currency(code: "USD")!), reference: "chaos", status: .exported,
                               failureReason: nil, messageID: messageID, disbursedBy: "fo1", createdAt: Date(), updatedAt: Date())
        }
        return PaymentBatch(messageID: messageID, createdAt: Date(), initiatingParty: "Meridian", requestedExecution: CalendarDay(Date()),
                            groups: [.init(paymentInformationID: "\(messageID)-1", debtorName: "Rapid", debtorAccount: account, payments: payments)])
    }

    @Test func theSameMsgIdTwiceIsOneFileAPaymentInTwoMsgIdsIsDoubled() throws {
        let bank = ChaosBank()
        bank.receive(try Self.batch("MER-A", ["M1", "M2"]))
        bank.receive(try Self.batch("MER-A", ["M1", "M2"]))
        #expect(bank.received().files == 1 && bank.received().inSeveralFiles.isEmpty)
        #expect(bank.unansweredReports().map(\.messageID) == ["MER-A"])
        bank.receive(try Self.batch("MER-B", ["M2", "M3"]))
        let received = bank.received()
        #expect(received.files == 2 && received.payments == 3 && received.inSeveralFiles == ["M2"])
    }
}
