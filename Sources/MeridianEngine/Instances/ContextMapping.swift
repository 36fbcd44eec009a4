import MeridianCodes
import MeridianWorkflow

/// Turns an instance's JSON context into the facts the step function reads.
///
/// Every top-level value becomes a string value guards can read; the object under
/// `"amounts"` holds money for approvals, each as `{"minor_units": 7500000, "currency": "USD"}`
/// (integer minor units, never a floating-point number).
enum ContextMapping {
    static func instanceContext(from json: [String: JSONValue]) throws(EngineError) -> InstanceContext {
        var context = InstanceContext()
        for (key, value) in json where key != "amounts" {
            context.values[key] = value.flatText
        }
        if let amounts = json["amounts"] {
            guard case .object(let entries) = amounts else {
                throw EngineError(.invalidInput, "the context's \"amounts\" must be an object of amounts by key",
                                  hint: "write \"amounts\": {\"grant\": {\"minor_units\": 7500000, \"currency\": \"USD\"}}")
            }
            for (key, entry) in entries {
                guard case .object(let fields) = entry, case .integer(let minor)? = fields["minor_units"],
                      case .string(let code)? = fields["currency"] else {
                    throw EngineError(.invalidInput, "the amount \"\(key)\" must be {\"minor_units\": INTEGER, \"currency\": \"ISO 4217 code\"}",
                                      hint: "money is an integer count of minor units (cents), never a decimal")
                }
                guard let currency = Currency(code: code) else {
                    throw EngineError(.invalidInput, "the amount \"\(key)\" is in '\(InputText.printable(code))', which is not an ISO 4217 currency code",
                                      hint: "write a code such as USD, EUR or XOF")
                }
                guard minor >= 0, minor <= Money.largestMinorUnits else {
                    throw EngineError(.invalidInput, "the amount \"\(key)\" must be from 0 to \(Money.largestMinorUnits) minor units, not \(minor)")
                }
                context.amounts[key] = Money(minorUnits: minor, currency: currency)
            }
        }
        return context
    }

    /// Event data as the step function's payload: a flat map of strings.
    static func payload(from json: [String: JSONValue]) -> [String: String] {
        json.mapValues(\.flatText)
    }
}

extension JSONValue {
    /// Money as a context holds it, `{"minor_units": 150000, "currency": "USD"}`: the form
    /// ``ContextMapping`` reads back (and `Money`'s own JSON form).
    public static func money(_ money: Money) -> JSONValue {
        .object(["minor_units": .integer(money.minorUnits), "currency": .string(money.currency.code)])
    }
}
