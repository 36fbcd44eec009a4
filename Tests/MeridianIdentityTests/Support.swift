import MeridianIdentity
import Testing

/// Runs `body` and returns the `IdentityError` it threw, or records an issue when it threw none or another.
@discardableResult
func identityError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> IdentityError? {
    do {
        try await body()
        Issue.record("expected an IdentityError, got none", sourceLocation: sourceLocation)
    } catch let error as IdentityError {
        return error
    } catch {
        Issue.record("expected an IdentityError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
