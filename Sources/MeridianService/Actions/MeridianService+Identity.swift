import MeridianIdentity

/// Users and tokens. The rules live in the identity module's authorized store, which re-reads
/// the acting user inside each transaction; the service is its only door.
extension MeridianService {
    /// The identity operations on behalf of `caller` (`nil`: no token, only the bootstrap of the first admin).
    public func identity(for caller: Caller?) -> AuthorizedIdentityStore {
        IdentityStore(client: client, logger: logger, tokenCache: tokenCache).acting(as: caller?.user)
    }
}
