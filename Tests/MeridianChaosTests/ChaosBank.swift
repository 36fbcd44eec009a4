import Foundation
import MeridianFunding
import Synchronization

/// The bank of a chaos run. It receives each pain.001 file the moment Meridian delivers it
/// (before Meridian records the delivery: a file delivered by an export that then failed is
/// still in the bank's hands, as it would be) and answers every file with a pain.002 report
/// that settles all its payments.
///
/// A file whose MsgId it already has is refused as a duplicate, as an ISO 20022 bank does:
/// Meridian delivers a file again, with the same MsgId, when its delivery was never recorded.
/// It counts end-to-end ids it received in more than one file — under two different message
/// ids: each is a payment the bank would make twice.
final class ChaosBank: Sendable {
    private struct File: Sendable {
        var messageID: String
        var paymentInformationID: String
        var endToEndIDs: [String]
        var answered = false
    }

    private let files = Mutex<[File]>([])

    /// Takes a delivered file (the `deliver` step of `PaymentExport.export`); a MsgId already received is a duplicate, and ignored.
    func receive(_ batch: PaymentBatch) {
        let file = File(messageID: batch.messageID, paymentInformationID: batch.groups.first?.paymentInformationID ?? batch.messageID,
                        endToEndIDs: batch.payments.map(\.endToEndID))
        files.withLock { files in
            guard !files.contains(where: { $0.messageID == file.messageID }) else { return }
            files.append(file)
        }
    }

    /// The status reports of the files not yet reconciled, by message id.
    func unansweredReports() -> [(messageID: String, xml: String)] {
        files.withLock { files in
            files.filter { !$0.answered }.map { ($0.messageID, Self.statusReport($0)) }
        }
    }

    /// Records that Meridian reconciled the report of `messageID`.
    func answered(_ messageID: String) {
        files.withLock { files in
            for index in files.indices where files[index].messageID == messageID { files[index].answered = true }
        }
    }

    /// Files received, and end-to-end ids that came in more than one file.
    func received() -> (files: Int, payments: Int, inSeveralFiles: [String]) {
        files.withLock { files in
            let ids = files.flatMap(\.endToEndIDs)
            let counted = Dictionary(ids.map { ($0, 1) }, uniquingKeysWith: +)
            return (files.count, counted.count, counted.filter { $0.value > 1 }.map(\.key).sorted())
        }
    }

    /// A pain.002.001.03 report settling (ACSC) every payment of `file`.
    private static func statusReport(_ file: File) -> String {
        let created = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: "Z", with: "")
        let transactions = file.endToEndIDs.map {
            "        <TxInfAndSts><OrgnlEndToEndId>\($0)</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
              <CstmrPmtStsRpt>
                <GrpHdr><MsgId>CHAOS-BANK-\(file.messageID)</MsgId><CreDtTm>\(created)</CreDtTm></GrpHdr>
                <OrgnlGrpInfAndSts><OrgnlMsgId>\(file.messageID)</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>
                <OrgnlPmtInfAndSts>
                  <OrgnlPmtInfId>\(file.paymentInformationID)</OrgnlPmtInfId>
            \(transactions.joined(separator: "\n"))
                </OrgnlPmtInfAndSts>
              </CstmrPmtStsRpt>
            </Document>

            """
    }
}
