import MeridianCodes
import Foundation
import MeridianXML

/// Writes a batch as an ISO 20022 pain.001.001.03 customer credit transfer initiation.
///
/// Elements in the schema's order; the group header's `NbOfTxs` and `CtrlSum` count and add
/// every `CdtTrfTxInf` of the file, each payment information block carries its own; every
/// transaction has its instruction's unique end-to-end id. Accounts are an IBAN, or an
/// account number (`Othr/Id`) with the bank code as the creditor agent's clearing-system
/// member id. Tests validate the output against the published XSD.
public enum Pain001Writer {
    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

    public static func write(_ batch: PaymentBatch) -> String {
        var xml = XMLWriter()
        xml.element("Document", ["xmlns": namespace]) { xml in
            xml.element("CstmrCdtTrfInitn") { xml in
                xml.element("GrpHdr") { xml in
                    xml.element("MsgId", text: batch.messageID)
                    xml.element("CreDtTm", text: dateTime(batch.createdAt))
                    xml.element("NbOfTxs", text: String(batch.payments.count))
                    xml.element("CtrlSum", text: PaymentBatch.controlSum(batch.payments.map(\.amount)))
                    xml.element("InitgPty") { $0.element("Nm", text: limited(batch.initiatingParty, max: 140)) }
                }
                for group in batch.groups {
                    xml.element("PmtInf") { xml in
                        xml.element("PmtInfId", text: group.paymentInformationID)
                        xml.element("PmtMtd", text: "TRF")
                        xml.element("NbOfTxs", text: String(group.payments.count))
                        xml.element("CtrlSum", text: PaymentBatch.controlSum(group.payments.map(\.amount)))
                        xml.element("ReqdExctnDt", text: batch.requestedExecution.description)
                        xml.element("Dbtr") { $0.element("Nm", text: limited(group.debtorName, max: 140)) }
                        xml.element("DbtrAcct") { account(&$0, group.debtorAccount) }
                        xml.element("DbtrAgt") { agent(&$0, group.debtorAccount) }
                        for payment in group.payments {
                            xml.element("CdtTrfTxInf") { xml in
                                xml.element("PmtId") { $0.element("EndToEndId", text: payment.endToEndID) }
                                xml.element("Amt") { $0.element("InstdAmt", ["Ccy": payment.amount.currency.code], text: payment.amount.decimalText) }
                                xml.element("CdtrAgt") { agent(&$0, payment.account) }
                                xml.element("Cdtr") { $0.element("Nm", text: limited(payment.beneficiary, max: 140)) }
                                xml.element("CdtrAcct") { account(&$0, payment.account) }
                                xml.element("RmtInf") { $0.element("Ustrd", text: limited(payment.reference, max: 140)) }
                            }
                        }
                    }
                }
            }
        }
        return xml.text
    }

    private static func account(_ xml: inout XMLWriter, _ account: BankAccount) {
        xml.element("Id") { xml in
            if let iban = account.iban {
                xml.element("IBAN", text: iban)
            } else {
                xml.element("Othr") { $0.element("Id", text: account.accountNumber ?? "") }
            }
        }
    }

    /// The bank: its BIC, or its clearing code, or `NOTPROVIDED` as the standard's usage rules allow.
    private static func agent(_ xml: inout XMLWriter, _ account: BankAccount) {
        xml.element("FinInstnId") { xml in
            if let bic = account.bic {
                xml.element("BIC", text: bic)
            } else if let code = account.bankCode {
                xml.element("ClrSysMmbId") { $0.element("MmbId", text: code) }
            } else {
                xml.element("Othr") { $0.element("Id", text: "NOTPROVIDED") }
            }
        }
    }

    /// ISO 20022 text fields hold at most `max` characters.
    private static func limited(_ value: String, max: Int) -> String {
        value.count > max ? String(value.prefix(max)) : value
    }

    private static func dateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
