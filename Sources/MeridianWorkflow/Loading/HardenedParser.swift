import CLibXML2
import MeridianXML

/// Turns the bytes of a definition into a libxml2 document with every dangerous feature off.
///
/// In order: the bytes must be UTF-8 without NULs; the XML declaration may name no other
/// encoding; any `<!DOCTYPE` is refused before libxml2 runs. libxml2 then parses from memory
/// through MeridianXML's ``HardenedLibXML`` (shared with every other reader of XML): no network,
/// no entity expanded, element start offsets recorded (libxml2 only keeps lines), the parser
/// stopped past the depth limit or at a DOCTYPE that somehow got through. This type turns its
/// outcome into located diagnostics.
struct HardenedParser {
    var file: String
    var limits: LoadingLimits

    /// A parsed document, freed by `close()`. Element `_private` fields hold start offsets.
    struct Document {
        let pointer: xmlDocPtr
        func close() { xmlFreeDoc(pointer) }
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
        let state = HardenedLibXML.parse(buffer, maxDepth: limits.maxDepth, ignoreEncoding: true)
        let document = state.document
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
                                              rule: .malformedXML, message: LibXML.elided(error.message),
                                              severity: error.isWarning ? .warning : .error))
            }
            if !state.wellFormed && !diagnostics.containsErrors {
                diagnostics.append(Diagnostic(file: file, location: .start, rule: .malformedXML, message: "the file is not well-formed XML"))
            }
        }
        guard let document, !diagnostics.containsErrors, state.wellFormed else {
            if let document { xmlFreeDoc(document) }
            return (nil, diagnostics)
        }
        return (Document(pointer: document), diagnostics)
    }
}
