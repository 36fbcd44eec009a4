/// Splits CSV text (RFC 4180: `"` quotes, `""` inside quotes, newlines inside quoted fields)
/// into records, each with the line it starts on; the first record is the header.
enum CSVReader {
    struct Record: Equatable {
        var line: Int
        var fields: [String]
    }

    /// The records of `text` and the problems found (an unterminated quote, a stray quote).
    static func read(_ text: String) -> (records: [Record], problems: [(line: Int, message: String)]) {
        var records: [Record] = []
        var problems: [(line: Int, message: String)] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var recordHasContent = false
        var characters = Array(text.unicodeScalars)
        if characters.first == "\u{FEFF}" { characters.removeFirst() }
        var index = 0

        func endRecord() {
            fields.append(field)
            if recordHasContent || fields.count > 1 || !field.isEmpty {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
            recordHasContent = false
        }

        while index < characters.count {
            let character = characters[index]
            if inQuotes {
                if character == "\"" {
                    if index + 1 < characters.count, characters[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if character == "\n" { line += 1 }
                    field.unicodeScalars.append(character)
                }
            } else {
                switch character {
                case ",":
                    fields.append(field)
                    field = ""
                    fieldWasQuoted = false
                    recordHasContent = true
                case "\r":
                    break
                case "\n":
                    endRecord()
                    line += 1
                    recordLine = line
                case "\"" where field.isEmpty && !fieldWasQuoted:
                    inQuotes = true
                    fieldWasQuoted = true
                    recordHasContent = true
                case "\"":
                    problems.append((line, "a quote inside an unquoted field; quote the whole field and double the quote (\"\")"))
                default:
                    if fieldWasQuoted {
                        problems.append((line, "text after a closing quote; quote the whole field"))
                        fieldWasQuoted = false
                    }
                    field.unicodeScalars.append(character)
                }
            }
            index += 1
        }
        if inQuotes {
            problems.append((recordLine, "a quoted field is never closed"))
        } else if !field.isEmpty || !fields.isEmpty || recordHasContent {
            endRecord()
        }
        return (records, problems)
    }
}
