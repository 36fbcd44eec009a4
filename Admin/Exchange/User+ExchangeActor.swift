import MeridianExchange
import MeridianIdentity

extension User {
    /// The user as the exchange domain sees her: her handle, her roles' names and her country;
    /// the domain decides from these which workflow roles she holds on each exchange.
    var exchangeActor: ExchangeActor {
        ExchangeActor(id: handle, roles: Set(roles.map(\.rawValue)), country: country)
    }
}
