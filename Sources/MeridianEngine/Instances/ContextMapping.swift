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
                      case .string(let currency)? = fields["currency"], currency.count == 3,
                      currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                    throw EngineError(.invalidInput, "the amount \"\(key)\" must be {\"minor_units\": INTEGER, \"currency\": \"ISO 4217 code\"}",
                                      hint: "money is an integer count of minor units (cents), never a decimal")
                }
                context.amounts[key] = Amount(minorUnits: minor, currency: currency)
            }
        }
        return context
    }

    /// Event data as the step function's payload: a flat map of strings.
    static func payload(from json: [String: JSONValue]) -> [String: String] {
        json.mapValues(\.flatText)
    }
}
