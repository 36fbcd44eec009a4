import Foundation
import MeridianCodes
import MeridianExchange

/// The new-request form: what was typed (kept when a problem sends the form back), each
/// problem as a catalogue key next to its field, and the ``ExchangeRequest`` it makes.
///
/// The checks here say in the visitor's language what ``ExchangeRequest/problems()`` says in
/// English; the request's own check still runs, and a problem it finds that these missed is
/// shown on its field as "not accepted", so the two can never let an invalid request through.
struct RequestForm: Sendable {
    static let longFields = ["development_goal", "institutional_challenge", "change_objective"]
    static let indicatorRows = 3

    struct IndicatorRow: Sendable {
        var name = "", unit = "", baseline = "", target = ""
        var isBlank: Bool { [name, unit, baseline, target].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    var text: [String: String] = [:]
    var region = "", income = ""
    var sectors: [String] = [], instruments: [String] = []
    var indicators = Array(repeating: IndicatorRow(), count: indicatorRows)
    /// Field name (`development_goal`, `sectors`, `indicator1`…) → catalogue key of its problem.
    var problems: [String: String] = [:]
    /// The form's idempotency key (a UUID made with the empty form, kept when it comes back with
    /// problems): a second click, or Back and send again, files the request once.
    var key = UUID().uuidString.lowercased()

    init() {}

    init(_ form: FormBody) {
        for name in ["country_name"] + Self.longFields { text[name] = form[name] }
        region = form["region"]
        income = form["income_group"]
        if let given = UUID(uuidString: form["key"]) { key = given.uuidString.lowercased() }
        sectors = form.all("sectors")
        instruments = form.all("instruments")
        for index in 0..<Self.indicatorRows {
            indicators[index] = IndicatorRow(name: form["indicator\(index)_name"], unit: form["indicator\(index)_unit"],
                                             baseline: form["indicator\(index)_baseline"], target: form["indicator\(index)_target"])
        }
    }

    /// Checks every field; returns the request when there is no problem.
    mutating func validate(country: String) -> ExchangeRequest? {
        problems = [:]
        for name in Self.longFields {
            let value = text[name, default: ""].trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty { problems[name] = "problem_required" }
            else if value.count < 10 { problems[name] = "problem_too_short" }
            else if InputText.length(value) > 4_000 { problems[name] = "problem_too_long" }
        }
        let countryName = text["country_name", default: ""].trimmingCharacters(in: .whitespaces)
        if InputText.length(countryName) > 100 { problems["country_name"] = "problem_too_long" }
        let region = self.region.isEmpty ? nil : Region(rawValue: self.region)
        if !self.region.isEmpty && region == nil { problems["region"] = "problem_invalid" }
        let income = self.income.isEmpty ? nil : IncomeGroup(rawValue: self.income)
        if !self.income.isEmpty && income == nil { problems["income_group"] = "problem_invalid" }
        let sectors = self.sectors.compactMap(Sector.init(rawValue:))
        if self.sectors.isEmpty { problems["sectors"] = "problem_choose_one" }
        else if sectors.count != self.sectors.count || sectors.count > 8 { problems["sectors"] = "problem_invalid" }
        let instruments = self.instruments.compactMap(Instrument.init(rawValue:))
        if self.instruments.isEmpty { problems["instruments"] = "problem_choose_one" }
        else if instruments.count != self.instruments.count { problems["instruments"] = "problem_invalid" }

        var indicators: [Indicator] = []
        var rowOfIndicator: [Int] = []
        for (index, row) in self.indicators.enumerated() where !row.isBlank {
            let field = "indicator\(index)"
            let baseline = Self.number(row.baseline), target = Self.number(row.target)
            if row.name.trimmingCharacters(in: .whitespaces).isEmpty || row.unit.trimmingCharacters(in: .whitespaces).isEmpty {
                problems[field] = "problem_required"
            } else if baseline == nil || target == nil {
                problems[field] = "problem_number"
            } else if baseline == target {
                problems[field] = "problem_target_equals"
            } else if let baseline, let target {
                indicators.append(Indicator(name: row.name.trimmingCharacters(in: .whitespaces), unit: row.unit.trimmingCharacters(in: .whitespaces),
                                            baseline: baseline, target: target))
                rowOfIndicator.append(index)
            }
        }
        if self.indicators.allSatisfy(\.isBlank) { problems["indicator0"] = "problem_required" }

        let request = ExchangeRequest(
            country: country, countryName: countryName.isEmpty ? nil : countryName, region: region, incomeGroup: income,
            developmentGoal: text["development_goal", default: ""], institutionalChallenge: text["institutional_challenge", default: ""],
            changeObjective: text["change_objective", default: ""], sectors: sectors, instruments: instruments, indicators: indicators)
        // The request's own rules, field by field, for anything the checks above let through.
        for problem in request.problems() {
            let path = String(problem.prefix { $0 != ":" })
            var field = path
            if path.hasPrefix("indicators[") {
                let digits = path.dropFirst("indicators[".count).prefix { $0.isNumber }
                let position = Int(digits) ?? 0
                field = "indicator\(position < rowOfIndicator.count ? rowOfIndicator[position] : 0)"
            } else if path == "indicators" {
                field = "indicator0"
            }
            if problems[field] == nil { problems[field] = "problem_invalid" }
        }
        return problems.isEmpty ? request : nil
    }

    /// Whether the field `name` (a text or a choice) was left empty.
    func isBlank(_ name: String) -> Bool {
        switch name {
        case "region": region.isEmpty
        case "income_group": income.isEmpty
        default: text[name, default: ""].trimmingCharacters(in: .whitespaces).isEmpty
        }
    }

    /// A number as people type it in the four languages: `12`, `-3`, `40.5` or `40,5`, `12 000`
    /// (spaces group digits), the whole text and nothing else (`0x10`, `1e3` are refused).
    ///
    /// One separator followed by exactly three digits (`12,000`, `12.000`) is a thousand in
    /// English and twelve in French, Spanish and Portuguese: refused, so that the person writes
    /// what she means (`12000` or `12`) instead of the page guessing; `0.125` is not ambiguous.
    static func number(_ text: String) -> Decimal? {
        let compact = String(text.filter { !$0.isWhitespace }).replacingOccurrences(of: ",", with: ".")
        guard compact.wholeMatch(of: /-?[0-9]+(\.[0-9]+)?/) != nil else { return nil }
        if let point = compact.firstIndex(of: ".") {
            let whole = compact[..<point].drop { $0 == "-" }
            if compact[compact.index(after: point)...].count == 3, whole.first != "0" { return nil }
        }
        return Decimal(string: compact, locale: Locale(identifier: "en_US_POSIX"))
    }
}
