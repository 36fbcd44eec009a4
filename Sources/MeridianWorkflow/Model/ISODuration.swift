import Foundation

/// An ISO 8601 duration such as `P5D`, `PT36H` or `P1Y2M10DT2H30M`.
///
/// Only whole numbers are accepted (no fractions, no negative durations). Years and months
/// are calendar units: they are added on the Gregorian calendar in UTC, so `P1M` from
/// 31 January is the end of February, and a due time never depends on the server's zone.
public struct ISODuration: Sendable, Hashable, CustomStringConvertible {
    public var years = 0
    public var months = 0
    public var weeks = 0
    public var days = 0
    public var hours = 0
    public var minutes = 0
    public var seconds = 0

    public init(years: Int = 0, months: Int = 0, weeks: Int = 0, days: Int = 0, hours: Int = 0, minutes: Int = 0, seconds: Int = 0) {
        self.years = years
        self.months = months
        self.weeks = weeks
        self.days = days
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds
    }

    /// Why a text is not a duration.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String { "'\(text)' is not an ISO 8601 duration: \(reason)" }
    }

    /// Parses `P[nY][nM][nW][nD][T[nH][nM][nS]]`.
    public init(parsing text: String) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        var scalars = Substring(text).unicodeScalars[...]
        guard scalars.first == "P" else { throw fail("it must start with 'P' (as in P5D or PT12H)") }
        scalars = scalars.dropFirst()
        guard !scalars.isEmpty else { throw fail("'P' needs at least one number and unit after it") }
        var inTime = false
        var sawComponent = false
        var sawTimeComponent = false
        var lastOrder = -1
        var number = ""
        for scalar in scalars {
            if scalar == "T" {
                guard !inTime, number.isEmpty else { throw fail("'T' may appear once, before the hours") }
                inTime = true
                continue
            }
            if ("0"..."9").contains(scalar) {
                number.unicodeScalars.append(scalar)
                guard number.count <= 6 else { throw fail("a number has more than 6 digits") }
                continue
            }
            if scalar == "." || scalar == "," { throw fail("fractions are not supported; use a smaller unit") }
            if scalar == "-" { throw fail("negative durations are not allowed") }
            guard let value = Int(number) else { throw fail("a unit '\(scalar)' has no number before it") }
            let order: Int
            switch (inTime, scalar) {
            case (false, "Y"): order = 0; years = value
            case (false, "M"): order = 1; months = value
            case (false, "W"): order = 2; weeks = value
            case (false, "D"): order = 3; days = value
            case (true, "H"): order = 4; hours = value
            case (true, "M"): order = 5; minutes = value
            case (true, "S"): order = 6; seconds = value
            default:
                throw fail("'\(scalar)' is not a unit here (Y, M, W, D before T; H, M, S after it)")
            }
            guard order > lastOrder else { throw fail("units must appear once each, largest first") }
            lastOrder = order
            number = ""
            sawComponent = true
            sawTimeComponent = sawTimeComponent || inTime
        }
        guard number.isEmpty else { throw fail("the number \(number) has no unit") }
        guard sawComponent, !inTime || sawTimeComponent else { throw fail("'T' needs at least one of H, M or S after it") }
    }

    /// Whether the duration is zero (a timer that fires at once is a mistake).
    public var isZero: Bool {
        years == 0 && months == 0 && weeks == 0 && days == 0 && hours == 0 && minutes == 0 && seconds == 0
    }

    /// A rough length in seconds (a month as 31 days, a year as 366), for upper bounds only.
    public var approximateSeconds: Int {
        let day = 86_400
        return years * 366 * day + months * 31 * day + weeks * 7 * day + days * day + hours * 3600 + minutes * 60 + seconds
    }

    /// `date` plus this duration, on the Gregorian calendar in UTC.
    public func added(to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var components = DateComponents()
        components.year = years
        components.month = months
        components.day = weeks * 7 + days
        components.hour = hours
        components.minute = minutes
        components.second = seconds
        return calendar.date(byAdding: components, to: date) ?? date.addingTimeInterval(TimeInterval(approximateSeconds))
    }

    /// The canonical text: zero components left out (`P1DT2H`).
    public var description: String {
        var text = "P"
        if years > 0 { text += "\(years)Y" }
        if months > 0 { text += "\(months)M" }
        if weeks > 0 { text += "\(weeks)W" }
        if days > 0 { text += "\(days)D" }
        if hours > 0 || minutes > 0 || seconds > 0 {
            text += "T"
            if hours > 0 { text += "\(hours)H" }
            if minutes > 0 { text += "\(minutes)M" }
            if seconds > 0 { text += "\(seconds)S" }
        }
        return text == "P" ? "PT0S" : text
    }
}
