import CLibXML2

/// The one hardened libxml2 parse both readers of XML use: workflow definitions
/// (MeridianWorkflow's loader, which turns the result into located diagnostics) and hostile
/// files such as bank status reports (``HardenedXMLParser``).
///
/// libxml2 parses from memory with `XML_PARSE_NONET` and never with `NOENT`, `DTDLOAD`,
/// `DTDATTR`, `XINCLUDE` or `HUGE`, so no entity is expanded and nothing is fetched. A SAX
/// hook records where each element's start tag ends (its byte offset + 1, in the node's
/// `_private`, since libxml2 keeps only lines) and stops the parser past the depth limit; an
/// internal subset (a DOCTYPE) stops it too. Errors are collected on this parse's own context,
/// never printed and never through libxml2's global handlers, so parses may run concurrently.
public enum HardenedLibXML {
    /// One error libxml2 reported.
    public struct ParseError: Sendable, Hashable {
        public var message: String
        public var line: Int
        public var column: Int
        public var isWarning: Bool
    }

    /// What one parse produced. The caller owns `document` (free it with `xmlFreeDoc`).
    public struct Outcome {
        public var document: xmlDocPtr?
        public var errors: [ParseError]
        /// The byte offset where nesting went past the limit, if it did.
        public var tooDeepAt: Int?
        public var sawDoctype: Bool
        public var wellFormed: Bool
    }

    private final class ParseState {
        let maxDepth: Int
        var errors: [ParseError] = []
        var tooDeepAt: Int?
        var sawDoctype = false
        init(maxDepth: Int) { self.maxDepth = maxDepth }
    }

    /// Process-wide set-up (done once): `xmlInitParser` and the no-network entity loader.
    public static func initialize() { LibXMLSetup.ensure() }

    /// A libxml2 message as one line (trailing newline dropped, cut to 300 characters).
    public static func message(_ raw: UnsafeMutablePointer<CChar>?) -> String { LibXMLSetup.message(raw) }

    /// Parses `buffer` (which must stay pinned for the call) with every dangerous feature off.
    public static func parse(_ buffer: UnsafeBufferPointer<CChar>, maxDepth: Int, ignoreEncoding: Bool = false) -> Outcome {
        LibXMLSetup.ensure()
        let state = ParseState(maxDepth: maxDepth)
        guard let base = buffer.baseAddress, let context = xmlCreateMemoryParserCtxt(base, Int32(buffer.count)) else {
            return Outcome(document: nil, errors: [ParseError(message: "libxml2 could not create a parser context", line: 1, column: 1, isWarning: false)],
                           tooDeepAt: nil, sawDoctype: false, wellFormed: false)
        }
        defer { xmlFreeParserCtxt(context) }
        var options = XML_PARSE_NONET.rawValue
        if ignoreEncoding { options |= XML_PARSE_IGNORE_ENC.rawValue }
        _ = xmlCtxtUseOptions(context, Int32(options))
        let sax = context.pointee.sax!
        sax.pointee.startElementNs = startElement
        sax.pointee.serror = collectError
        sax.pointee.internalSubset = refuseDoctype
        sax.pointee.externalSubset = nil
        sax.pointee.entityDecl = nil
        sax.pointee.resolveEntity = nil
        sax.pointee.warning = nil
        sax.pointee.error = nil
        sax.pointee.fatalError = nil
        sax.pointee.initialized = UInt32(XML_SAX2_MAGIC)
        let unmanaged = Unmanaged.passRetained(state)
        defer { unmanaged.release() }
        context.pointee._private = unmanaged.toOpaque()
        _ = xmlParseDocument(context)
        let document = context.pointee.myDoc
        context.pointee.myDoc = nil
        return Outcome(document: document, errors: state.errors, tooDeepAt: state.tooDeepAt, sawDoctype: state.sawDoctype,
                       wellFormed: context.pointee.wellFormed != 0)
    }

    private static func state(of context: UnsafeMutableRawPointer?) -> ParseState? {
        guard let context else { return nil }
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let opaque = parser.pointee._private else { return nil }
        return Unmanaged<ParseState>.fromOpaque(opaque).takeUnretainedValue()
    }

    private static let startElement: startElementNsSAX2Func = { context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes in
        xmlSAX2StartElementNs(context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes)
        guard let context, let state = HardenedLibXML.state(of: context) else { return }
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        var offset = 0
        if let input = parser.pointee.input, let base = input.pointee.base, let cursor = input.pointee.cur {
            offset = Int(input.pointee.consumed) + (cursor - base)
        }
        if let node = parser.pointee.node {
            node.pointee._private = UnsafeMutableRawPointer(bitPattern: offset + 1)
        }
        if parser.pointee.nodeNr > state.maxDepth, state.tooDeepAt == nil {
            state.tooDeepAt = offset
            xmlStopParser(parser)
        }
    }

    private static let refuseDoctype: internalSubsetSAXFunc = { context, _, _, _ in
        guard let context, let state = HardenedLibXML.state(of: context) else { return }
        state.sawDoctype = true
        xmlStopParser(context.assumingMemoryBound(to: xmlParserCtxt.self))
    }

    private static let collectError: xmlStructuredErrorFunc = { context, error in
        guard let error, let state = HardenedLibXML.state(of: context) else { return }
        state.errors.append(ParseError(message: LibXMLSetup.message(error.pointee.message), line: Int(error.pointee.line),
                                       column: Int(error.pointee.int2), isWarning: error.pointee.level == XML_ERR_WARNING))
    }
}
