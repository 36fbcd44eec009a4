import Foundation

/// What a fund may pay for: trust funds hold one donor agreement each, and an agreement names
/// the sectors, countries, instruments and period it covers.
///
/// Every part is optional: an empty list or a missing day restricts nothing. The funding
/// module keeps the codes as text; the exchange module, which owns the vocabularies (sectors,
/// instruments), checks them when a fund is created and builds the ``Subject`` of an exchange.
public struct FundMandate: Sendable, Hashable, Codable {
    /// Sector codes (`water`, `governance`…): an exchange must be in at least one of them.
    public var sectors: [String]
    /// ISO 3166-1 alpha-3 codes of the requesting countries the fund pays for.
    public var countries: [String]
    /// Instrument codes (`study-visit`…): every activity of the plan must use one of them.
    public var instruments: [String]
    /// The first and last days the plan's activities may fall on.
    public var from: CalendarDay?
    public var until: CalendarDay?

    public init(sectors: [String] = [], countries: [String] = [], instruments: [String] = [], from: CalendarDay? = nil, until: CalendarDay? = nil) {
        self.sectors = sectors
        self.countries = countries
        self.instruments = instruments
        self.from = from
        self.until = until
    }

    /// No restriction at all.
    public static let open = FundMandate()

    public var isOpen: Bool { self == .open }

    /// What an exchange is, as far as a mandate cares.
    public struct Subject: Sendable, Hashable {
        public var sectors: [String]
        /// ISO 3166-1 alpha-3 code of the requesting country.
        public var country: String
        /// The instruments of the plan's activities.
        public var instruments: [String]
        /// The first day of the first activity and the last day of the last one.
        public var start: CalendarDay?
        public var end: CalendarDay?

        public init(sectors: [String], country: String, instruments: [String], start: CalendarDay?, end: CalendarDay?) {
            self.sectors = sectors
            self.country = country
            self.instruments = instruments
            self.start = start
            self.end = end
        }
    }

    /// Why the mandate excludes `subject`, every reason at once; empty when it may pay.
    public func refusals(_ subject: Subject) -> [String] {
        var reasons: [String] = []
        if !sectors.isEmpty, Set(sectors).isDisjoint(with: subject.sectors) {
            reasons.append("it pays for the sectors \(sectors.joined(separator: ", ")), and the exchange is in \(subject.sectors.joined(separator: ", "))")
        }
        if !countries.isEmpty, !countries.contains(subject.country) {
            reasons.append("it pays for exchanges requested by \(countries.joined(separator: ", ")), not \(subject.country)")
        }
        if !instruments.isEmpty {
            let outside = Array(Set(subject.instruments).subtracting(instruments)).sorted()
            if !outside.isEmpty {
                reasons.append("it pays for \(instruments.joined(separator: ", ")), and the plan also has \(outside.joined(separator: ", "))")
            }
        }
        if let from, let start = subject.start, start < from {
            reasons.append("it pays for activities from \(from), and the plan starts \(start)")
        }
        if let until, let end = subject.end, end > until {
            reasons.append("it pays for activities until \(until), and the plan ends \(end)")
        }
        return reasons
    }

    /// The mandate in one line, for `fund show` and messages.
    public var summary: String {
        guard !isOpen else { return "any exchange" }
        var parts: [String] = []
        if !sectors.isEmpty { parts.append("sectors \(sectors.joined(separator: ", "))") }
        if !countries.isEmpty { parts.append("countries \(countries.joined(separator: ", "))") }
        if !instruments.isEmpty { parts.append("instruments \(instruments.joined(separator: ", "))") }
        switch (from, until) {
        case let (from?, until?): parts.append("activities \(from) to \(until)")
        case let (from?, nil): parts.append("activities from \(from)")
        case let (nil, until?): parts.append("activities until \(until)")
        case (nil, nil): break
        }
        return parts.joined(separator: "; ")
    }

    /// Checks what the funding module can check: country codes, the days' order, no blanks.
    public func validate() throws(FundingError) {
        for code in countries where code.count != 3 || CountryCodes.alpha2(code) == nil || code != code.uppercased() {
            throw FundingError(.invalidInput, "'\(code)' is not an ISO 3166-1 alpha-3 country code", hint: "name countries as RWA, KEN, BRA")
        }
        for code in sectors + instruments where code.trimmingCharacters(in: .whitespaces).isEmpty || code.count > 60 {
            throw FundingError(.invalidInput, "a mandate's sector or instrument code must be 1 to 60 characters, not '\(code)'")
        }
        if let from, let until, from > until {
            throw FundingError(.invalidInput, "the mandate's period starts \(from), after it ends \(until)", hint: "swap --mandate-from and --mandate-until")
        }
    }
}
