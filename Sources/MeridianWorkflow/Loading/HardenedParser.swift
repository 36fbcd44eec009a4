import CLibXML2

/// Turns the bytes of a definition into a libxml2 document with every dangerous feature off.
///
/// In order: the bytes must be UTF-8 without NULs; the XML declaration may name no other
/// encoding; any `<!DOCTYPE` is refused before libxml2 runs. libxml2 then parses from memory
/// with `XML_PARSE_NONET` and without `NOENT`, `DTDLOAD`, `DTDATTR`, `XINCLUDE` or `HUGE`, so
/// no entity is expanded and nothing is fetched from disk or network. Our SAX hook records
/// where each element starts (libxml2 only keeps lines) and stops the parser when elements
/// nest deeper than the limit; a DOCTYPE that somehow got through stops it too. Errors go to
/// a handler on this parse's own context.
struct HardenedParser {
    var file: String
    var limits: LoadingLimits

    /// A parsed document, freed by `close()`. Element `_private` fields hold start offsets.
    struct Document {
        let pointer: xmlDocPtr
        func close() { xmlFreeDoc(pointer) }
    }

    /// What the SAX callbacks learn during one parse; reached through the context's `_private`.
    private final class ParseState {
        let limits: LoadingLimits
        var errors: [(message: String, line: Int, column: Int, level: xmlErrorLevel)] = []
        var tooDeepAt: Int?
        var sawDoctype = false

        init(limits: LoadingLimits) { self.limits = limits }
    }

    /// The checks that run on the bytes before libxml2 does.
    func precheck(_ source: SourceText) -> [Diagnostic] {
        if let bad = source.firstInvalidUTF8Offset() {
            let byte = source.bytes[bad]
            let what = byte == 0 ? "a NUL byte" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
            return [Diagnostic(file: file, location: source.location(ofByte: bad), rule: .invalidUTF8,
                               message: "the file is not valid UTF-8: \(what) at offset \(bad); save it as UTF-8")]
        }
        var diagnostics: [Diagnostic] = []
        if let encoding = source.declaredEncoding() {
            let name = encoding.name.uppercased()
            if name != "UTF-8" && name != "UTF8" {
                diagnostics.append(Diagnostic(file: file, location: source.location(ofByte: encoding.offset), rule: .unsupportedEncoding,
                                              message: "the XML declaration names encoding '\(encoding.name)'; definitions must be UTF-8"))
            }
        }
        for offset in source.doctypeOffsets() {
            diagnostics.append(Diagnostic(file: file, location: source.location(ofByte: offset), rule: .doctypeForbidden,
                                          message: "a DOCTYPE is not allowed: definitions use no DTD and no entities; remove it"))
        }
        return diagnostics
    }

    /// Parses checked bytes; returns the document, or the diagnostics that prevent one.
    func parse(_ source: SourceText) -> (Document?, [Diagnostic]) {
        // The bytes stay pinned for the whole parse: whether libxml2 copies a memory input
        // depends on its version, so no pointer into them may outlive this call.
        source.bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { parse(source, buffer: $0) }
        }
    }

    private func parse(_ source: SourceText, buffer: UnsafeBufferPointer<CChar>) -> (Document?, [Diagnostic]) {
        LibXML.ensureInitialized()
        let state = ParseState(limits: limits)
        guard let base = buffer.baseAddress, let context = xmlCreateMemoryParserCtxt(base, Int32(buffer.count)) else {
            return (nil, [Diagnostic(file: file, location: .start, rule: .malformedXML, message: "libxml2 could not create a parser context")])
        }
        defer { xmlFreeParserCtxt(context) }

        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue)
        _ = xmlCtxtUseOptions(context, options)
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

        var diagnostics: [Diagnostic] = []
        if let offset = state.tooDeepAt {
            let tagStart = source.startOfTag(endingAt: offset) ?? offset
            diagnostics.append(Diagnostic(file: file, location: source.location(ofByte: tagStart), rule: .tooDeep,
                                          message: "elements nest deeper than \(limits.maxDepth) levels; a definition needs at most 6"))
        } else if state.sawDoctype {
            diagnostics.append(Diagnostic(file: file, location: .start, rule: .doctypeForbidden,
                                          message: "a DOCTYPE is not allowed: definitions use no DTD and no entities; remove it"))
        } else {
            for error in state.errors {
                diagnostics.append(Diagnostic(file: file, location: SourceLocation(line: max(error.line, 1), column: max(error.column, 1)),
                                              rule: .malformedXML, message: error.message,
                                              severity: error.level == XML_ERR_WARNING ? .warning : .error))
            }
            if context.pointee.wellFormed == 0 && !diagnostics.containsErrors {
                diagnostics.append(Diagnostic(file: file, location: .start, rule: .malformedXML, message: "the file is not well-formed XML"))
            }
        }
        guard let document, !diagnostics.containsErrors, context.pointee.wellFormed != 0 else {
            if let document { xmlFreeDoc(document) }
            return (nil, diagnostics)
        }
        return (Document(pointer: document), diagnostics)
    }

    private static func state(of context: UnsafeMutableRawPointer?) -> ParseState? {
        guard let context else { return nil }
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let opaque = parser.pointee._private else { return nil }
        return Unmanaged<ParseState>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// Builds the node as libxml2 would, then notes where its start tag is and checks depth.
    private static let startElement: startElementNsSAX2Func = { context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes in
        xmlSAX2StartElementNs(context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes)
        guard let context, let state = HardenedParser.state(of: context) else { return }
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        var offset = 0
        if let input = parser.pointee.input, let base = input.pointee.base, let cursor = input.pointee.cur {
            offset = Int(input.pointee.consumed) + (cursor - base)
        }
        if let node = parser.pointee.node {
            node.pointee._private = UnsafeMutableRawPointer(bitPattern: offset + 1)
        }
        if parser.pointee.nodeNr > state.limits.maxDepth, state.tooDeepAt == nil {
            state.tooDeepAt = offset
            xmlStopParser(parser)
        }
    }

    private static let refuseDoctype: internalSubsetSAXFunc = { context, _, _, _ in
        guard let context, let state = HardenedParser.state(of: context) else { return }
        state.sawDoctype = true
        xmlStopParser(context.assumingMemoryBound(to: xmlParserCtxt.self))
    }

    private static let collectError: xmlStructuredErrorFunc = { context, error in
        guard let error, let state = HardenedParser.state(of: context) else { return }
        state.errors.append((LibXML.message(error.pointee.message), Int(error.pointee.line), Int(error.pointee.int2), error.pointee.level))
    }
}
