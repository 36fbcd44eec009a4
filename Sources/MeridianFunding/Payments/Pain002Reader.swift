import MeridianXML

/// Reads an ISO 20022 pain.002 customer payment status report (any version), a file that
/// comes from outside and is parsed as hostile input (``HardenedXMLParser``).
///
/// No XSD for pain.002 ships with Meridian; the reader follows the documented structure:
/// `CstmrPmtStsRpt/OrgnlGrpInfAndSts` (the original message id, a group status) and
/// `OrgnlPmtInfAndSts/TxInfAndSts` (`OrgnlEndToEndId`, `TxSts`, `StsRsnInf/Rsn/Cd`).
public enum Pain002Reader {
    /// One transaction's reported status.
    public struct TransactionStatus: Sendable, Hashable {
        public var endToEndID: String
        public var status: String
        public var reasonCode: String?
        public var reasonText: String?
    }

    public struct Report: Sendable, Hashable {
        public var messageID: String?
        public var originalMessageID: String
        /// The status of the whole original message, when the bank gives one (`RJCT` with no
        /// transactions means every payment of the file failed).
        public var groupStatus: String?
        public var groupReason: String?
        public var transactions: [TransactionStatus]
    }

    /// What a status code means for Meridian.
    public enum Outcome: Sendable, Hashable {
        /// `ACSC` (settlement completed), `ACCC` (credited to the creditor).
        case paid
        /// `RJCT`.
        case failed
        /// `ACTC`, `ACCP`, `ACSP`, `ACWC`, `PDNG`, …: accepted or in progress, not final.
        case pending
    }

    public static func outcome(of status: String) -> Outcome {
        switch status {
        case "ACSC", "ACCC": .paid
        case "RJCT": .failed
        default: .pending
        }
    }

    /// A report that gives one payment two final outcomes (paid and rejected) cannot be
    /// applied in any order: `.conflict` (exit 75), naming the payment and both statuses.
    static func refuseContradictions(_ transactions: [TransactionStatus]) throws(FundingError) {
        var finals: [String: String] = [:]
        for transaction in transactions {
            let outcome = outcome(of: transaction.status)
            guard outcome != .pending else { continue }
            if let earlier = finals[transaction.endToEndID], Self.outcome(of: earlier) != outcome {
                throw FundingError(.conflict, "the status report contradicts itself: payment \(transaction.endToEndID) is both \(earlier) and \(transaction.status)",
                                   hint: "nothing was applied; ask the bank for a corrected pain.002")
            }
            finals[transaction.endToEndID] = transaction.status
        }
    }

    public static func read(_ bytes: [UInt8], limits: XMLLimits = .standard) throws -> Report {
        let root: XMLElement
        do {
            root = try HardenedXMLParser(limits: limits).parseTree(bytes)
        } catch {
            throw FundingError(.invalidInput, "the status report is not acceptable XML: \(error)", hint: "give the pain.002 file exactly as the bank sent it", underlying: error)
        }
        guard root.name == "Document", let namespace = root.namespace, namespace.hasPrefix("urn:iso:std:iso:20022:tech:xsd:pain.002.") else {
            throw FundingError(.invalidInput, "the file is not an ISO 20022 pain.002 status report (root \(root.name), namespace \(root.namespace ?? "none"))",
                               hint: "reconcile takes the bank's pain.002 payment status report")
        }
        guard let report = root.child("CstmrPmtStsRpt"), let group = report.child("OrgnlGrpInfAndSts"),
              let original = group.text(at: ["OrgnlMsgId"]), !original.isEmpty else {
            throw FundingError(.invalidInput, "the status report has no CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlMsgId",
                               hint: "the file may be truncated; ask the bank for it again")
        }
        var transactions: [TransactionStatus] = []
        for payment in report.children("OrgnlPmtInfAndSts") {
            for transaction in payment.children("TxInfAndSts") {
                guard let endToEnd = transaction.text(at: ["OrgnlEndToEndId"]), !endToEnd.isEmpty else {
                    throw FundingError(.invalidInput, "line \(transaction.line): a TxInfAndSts has no OrgnlEndToEndId")
                }
                let status = transaction.text(at: ["TxSts"]) ?? payment.text(at: ["PmtInfSts"]) ?? ""
                guard !status.isEmpty else {
                    throw FundingError(.invalidInput, "line \(transaction.line): the transaction \(endToEnd) has no TxSts")
                }
                let reason = transaction.child("StsRsnInf")
                transactions.append(TransactionStatus(endToEndID: endToEnd, status: status, reasonCode: reason?.text(at: ["Rsn", "Cd"]),
                                                      reasonText: reason?.children("AddtlInf").map(\.text).joined(separator: " ")))
            }
        }
        try refuseContradictions(transactions)
        let groupReason = group.child("StsRsnInf")
        return Report(messageID: report.text(at: ["GrpHdr", "MsgId"]), originalMessageID: original, groupStatus: group.text(at: ["GrpSts"]),
                      groupReason: groupReason?.text(at: ["Rsn", "Cd"]) ?? groupReason?.children("AddtlInf").first?.text,
                      transactions: transactions)
    }
}
