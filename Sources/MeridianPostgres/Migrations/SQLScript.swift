/// Splits a SQL script into its statements.
///
/// PostgresNIO speaks only the extended query protocol, which takes one statement per
/// query, so a migration file is cut at the semicolons that end statements — not those
/// inside quotes, quoted identifiers, comments or dollar-quoted bodies (`$$ … $$`,
/// `$fn$ … $fn$`), which function definitions use.
enum SQLScript {
    static func statements(in script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        /// Whether `current` holds anything but whitespace and comments.
        var hasCode = false
        let characters = Array(script.unicodeScalars)
        var index = 0

        func peek(_ offset: Int = 1) -> Unicode.Scalar? {
            index + offset < characters.count ? characters[index + offset] : nil
        }
        func finishStatement() {
            let trimmed = current.trimmingWhitespace()
            if hasCode { statements.append(trimmed) }
            current = ""
            hasCode = false
        }

        while index < characters.count {
            let character = characters[index]
            switch character {
            case "'", "\"":
                hasCode = true
                // A quoted string or identifier; a doubled quote is an escaped one.
                // E'…' strings also escape with a backslash.
                let escapesWithBackslash = character == "'" && isEscapeStringPrefix(current)
                current.unicodeScalars.append(character)
                index += 1
                while index < characters.count {
                    let inner = characters[index]
                    current.unicodeScalars.append(inner)
                    index += 1
                    if escapesWithBackslash && inner == "\\" && index < characters.count {
                        current.unicodeScalars.append(characters[index])
                        index += 1
                    } else if inner == character {
                        if index < characters.count && characters[index] == character {
                            current.unicodeScalars.append(characters[index])
                            index += 1
                        } else {
                            break
                        }
                    }
                }
            case "-" where peek() == "-":
                while index < characters.count && characters[index] != "\n" {
                    current.unicodeScalars.append(characters[index])
                    index += 1
                }
            case "/" where peek() == "*":
                // Block comments nest in PostgreSQL.
                var depth = 0
                repeat {
                    if characters[index] == "/" && peek() == "*" {
                        depth += 1
                        current.unicodeScalars.append(contentsOf: characters[index...index + 1])
                        index += 2
                    } else if characters[index] == "*" && peek() == "/" {
                        depth -= 1
                        current.unicodeScalars.append(contentsOf: characters[index...index + 1])
                        index += 2
                    } else {
                        current.unicodeScalars.append(characters[index])
                        index += 1
                    }
                } while depth > 0 && index < characters.count
            case "$":
                hasCode = true
                if let tag = dollarTag(characters, at: index) {
                    current.unicodeScalars.append(contentsOf: tag)
                    index += tag.count
                    while index < characters.count {
                        if characters[index] == "$", Array(characters[index..<min(index + tag.count, characters.count)]) == tag {
                            current.unicodeScalars.append(contentsOf: tag)
                            index += tag.count
                            break
                        }
                        current.unicodeScalars.append(characters[index])
                        index += 1
                    }
                } else {
                    current.unicodeScalars.append(character)
                    index += 1
                }
            case ";":
                index += 1
                finishStatement()
            default:
                if !character.properties.isWhitespace { hasCode = true }
                current.unicodeScalars.append(character)
                index += 1
            }
        }
        finishStatement()
        return statements
    }

    /// `E'…'` is an escape string only when the `E` stands alone, not ending a word (`ELSE'…'`).
    private static func isEscapeStringPrefix(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars.suffix(2))
        guard let last = scalars.last, last == "E" || last == "e" else { return false }
        guard scalars.count == 2 else { return true }
        let before = scalars[0]
        return !(before.properties.isAlphabetic || ("0"..."9").contains(before) || before == "_")
    }

    /// The `$tag$` opening a dollar-quoted string at `start`, if there is one (`$1` is a
    /// parameter, not a quote).
    private static func dollarTag(_ characters: [Unicode.Scalar], at start: Int) -> [Unicode.Scalar]? {
        var end = start + 1
        while end < characters.count {
            let character = characters[end]
            if character == "$" { return Array(characters[start...end]) }
            let isTagCharacter = character == "_" || character.properties.isAlphabetic
                || (end > start + 1 && ("0"..."9").contains(character))
            guard isTagCharacter else { return nil }
            end += 1
        }
        return nil
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
