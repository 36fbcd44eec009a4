/// The workflow roles a person holds on one exchange, and whether she may see it at all.
///
/// An official acts as `official` on her own country's exchanges and as `partner-official` on
/// exchanges where her country is the chosen (not declined) partner; she neither sees nor acts
/// on other countries' exchanges. Staff act everywhere with their global roles; an `admin`
/// sees everything but decides nothing.
public struct ExchangeRoles: Sendable, Hashable {
    /// Roles of the workflow definition (`official`, `partner-official`, `program-manager`, …).
    public var workflowRoles: Set<String>
    /// Whether the person may read the exchange.
    public var canSee: Bool

    public init(actor: ExchangeActor, requestingCountry: String, partnerCountry: String?) {
        var roles = actor.roles.intersection(ExchangeActor.staffRoles)
        if actor.roles.contains(ExchangeActor.officialRole), let country = actor.country {
            if country == requestingCountry { roles.insert("official") }
            if let partnerCountry, country == partnerCountry { roles.insert("partner-official") }
        }
        workflowRoles = roles
        canSee = !roles.isEmpty || actor.roles.contains("admin")
    }

    /// Throws unless the person may see the exchange. The refusal reads exactly as an unknown
    /// id does (`.notFound`), so that an official cannot learn that another country's exchange
    /// exists by guessing its id.
    func requireVisible(_ actor: ExchangeActor, exchange: String) throws {
        guard canSee else { throw LockedExchange.notFound(exchange) }
    }

    /// Throws unless the person holds `role` on this exchange.
    func require(_ role: String, _ actor: ExchangeActor, to action: String) throws {
        guard workflowRoles.contains(role) else {
            throw ExchangeError(.permissionDenied, "\(actor.id) may not \(action): that needs the role \(role) on this exchange, and \(actor.id) holds \(workflowRoles.isEmpty ? "none" : workflowRoles.sorted().joined(separator: ", "))",
                                hint: role == "official" ? "an official of the requesting country does this"
                                    : role == "partner-official" ? "an official of the chosen partner country does this"
                                    : "ask a user with the role \(role)")
        }
    }
}
