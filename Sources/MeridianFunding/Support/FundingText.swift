import MeridianCodes

/// The text rules of ``InputText`` as funding errors: names, donors and references are
/// checked before any SQL runs, so a NUL byte or an escape sequence never reaches the ledger.
enum FundingText {
    /// `text` trimmed, or `.invalidInput` when it is blank, too long or holds a control character.
    static func check(_ text: String, field: String, maximum: Int) throws(FundingError) -> String {
        if let problem = InputText.problem(text, field: field, maximum: maximum, multiline: false) {
            throw FundingError(.invalidInput, problem, hint: "give plain text of at most \(maximum) characters")
        }
        let trimmed = InputText.trimmingSpaces(text)
        guard !trimmed.isEmpty else {
            throw FundingError(.invalidInput, "\(field): is blank", hint: "give plain text of at most \(maximum) characters")
        }
        return trimmed
    }
}
