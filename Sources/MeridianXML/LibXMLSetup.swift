import CLibXML2

/// Process-wide libxml2 set-up, done once on first use.
///
/// Besides `xmlInitParser`, installs libxml2's no-network entity loader, so no schema include
/// or import can ever fetch a URL: schemas resolve their includes from disk only. Calling
/// `xmlInitParser` again after MeridianWorkflow did is harmless.
enum LibXMLSetup {
    private static let done: Bool = {
        xmlInitParser()
        xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader)
        return true
    }()

    static func ensure() { _ = done }

    static func message(_ raw: UnsafeMutablePointer<CChar>?) -> String {
        guard let raw else { return "unknown libxml2 error" }
        var text = String(cString: raw)
        while text.last?.isWhitespace == true { text.removeLast() }
        return text.count > 300 ? text.prefix(300) + "…" : text
    }
}
