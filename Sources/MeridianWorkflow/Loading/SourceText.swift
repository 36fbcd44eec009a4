/// The bytes of a definition file, with what the loader needs to know before libxml2 sees
/// them: whether they are UTF-8, whether they hold a DOCTYPE, and where each line starts.
struct SourceText: Sendable {
    let bytes: [UInt8]
    /// Byte offset of the first byte of each line (line 1 starts at 0).
    let lineStarts: [Int]

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    /// Line and column of a byte offset; columns count Unicode scalars, not bytes.
    func location(ofByte offset: Int) -> SourceLocation {
        let offset = min(max(offset, 0), bytes.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var column = 1
        var index = lineStarts[low]
        while index < offset {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourceLocation(line: low + 1, column: column)
    }

    /// The offset of the first byte that breaks UTF-8 (or is a NUL, which XML forbids), if any.
    ///
    /// Rejects overlong forms, surrogates and code points above U+10FFFF, like the standard.
    func firstInvalidUTF8Offset() -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead == 0 { return index }
            if lead < 0x80 { index += 1; continue }
            let length: Int
            var lowerBound: UInt8 = 0x80
            var upperBound: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowerBound = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upperBound = 0x9F
            case 0xF0: length = 4; lowerBound = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upperBound = 0x8F
            default: return index
            }
            guard index + length <= count else { return index }
            let second = bytes[index + 1]
            guard second >= lowerBound, second <= upperBound else { return index }
            for continuation in 2..<length where bytes[index + continuation] & 0xC0 != 0x80 {
                return index
            }
            index += length
        }
        return nil
    }

    /// Offsets of every `<!DOCTYPE` (any letter case), wherever it appears.
    ///
    /// Deliberately blunt: the text is refused even inside a comment, so no parser state can
    /// ever reach a DTD, an entity declaration or an external subset.
    func doctypeOffsets() -> [Int] {
        let needle = Array("<!DOCTYPE".utf8)
        guard bytes.count >= needle.count else { return [] }
        var found: [Int] = []
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "!") {
                var matches = true
                for offset in 2..<needle.count where bytes[index + offset] & 0xDF != needle[offset] {
                    matches = false
                    break
                }
                if matches { found.append(index) }
            }
            index += 1
        }
        return found
    }

    /// The encoding named by the XML declaration (`<?xml … encoding="…"?>`), if any.
    func declaredEncoding() -> (name: String, offset: Int)? {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard bytes[start...].starts(with: Array("<?xml".utf8)) else { return nil }
        guard let end = firstIndex(of: Array("?>".utf8), from: start) else { return nil }
        guard let key = firstIndex(of: Array("encoding".utf8), from: start), key < end else { return nil }
        var index = key + "encoding".utf8.count
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == UInt8(ascii: "=") {
            index += 1
        }
        guard index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else { return nil }
        let quote = bytes[index]
        guard let close = bytes[(index + 1)..<end].firstIndex(of: quote) else { return nil }
        return (String(decoding: bytes[(index + 1)..<close], as: UTF8.self), key)
    }

    /// Where the start tag that ends just before `offset` begins: the last `<` before it.
    ///
    /// Attribute values cannot hold a literal `<`, so the last one is the tag's own.
    func startOfTag(endingAt offset: Int) -> Int? {
        var index = min(offset, bytes.count - 1)
        while index >= 0 {
            if bytes[index] == UInt8(ascii: "<") { return index }
            index -= 1
        }
        return nil
    }

    /// Start offsets of the attributes of the start tag at `tagStart`, by qualified name.
    func attributeOffsets(tagStart: Int) -> [String: Int] {
        var result: [String: Int] = [:]
        var index = tagStart + 1
        let count = bytes.count
        // Skip the element name.
        while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "/") {
            index += 1
        }
        while index < count {
            while index < count, isSpace(bytes[index]) { index += 1 }
            guard index < count, bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "/") else { break }
            let nameStart = index
            while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "=") { index += 1 }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            while index < count, isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "=") { index += 1 }
            guard index < count else { break }
            let quote = bytes[index]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { break }
            index += 1
            while index < count, bytes[index] != quote { index += 1 }
            index += 1
            if result[name] == nil { result[name] = nameStart }
        }
        return result
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func firstIndex(of needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
