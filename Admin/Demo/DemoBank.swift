import Foundation
import MeridianFunding

/// The bank, as the demo plays it: it answers a pain.001 batch with a pain.002 status report,
/// settling every payment except those to accounts it knows to be closed (rejected with the
/// ISO 20022 reason `AC04`, closed account number).
///
/// Meridian then reads the report as it reads any bank's file (`payments reconcile`): as
/// hostile input, through the hardened parser.
struct DemoBank {
    /// IBANs, without spaces, the bank rejects.
    var closedAccounts: Set<String>

    /// The status report for `batch`, and how many payments it rejects.
    func statusReport(for batch: PaymentBatch, at date: Date) -> (xml: String, rejected: Int) {
        var rejected = 0
        let transactions = batch.payments.map { payment -> String in
            let iban = payment.account.iban?.filter { !$0.isWhitespace } ?? ""
            guard closedAccounts.contains(iban) else {
                return "        <TxInfAndSts><OrgnlEndToEndId>\(payment.endToEndID)</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>"
            }
            rejected += 1
            return """
                        <TxInfAndSts><OrgnlEndToEndId>\(payment.endToEndID)</OrgnlEndToEndId><TxSts>RJCT</TxSts>\
                <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>Closed account number</AddtlInf></StsRsnInf></TxInfAndSts>
                """
        }
        let created = ISO8601DateFormatter().string(from: date).replacingOccurrences(of: "Z", with: "")
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
              <CstmrPmtStsRpt>
                <GrpHdr><MsgId>DEMO-BANK-\(batch.messageID)</MsgId><CreDtTm>\(created)</CreDtTm></GrpHdr>
                <OrgnlGrpInfAndSts><OrgnlMsgId>\(batch.messageID)</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>
                <OrgnlPmtInfAndSts>
                  <OrgnlPmtInfId>\(batch.groups.first?.paymentInformationID ?? batch.messageID)</OrgnlPmtInfId>
            \(transactions.joined(separator: "\n"))
                </OrgnlPmtInfAndSts>
              </CstmrPmtStsRpt>
            </Document>

            """
        return (xml, rejected)
    }
}
