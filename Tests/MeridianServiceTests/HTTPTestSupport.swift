import Foundation
import Hummingbird
import HummingbirdTesting
import MeridianHTTP
import MeridianService
import HTTPTypes

/// A request through the API's router, as a client would send it, and what came back.
struct HTTPCall: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var json: String?
    var contentType = "application/json"
    var headers: [String: String] = [:]

    static func get(_ path: String) -> HTTPCall { HTTPCall(method: .get, path: path) }
    static func post(_ path: String, _ json: String? = "{}") -> HTTPCall { HTTPCall(method: .post, path: path, json: json) }
    static func delete(_ path: String) -> HTTPCall { HTTPCall(method: .delete, path: path) }

    struct Answer: Sendable {
        var status: Int
        var headers: HTTPFields
        var body: String
        var problem: Problem? { try? JSONDecoder().decode(Problem.self, from: Data(body.utf8)) }
        var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] }
    }

    func send(_ client: any TestClientProtocol, token: String?) async throws -> Answer {
        var fields: HTTPFields = [:]
        if let token { fields[.authorization] = "Bearer \(token)" }
        if json != nil { fields[.contentType] = contentType }
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return try await client.execute(uri: path, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) }) { response in
            Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: response.body))
        }
    }
}

extension ServiceFixture {
    /// Runs `body` with a test client of the API's router over this fixture's service.
    func withAPI<Result: Sendable>(configuration: ServerConfiguration = .init(), _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Result) async throws -> Result {
        let app = Application(router: try MeridianServer.responder(service: service, configuration: configuration))
        return try await app.test(.router, body)
    }
}
