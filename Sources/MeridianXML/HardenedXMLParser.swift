import Foundation
import CLibXML2

/// Parses untrusted XML (a bank's status report, a file a person hands us) with every
/// dangerous feature of libxml2 off.
///
/// The parse the workflow loader uses too (``HardenedLibXML``), for documents that are not
/// workflow definitions: a size limit checked before parsing; any `<!DOCTYPE` refused before
/// libxml2 runs and by the SAX hook (so no DTD and no entity is ever declared or expanded);
/// no network; bounded depth; errors collected, never printed.
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

    /// Parses `bytes` into a document, or says why not.
    public func parse(_ bytes: [UInt8]) throws(XMLInputError) -> Document {
        guard bytes.count <= limits.maxBytes else {
            throw XMLInputError(.tooLarge, "the file has \(bytes.count) bytes, more than the \(limits.maxBytes) accepted")
        }
        if Self.containsDoctype(bytes) {
            throw XMLInputError(.doctypeForbidden, "a DOCTYPE is not allowed (no DTD, no entities); remove it")
        }
        guard !bytes.isEmpty else { throw XMLInputError(.malformed, "the file is empty") }
        let outcome = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { HardenedLibXML.parse($0, maxDepth: limits.maxDepth) }
        }
        guard outcome.tooDeepAt == nil, !outcome.sawDoctype, outcome.wellFormed, let document = outcome.document else {
            if let document = outcome.document { xmlFreeDoc(document) }
            if outcome.tooDeepAt != nil { throw XMLInputError(.tooDeep, "elements nest deeper than \(limits.maxDepth) levels") }
            if outcome.sawDoctype { throw XMLInputError(.doctypeForbidden, "a DOCTYPE is not allowed (no DTD, no entities); remove it") }
            throw XMLInputError(.malformed, "the file is not well-formed XML", details: outcome.errors.map { "line \($0.line): \($0.message)" })
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
}
