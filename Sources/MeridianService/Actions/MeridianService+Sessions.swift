import MeridianCodes
import MeridianIdentity

/// The web pages' sessions: a token exchanged for a cookie, and the caller behind a cookie.
/// The pages sign in only through these, so a session is refused whenever the token would be.
extension MeridianService {
    /// Opens a session for the holder of `token`; returns the cookie's secret and the caller.
    /// - Throws: ``ServiceError`` `.unauthenticated` for a token that would not authenticate.
    public func openSession(token: String, language: String, lifetime: Duration) async throws -> (secret: String, caller: Caller, session: WebSession) {
        do {
            let (secret, session) = try await IdentityStore(client: client, logger: logger).openSession(token: token, language: language, lifetime: lifetime)
            return (secret, Caller(session.user), session)
        } catch let error as IdentityError where error.code == .unauthenticated {
            throw ServiceError(.unauthenticated, error.description)
        }
    }

    /// The caller and session behind a cookie's secret.
    /// - Throws: ``ServiceError`` `.unauthenticated` when the session has ended.
    public func session(secret: String) async throws -> (caller: Caller, session: WebSession) {
        do {
            let session = try await IdentityStore(client: client, logger: logger).session(secret: secret)
            return (Caller(session.user), session)
        } catch let error as IdentityError where error.code == .unauthenticated {
            throw ServiceError(.unauthenticated, error.description)
        }
    }

    /// Signs out: the session's secret no longer opens it.
    public func closeSession(secret: String) async throws {
        try await IdentityStore(client: client, logger: logger).closeSession(secret: secret)
    }

    /// Keeps the pages' language in the session.
    public func setSessionLanguage(secret: String, language: String) async throws {
        try await IdentityStore(client: client, logger: logger).setSessionLanguage(secret: secret, language: language)
    }
}
