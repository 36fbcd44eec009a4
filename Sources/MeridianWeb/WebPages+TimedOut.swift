import Hummingbird

/// The page for a request the server's timeout cut off (``RequestTimeout`` in MeridianHTTP):
/// made without the database, which may be what is slow, in the visitor's language.
extension WebPages {
    /// The error page for a timed-out request to one of the pages; `nil` for the API's and the
    /// operators' paths, which answer with a problem document.
    public func timedOutPage(_ request: Request) -> Response? {
        let path = request.uri.path
        guard !path.hasPrefix("/api/"), !["/healthz", "/readyz", "/metrics"].contains(path) else { return nil }
        return try? errorPage(.serviceUnavailable, heading: "error_title", message: "error_timeout",
                              visitor: Self.anonymousVisitor(request), request: request)
    }
}
