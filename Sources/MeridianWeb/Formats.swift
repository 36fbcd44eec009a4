import Foundation

/// Dates and money as each language writes them (day-month order, decimal comma, the
/// currency's symbol and place); times in UTC, which the page says.
struct WebFormats: Sendable {
    let language: WebLanguage
    private let dateTimeStyle: Date.FormatStyle
    private let dateStyle: Date.FormatStyle

    /// Each language's formats, made once: a `Date.FormatStyle` is costly to make, and a page
    /// of 50 exchanges writes 50 dates.
    private static let byLanguage: [WebLanguage: WebFormats] =
        Dictionary(uniqueKeysWithValues: WebLanguage.allCases.map { ($0, WebFormats(language: $0)) })

    /// The formats of `language`.
    static func of(_ language: WebLanguage) -> WebFormats {
        byLanguage[language] ?? WebFormats(language: language)
    }

    init(language: WebLanguage) {
        self.language = language
        let utc = TimeZone(identifier: "UTC")!
        dateTimeStyle = Date.FormatStyle(date: .abbreviated, time: .shortened, locale: language.locale, timeZone: utc)
        dateStyle = Date.FormatStyle(date: .abbreviated, time: .omitted, locale: language.locale, timeZone: utc)
    }

    /// A date and time, medium date and short time ("6 déc. 2026, 14:05").
    func dateTime(_ date: Date) -> String {
        date.formatted(dateTimeStyle) + " UTC"
    }

    /// A date without the time.
    func date(_ date: Date) -> String {
        date.formatted(dateStyle)
    }

    /// Money from integer minor units and an ISO 4217 code ("60 000,00 $US", "US$60,000.00").
    func money(minorUnits: Int64, currency: String, digits: Int = 2) -> String {
        var scale = Decimal(1)
        for _ in 0..<digits { scale *= 10 }
        let amount = Decimal(minorUnits) / scale
        return amount.formatted(.currency(code: currency).locale(language.locale).precision(.fractionLength(digits)))
    }

    /// A plain number (baselines, targets): "40,5" in French.
    func number(_ value: Double) -> String {
        value.formatted(.number.locale(language.locale))
    }

    /// A decimal (an indicator's baseline or target) as the language writes numbers.
    func number(_ value: Decimal) -> String {
        value.formatted(.number.locale(language.locale))
    }
}
