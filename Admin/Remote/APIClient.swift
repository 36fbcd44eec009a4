import AsyncHTTPClient
import Foundation
import MeridianCodes
import MeridianService
import NIOCore
import NIOHTTP1

/// Calls `meridian serve`'s API as the token's user: JSON in Meridian's one form
/// (``ServiceJSON``) both ways, problem documents turned back into the ``ServiceError`` the
/// server classified — so the command prints the same line and exits with the same status as
/// against the database (a refused token is `.unauthenticated`, which the caller words as it
/// words it locally) — and an unreachable server into exit status 69 naming its address.
///
/// The token goes only into the `Authorization` header; no message ever holds it.
struct APIClient: Sendable {
    let server: ServerAddress
    /// `nil` for the public reads (the knowledge base) when no token is configured.
    let token: String?
    let http: HTTPClient

    /// How long one call may take: above the server's own request timeout (30 s by default).
    static let deadline: TimeAmount = .seconds(60)
    /// The largest answer read (a long list of payments is a few megabytes).
    static let largestAnswer = 64 << 20

    /// Runs `body` with a client of `server`, shut down afterwards.
    static func with<Result: Sendable>(_ server: ServerAddress, token: String?, _ body: (APIClient) async throws -> Result) async throws -> Result {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: deadline))
        // A command says at once that the server refused it; a pool's retries until the connect
        // timeout suit a long-running service, not one person's command.
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let client = APIClient(server: server, token: token, http: http)
        do {
            let result = try await body(client)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// One call's answer: its status and body.
    struct Answer: Sendable {
        var status: Int
        var body: Data
        var headers: HTTPHeaders = [:]
    }

    func get<Value: Decodable>(_ path: String, query: [(String, String?)] = [], as type: Value.Type = Value.self) async throws -> Value {
        try decode(type, try await send(.GET, path, query: query))
    }

    func post<Value: Decodable>(_ path: String, json: some Encodable, key: String? = nil, as type: Value.Type = Value.self) async throws -> Value {
        try decode(type, try await post(path, body: try ServiceJSON.encode(json, pretty: false), key: key))
    }

    /// Posts `body` (JSON already encoded: a file's own form) and decodes the answer.
    func post<Value: Decodable>(_ path: String, encoded body: Data, key: String? = nil, as type: Value.Type = Value.self) async throws -> Value {
        try decode(type, try await post(path, body: body, key: key))
    }

    func put<Value: Decodable>(_ path: String, json: some Encodable, as type: Value.Type = Value.self) async throws -> Value {
        let body = try ServiceJSON.encode(json, pretty: false)
        return try decode(type, try await send(.PUT, path, body: body, headers: [("Content-Type", "application/json")]))
    }

    func delete<Value: Decodable>(_ path: String, as type: Value.Type = Value.self) async throws -> Value {
        try decode(type, try await send(.DELETE, path))
    }

    private func post(_ path: String, body: Data, key: String?) async throws -> Answer {
        var headers = [("Content-Type", "application/json")]
        if let key { headers.append(("Idempotency-Key", key)) }
        return try await send(.POST, path, body: body, headers: headers)
    }

    /// Sends one request; a problem answer is thrown as the error it stands for.
    func send(_ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: Data? = nil,
              headers: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: server.url(path, query: query))
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let answer: Answer
        do {
            let response = try await http.execute(request, timeout: Self.deadline)
            let bytes = try await response.body.collect(upTo: Self.largestAnswer)
            answer = Answer(status: Int(response.status.code), body: Data(bytes.readableBytesView), headers: response.headers)
        } catch {
            throw server.unreachable(error)
        }
        guard (200..<300).contains(answer.status) else { throw problem(answer) }
        return answer
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ answer: Answer) throws -> Value {
        do {
            return try ServiceJSON.decoder().decode(type, from: answer.body)
        } catch {
            throw ServiceError(.failure, "the server at \(server) answered in a form this meridian cannot read (\(Self.describe(error))); use a meridian of the server's version")
        }
    }

    /// The error a non-2xx answer stands for: the problem document's kind and detail, as the
    /// service would have thrown it here.
    func problem(_ answer: Answer) -> any Error {
        guard let problem = try? JSONDecoder().decode(ProblemDocument.self, from: answer.body), problem.type.hasPrefix(ProblemDocument.typePrefix) else {
            let kind: ServiceError.Kind = [502, 503, 504].contains(answer.status) ? .unavailable : .failure
            return ServiceError(kind, "the server at \(server) answered \(answer.status) without a Meridian problem document; is MERIDIAN_SERVER the address of `meridian serve`?")
        }
        let name = String(problem.type.dropFirst(ProblemDocument.typePrefix.count))
        return ServiceError(ServiceError.Kind.all.first { $0.name == name } ?? Self.kind(ofOther: name), problem.detail)
    }

    /// The kinds only the HTTP layer has, as the CLI's statuses see them.
    static func kind(ofOther name: String) -> ServiceError.Kind {
        switch name {
        case "too-large": .invalidData
        case "rate-limited": .unavailable
        default: .failure
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not JSON" }
        switch error {
        case .keyNotFound(let key, _): return "'\(key.stringValue)' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' does not fit"
        @unknown default: return "malformed"
        }
    }
}

/// A problem document (RFC 9457) as `meridian serve` writes it.
private struct ProblemDocument: Decodable {
    static let typePrefix = "urn:meridian:problem:"
    var type: String
    var status: Int?
    var detail: String
}
