import CLibXML2

/// Copies a libxml2 document into `ParsedElement` values with exact line and column numbers.
struct DocumentReader {
    let source: SourceText

    /// Where the element's start tag begins, from the offset our SAX hook stored.
    func location(of node: xmlNodePtr) -> SourceLocation {
        if let tagStart = tagStart(of: node) {
            return source.location(ofByte: tagStart)
        }
        return SourceLocation(line: max(Int(xmlGetLineNo(node)), 1), column: 1)
    }

    private func tagStart(of node: xmlNodePtr) -> Int? {
        guard node.pointee.type == XML_ELEMENT_NODE, let stored = node.pointee._private else { return nil }
        let offset = Int(bitPattern: stored) - 1
        guard offset >= 0, offset <= source.bytes.count else { return nil }
        return source.startOfTag(endingAt: offset)
    }

    /// The element and everything below it.
    func read(_ node: xmlNodePtr) -> ParsedElement {
        let name = String(cString: node.pointee.name)
        let namespace = node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
        var attributePositions: [String: SourceLocation] = [:]
        if let tagStart = tagStart(of: node) {
            for (attribute, offset) in source.attributeOffsets(tagStart: tagStart) {
                attributePositions[attribute] = source.location(ofByte: offset)
            }
        }
        var attributes: [(name: String, value: String)] = []
        var property = node.pointee.properties
        while let attribute = property {
            let attributeName = String(cString: attribute.pointee.name)
            attributes.append((attributeName, content(of: UnsafeMutableRawPointer(attribute).assumingMemoryBound(to: xmlNode.self))))
            property = attribute.pointee.next
        }
        var children: [ParsedElement] = []
        var text = ""
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                children.append(read(current))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { text += String(cString: content) }
            default:
                break
            }
            child = current.pointee.next
        }
        return ParsedElement(
            name: name, namespace: namespace, attributes: attributes,
            positions: SourcePositions(element: location(of: node), attributes: attributePositions),
            children: children, text: text.trimmingWhitespace()
        )
    }

    private func content(of node: xmlNodePtr) -> String {
        guard let raw = xmlNodeGetContent(node) else { return "" }
        defer { meridian_xml_free(raw) }
        return String(cString: raw)
    }
}

extension String {
    /// Without leading and trailing XML whitespace; inner runs of whitespace become one space.
    func trimmingWhitespace() -> String {
        split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}
