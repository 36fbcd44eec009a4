import MeridianCodes
import Foundation
import HTTPTypes
import Hummingbird
import MeridianService

/// An RFC 9457 problem document: every error the API returns, as `application/problem+json`.
///
/// The `type` is stable per kind of failure — the same kinds as the CLI's exit statuses — and
/// `detail` is the same one line the CLI prints.
public struct Problem: Codable, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String

    public init(kind: String, title: String, status: HTTPResponse.Status, detail: String) {
        self.type = Self.typePrefix + kind
        self.title = title
        self.status = status.code
        self.detail = detail
    }

    /// Every problem type starts with it; the rest is the kind (`not-found`, `forbidden`, …).
    public static let typePrefix = "urn:meridian:problem:"

    /// The HTTP status of each kind of service failure.
    public static func status(of kind: ServiceError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalidArgument: .badRequest
        case .invalidData: .unprocessableContent
        case .notFound: .notFound
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .conflict, .refused: .conflict
        case .unavailable: .serviceUnavailable
        default: .internalServerError
        }
    }

    /// The problem for `error`: a service failure with its kind; Hummingbird's own errors (no
    /// route, body too large) with their status; anything else a 500 whose detail says nothing
    /// of the internals (they go to the log).
    public static func from(_ error: any Error) -> Problem {
        if let failure = ServiceError.classify(error) {
            let status = status(of: failure.kind)
            let detail = failure.kind == .failure ? "the server failed; the operator finds the cause in its log" : failure.message
            return Problem(kind: failure.kind.name, title: status.reasonPhrase, status: status, detail: detail)
        }
        if let error = error as? any HTTPResponseError {
            let kind: String
            switch error.status {
            case .notFound: kind = "not-found"
            case .contentTooLarge: kind = "too-large"
            case .unsupportedMediaType: kind = "unsupported-media-type"
            case .tooManyRequests: kind = "rate-limited"
            case .methodNotAllowed: kind = "method-not-allowed"
            case .serviceUnavailable: kind = "unavailable"
            default: kind = error.status.code >= 500 ? "failure" : "invalid-argument"
            }
            let detail = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            return Problem(kind: kind, title: error.status.reasonPhrase, status: error.status, detail: detail)
        }
        return Problem(kind: "failure", title: "Internal Server Error", status: .internalServerError,
                       detail: "the server failed; the operator finds the cause in its log")
    }

    /// The response carrying this problem.
    public func response(headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/problem+json"
        let body = (try? ServiceJSON.encoder(pretty: false).encode(self)) ?? Data()
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
