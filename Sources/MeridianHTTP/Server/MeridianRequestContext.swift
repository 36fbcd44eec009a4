import MeridianCodes
import Hummingbird
import MeridianService

/// The request context of every route: Hummingbird's core storage plus who is calling.
public struct MeridianRequestContext: RequestContext, Sendable {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in caller, set by ``AuthenticationMiddleware`` from the bearer token.
    public var caller: Caller?
    /// The client's IP address as the socket sees it (a reverse proxy's, behind one); `nil` in
    /// router tests, which have no socket.
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.caller = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are read by ``JSONBody`` under the server's own limit; this is Hummingbird's.
    public var maxUploadSize: Int { 1 << 20 }

    /// The caller, or a 401 problem when the request carried no valid token.
    public func requireCaller() throws -> Caller {
        guard let caller else {
            throw ServiceError(.unauthenticated, "this needs a token: send `Authorization: Bearer mrd_…` (an admin creates tokens with `meridian token create`)")
        }
        return caller
    }
}
