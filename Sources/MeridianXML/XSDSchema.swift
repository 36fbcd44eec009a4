import CLibXML2
import Foundation

/// A compiled XML Schema (a published standard's XSD), ready to validate documents.
///
/// Compiled from a file so that its `xsd:include`/`xsd:import` resolve from the same folder;
/// the no-network entity loader (see ``LibXMLSetup``) makes sure nothing is fetched. A compiled
/// schema is never mutated after `init` and libxml2 lets several validation contexts share it,
/// hence `@unchecked Sendable`.
public final class XSDSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    /// The file it was compiled from, for messages.
    public let path: String

    private final class Collector {
        var messages: [String] = []
    }

    /// Compiles the XSD at `url`.
    public init(url: URL) throws(XMLInputError) {
        LibXMLSetup.ensure()
        path = url.path
        let collector = Collector()
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        guard let parserContext = xmlSchemaNewParserCtxt(url.path) else {
            throw XMLInputError(.schemaUnusable, "libxml2 could not open the schema \(url.path)")
        }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        xmlSchemaSetParserStructuredErrors(parserContext, Self.collect, unmanaged.toOpaque())
        guard let schema = xmlSchemaParse(parserContext) else {
            throw XMLInputError(.schemaUnusable, "the schema \(url.lastPathComponent) does not compile", details: collector.messages)
        }
        self.schema = schema
    }

    deinit { xmlSchemaFree(schema) }

    /// Every violation of the schema in `document`, one line each (none when valid).
    public func violations(in document: HardenedXMLParser.Document) -> [String] {
        let collector = Collector()
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        guard let context = xmlSchemaNewValidCtxt(schema) else { return ["libxml2 could not create a validation context"] }
        defer { xmlSchemaFreeValidCtxt(context) }
        xmlSchemaSetValidStructuredErrors(context, Self.collect, unmanaged.toOpaque())
        let result = xmlSchemaValidateDoc(context, document.pointer)
        if result != 0 && collector.messages.isEmpty {
            collector.messages.append("the document does not match the schema")
        }
        return collector.messages
    }

    /// Parses `text` (hardened) and validates it; throws with every violation if it is not valid.
    public func validate(_ text: String, what: String) throws(XMLInputError) {
        let document = try HardenedXMLParser().parse(Array(text.utf8))
        let problems = violations(in: document)
        guard problems.isEmpty else {
            throw XMLInputError(.invalid, "\(what) does not validate against \(URL(fileURLWithPath: path).lastPathComponent)", details: problems)
        }
    }

    private static let collect: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
        collector.messages.append("line \(error.pointee.line): \(LibXMLSetup.message(error.pointee.message))")
    }
}
