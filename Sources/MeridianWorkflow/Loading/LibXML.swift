import Foundation
import CLibXML2
import MeridianXML

/// Process-wide set-up of libxml2, done once.
///
/// `xmlInitParser` must run before threads use the parser; a Swift global `let` is
/// initialised exactly once, thread-safely, on first use. Nothing else in this module touches
/// libxml2's global state: every parse and validation installs its error handlers on its own
/// context, never through `xmlSetGenericErrorFunc`/`xmlSetStructuredErrorFunc`, so loads may
/// run concurrently and libxml2 never writes to standard error.
enum LibXML {
    /// `xmlInitParser` and the no-network entity loader, once per process (MeridianXML).
    static func ensureInitialized() {
        HardenedLibXML.initialize()
    }

    /// A message already cut to one line, with our namespace elided.
    static func elided(_ text: String) -> String {
        text.replacingOccurrences(of: "{\(WorkflowNamespace.uri)}", with: "")
    }

    /// A libxml2 message as one line: its trailing newline dropped and our namespace elided.
    /// Long messages (libxml2 quotes whole attribute values) are cut to `maxLength` characters.
    static func message(_ raw: UnsafeMutablePointer<CChar>?, maxLength: Int = 300) -> String {
        guard let raw else { return "unknown libxml2 error" }
        let text = String(cString: raw)
            .replacingOccurrences(of: "{\(WorkflowNamespace.uri)}", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count > maxLength ? text.prefix(maxLength) + "…" : text
    }
}

/// The namespace of the language, version 1.
public enum WorkflowNamespace {
    public static let uri = "urn:meridian:workflow:1"
}
