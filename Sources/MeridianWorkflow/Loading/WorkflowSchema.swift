import CLibXML2
import Foundation
import MeridianSchemas

/// The compiled XSD of the language, ready to validate any number of documents.
///
/// Compiling takes longer than validating a definition, so a loader compiles it once and
/// keeps it. libxml2 allows one compiled `xmlSchema` to be used by several validation
/// contexts at once (each validation gets its own `xmlSchemaValidCtxt`); the pointer is
/// never mutated after `init`, which is why this class may be `@unchecked Sendable`.
final class WorkflowSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr

    /// A problem reported by libxml2 with the node it concerns.
    struct Violation {
        var message: String
        var node: xmlNodePtr?
        var line: Int
    }

    private final class Collector {
        var violations: [Violation] = []
    }

    /// Compiles XSD text (by default the bundled Schemas/workflow.xsd).
    init(xsd: [UInt8]) throws(WorkflowLoadingError) {
        LibXML.ensureInitialized()
        let collector = Collector()
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        // libxml2 keeps pointing into the buffer until xmlSchemaParse returns, so all of it
        // happens while the buffer is pinned.
        let compiled: Result<xmlSchemaPtr, WorkflowLoadingError> = xsd.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let parserContext = base.withMemoryRebound(to: CChar.self, capacity: buffer.count, {
                xmlSchemaNewMemParserCtxt($0, Int32(buffer.count))
            }) else {
                return .failure(WorkflowLoadingError(code: .schemaUnusable, message: "libxml2 could not read the workflow XSD"))
            }
            defer { xmlSchemaFreeParserCtxt(parserContext) }
            xmlSchemaSetParserStructuredErrors(parserContext, Self.collect, unmanaged.toOpaque())
            guard let schema = xmlSchemaParse(parserContext) else {
                let reasons = collector.violations.map(\.message).joined(separator: "; ")
                return .failure(WorkflowLoadingError(code: .schemaUnusable, message: "the workflow XSD does not compile: \(reasons)"))
            }
            return .success(schema)
        }
        let schema = try compiled.get()
        self.schema = schema
    }

    /// Compiles the XSD that ships with Meridian.
    convenience init() throws(WorkflowLoadingError) {
        let url = SchemaFiles.workflowXSD
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw WorkflowLoadingError(code: .schemaUnusable, message: "the bundled workflow XSD is missing at \(url.path)")
        }
        try self.init(xsd: [UInt8](data))
    }

    deinit { xmlSchemaFree(schema) }

    /// Every violation of the schema in the document (none when it is valid).
    func validate(_ document: xmlDocPtr) -> [Violation] {
        let collector = Collector()
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [Violation(message: "libxml2 could not create a validation context", node: nil, line: 1)]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        xmlSchemaSetValidStructuredErrors(context, Self.collect, unmanaged.toOpaque())
        let result = xmlSchemaValidateDoc(context, document)
        if result != 0 && collector.violations.isEmpty {
            collector.violations.append(Violation(message: "the document does not match the workflow schema", node: nil, line: 1))
        }
        return collector.violations
    }

    private static let collect: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
        let node = error.pointee.node?.assumingMemoryBound(to: xmlNode.self)
        collector.violations.append(Violation(message: LibXML.message(error.pointee.message), node: node, line: Int(error.pointee.line)))
    }
}
