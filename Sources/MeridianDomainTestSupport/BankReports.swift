/// The files a bank sends back, for tests of reconciliation.
public enum BankReports {
    /// A pain.002.001.03 report as a bank writes it.
    public static func pain002(original: String, _ transactions: [(String, String, String?)]) -> String {
        let items = transactions.map { e2e, status, reason in
            """
                  <TxInfAndSts>
                    <OrgnlEndToEndId>\(e2e)</OrgnlEndToEndId>
                    <TxSts>\(status)</TxSts>
                    \(reason.map { "<StsRsnInf><Rsn><Cd>\($0)</Cd></Rsn></StsRsnInf>" } ?? "")
                  </TxInfAndSts>
            """
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
              <CstmrPmtStsRpt>
                <GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2026-11-29T10:00:00</CreDtTm></GrpHdr>
                <OrgnlGrpInfAndSts><OrgnlMsgId>\(original)</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>
                <OrgnlPmtInfAndSts>
                  <OrgnlPmtInfId>\(original)-1</OrgnlPmtInfId>
            \(items)
                </OrgnlPmtInfAndSts>
              </CstmrPmtStsRpt>
            </Document>
            """
    }
}
