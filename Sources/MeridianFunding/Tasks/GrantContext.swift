import MeridianCodes
import Foundation
import Logging
import MeridianEngine
import MeridianWorkflow
import PostgresNIO

/// Reads a grant request from an exchange instance's context, as the exchange module writes it
/// when the official fires `submit-plan`:
///
/// ```json
/// {"amounts": {"grant": {"minor_units": 1500000, "currency": "USD"},
///              "co_financing": {"minor_units": 500000, "currency": "USD"}},
///  "fund": "rapid-response", "country": "KEN", "title": "Water utilities", "instalments": [70, 30]}
/// ```
/// `co_financing` may also sit at the top level; `fund` may be left out when exactly one fund
/// is kept in the grant's currency; `instalments` defaults to one payment of 100%.
/// `fund_chosen_how` (`plan`, `default`) and `fund_chosen_by` say who named the fund, and are
/// recorded on the grant (the exchange module sets them when the plan is submitted).
enum GrantContext {
    static func request(from input: InStepTaskInput, on connection: PostgresConnection, logger: Logger) async throws -> GrantRequest {
        let context = input.context
        var amounts: [String: JSONValue] = [:]
        if case .object(let object)? = context["amounts"] { amounts = object }
        guard let grantValue = amounts["grant"] else {
            throw FundingError(.invalidInput, "the plan has no grant amount (context amounts.grant)",
                               hint: "the plan's budget must say how much it asks from the fund")
        }
        let amount = try money(grantValue, what: "amounts.grant")
        let coFinancing = try (amounts["co_financing"] ?? context["co_financing"]).map { try money($0, what: "co_financing") }
        let fundID: String
        var how = Grant.FundChoice.How.context
        if case .string(let named)? = context["fund"] {
            fundID = named
            if case .string(let text)? = context["fund_chosen_how"], let recorded = Grant.FundChoice.How(rawValue: text) { how = recorded }
        } else {
            let candidates = try await FundStore.funds(where: nil, on: connection, logger: logger).filter { $0.currency == amount.currency }
            guard candidates.count == 1 else {
                throw FundingError(.invalidInput, candidates.isEmpty ? "no fund is kept in \(amount.currency)"
                                       : "\(candidates.count) funds are kept in \(amount.currency) (\(candidates.map(\.id).joined(separator: ", "))); the plan must name one",
                                   hint: "name one in the plan file's \"fund\" (or the context value \"fund\"); see meridian fund list")
            }
            fundID = candidates[0].id
            how = .default
        }
        var chosenBy = input.actor.id
        if case .string(let who)? = context["fund_chosen_by"], !who.isEmpty { chosenBy = who }
        var instalments = [100]
        switch context["instalments"] {
        case .array(let values)?:
            instalments = try values.map { value in
                guard case .integer(let percent) = value else { throw FundingError(.invalidInput, "instalments must be whole percentages") }
                return Int(percent)
            }
        case .string(let text)?:
            instalments = try text.split(separator: ",").map { part in
                guard let percent = Int(InputText.trimmingSpaces(String(part))) else { throw FundingError(.invalidInput, "instalments '\(text)' must be like 70,30") }
                return percent
            }
        default: break
        }
        let duties = try await GrantDuties.read(instance: input.instanceID, on: connection, logger: logger)
        var title = "Knowledge exchange \(input.instanceID.short)"
        if case .string(let text)? = context["title"], !text.isEmpty { title = text }
        var country = ""
        // The exchange module names countries by ISO 3166-1 alpha-3 (RWA); grants keep alpha-2 (RW), as IATI wants.
        if case .string(let code)? = context["country"], let alpha2 = CountryCodes.alpha2(code) { country = alpha2 }
        return GrantRequest(instanceID: input.instanceID, fundID: fundID, title: String(title.prefix(200)), recipientCountry: country,
                            amount: amount, coFinancing: coFinancing, instalments: instalments,
                            requestedBy: duties.requesters.sorted().first ?? input.actor.id,
                            planAuthor: duties.planAuthors.isEmpty ? (duties.requesters.sorted().first ?? input.actor.id) : input.actor.id,
                            fundChosenHow: how, fundChosenBy: chosenBy)
    }

    static func money(_ value: JSONValue, what: String) throws -> Money {
        guard case .object(let fields) = value, case .integer(let minor)? = fields["minor_units"], case .string(let code)? = fields["currency"] else {
            throw FundingError(.invalidInput, "\(what) must be {\"minor_units\": INTEGER, \"currency\": \"ISO 4217 code\"}")
        }
        return try Money(minorUnits: minor, code: code)
    }
}
