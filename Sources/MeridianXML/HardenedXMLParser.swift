import Foundation
import CLibXML2

/// Parses untrusted XML (a bank's status report, a file a person hands us) with every
/// dangerous feature of libxml2 off.
///
/// The same rules as the workflow loader (MeridianWorkflow's HardenedParser), for documents
/// that are not workflow definitions: a size limit checked before parsing; any `<!DOCTYPE`
/// refused (so no DTD and no entity is ever declared or expanded); `XML_PARSE_NONET` and no
/// `NOENT`, `DTDLOAD`, `DTDATTR`, `XINCLUDE` or `HUGE`; a SAX hook that stops the parser past
/// the depth limit; errors collected on this parse's own context, never printed.
public struct HardenedXMLParser: Sendable {
    public var limits: XMLLimits

    public init(limits: XMLLimits = .standard) {
        self.limits = limits
    }

    /// A parsed libxml2 document, freed when this object goes away.
    public final class Document {
        let pointer: xmlDocPtr
        init(pointer: xmlDocPtr) { self.pointer = pointer }
        deinit { xmlFreeDoc(pointer) }

        /// The document's root element as a plain value tree.
        public var root: XMLElement? {
            guard let node = xmlDocGetRootElement(pointer) else { return nil }
            return Self.convert(node)
        }

        private static func convert(_ node: xmlNodePtr) -> XMLElement {
            var element = XMLElement(name: String(cString: node.pointee.name), line: Int(xmlGetLineNo(node)))
            if let ns = node.pointee.ns, let href = ns.pointee.href { element.namespace = String(cString: href) }
            var attribute = node.pointee.properties
            while let current = attribute {
                let name = String(cString: current.pointee.name)
                if let value = xmlNodeGetContent(UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self)) {
                    element.attributes[name] = String(cString: value)
                    meridian_xml_free(value)
                }
                attribute = current.pointee.next
            }
            var text = ""
            var child = node.pointee.children
            while let current = child {
                switch current.pointee.type {
                case XML_ELEMENT_NODE: element.children.append(convert(current))
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = current.pointee.content { text += String(cString: content) }
                default: break
                }
                child = current.pointee.next
            }
            element.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return element
        }
    }

    private final class ParseState {
        let limits: XMLLimits
        var errors: [String] = []
        var tooDeep = false
        var sawDoctype = false
        init(limits: XMLLimits) { self.limits = limits }
    }

    /// Parses `bytes` into a document, or says why not.
    public func parse(_ bytes: [UInt8]) throws(XMLInputError) -> Document {
        guard bytes.count <= limits.maxBytes else {
            throw XMLInputError(.tooLarge, "the file has \(bytes.count) bytes, more than the \(limits.maxBytes) accepted")
        }
        if Self.containsDoctype(bytes) {
            throw XMLInputError(.doctypeForbidden, "a DOCTYPE is not allowed (no DTD, no entities); remove it")
        }
        guard !bytes.isEmpty else { throw XMLInputError(.malformed, "the file is empty") }
        LibXMLSetup.ensure()
        let state = ParseState(limits: limits)
        let document: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars -> xmlDocPtr? in
                guard let base = chars.baseAddress, let context = xmlCreateMemoryParserCtxt(base, Int32(chars.count)) else { return nil }
                defer { xmlFreeParserCtxt(context) }
                _ = xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
                let sax = context.pointee.sax!
                sax.pointee.startElementNs = Self.startElement
                sax.pointee.serror = Self.collectError
                sax.pointee.internalSubset = Self.refuseDoctype
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
                if context.pointee.wellFormed == 0 || state.tooDeep || state.sawDoctype {
                    if let document { xmlFreeDoc(document) }
                    return nil
                }
                return document
            }
        }
        if state.tooDeep { throw XMLInputError(.tooDeep, "elements nest deeper than \(limits.maxDepth) levels") }
        if state.sawDoctype { throw XMLInputError(.doctypeForbidden, "a DOCTYPE is not allowed (no DTD, no entities); remove it") }
        guard let document else {
            throw XMLInputError(.malformed, "the file is not well-formed XML", details: state.errors)
        }
        return Document(pointer: document)
    }

    /// Parses `bytes` and returns the root element as a value.
    public func parseTree(_ bytes: [UInt8]) throws(XMLInputError) -> XMLElement {
        let document = try parse(bytes)
        guard let root = document.root else { throw XMLInputError(.malformed, "the document has no root element") }
        return root
    }

    /// `<!DOCTYPE` anywhere, in any case (a cheap refusal before libxml2 sees the bytes).
    static func containsDoctype(_ bytes: [UInt8]) -> Bool {
        let pattern = Array("<!DOCTYPE".utf8)
        guard bytes.count >= pattern.count else { return false }
        var index = 0
        while index <= bytes.count - pattern.count {
            if bytes[index] == 0x3C, bytes[index + 1] == 0x21 {
                var match = true
                for offset in 2..<pattern.count where bytes[index + offset] & 0xDF != pattern[offset] {
                    match = false
                    break
                }
                if match { return true }
            }
            index += 1
        }
        return false
    }

    private static func state(of context: UnsafeMutableRawPointer?) -> ParseState? {
        guard let context else { return nil }
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let opaque = parser.pointee._private else { return nil }
        return Unmanaged<ParseState>.fromOpaque(opaque).takeUnretainedValue()
    }

    private static let startElement: startElementNsSAX2Func = { context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes in
        xmlSAX2StartElementNs(context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes)
        guard let context, let state = HardenedXMLParser.state(of: context) else { return }
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        if parser.pointee.nodeNr > state.limits.maxDepth, !state.tooDeep {
            state.tooDeep = true
            xmlStopParser(parser)
        }
    }

    private static let refuseDoctype: internalSubsetSAXFunc = { context, _, _, _ in
        guard let context, let state = HardenedXMLParser.state(of: context) else { return }
        state.sawDoctype = true
        xmlStopParser(context.assumingMemoryBound(to: xmlParserCtxt.self))
    }

    private static let collectError: xmlStructuredErrorFunc = { context, error in
        guard let error, let state = HardenedXMLParser.state(of: context) else { return }
        state.errors.append("line \(error.pointee.line): \(LibXMLSetup.message(error.pointee.message))")
    }
}
