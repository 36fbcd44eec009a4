import MeridianCodes
import MeridianIdentity

/// One-time sign-in links: an admin creates one for a user (`meridian user invite`); opening
/// it on the pages opens one web session for her, once.
extension MeridianService {
    /// Creates a link for `handle` usable for `lifetime` (1 minute to 30 days); admins only.
    public func createInvite(for handle: String, lifetime: Duration, by caller: Caller) async throws -> IssuedInvite {
        try await identity(for: caller).createInvite(for: handle, lifetime: lifetime)
    }

    /// Whether the link can still be used; looking does not use it (link previewers may look).
    public func inviteIsUsable(secret: String) async throws -> Bool {
        try await IdentityStore(client: client, logger: logger).inviteIsUsable(secret: secret)
    }

    /// Uses the link: opens a session for its user and marks the link used, in one transaction.
    /// - Throws: ``ServiceError`` `.unauthenticated` for a used, expired or unknown link or a disabled user.
    public func openSession(invite secret: String, language: String, lifetime: Duration) async throws -> (secret: String, caller: Caller, session: WebSession) {
        do {
            let (sessionSecret, session) = try await IdentityStore(client: client, logger: logger).openSession(invite: secret, language: language, lifetime: lifetime)
            return (sessionSecret, Caller(session.user), session)
        } catch let error as IdentityError where error.code == .unauthenticated {
            throw ServiceError(.unauthenticated, error.description)
        }
    }
}
