import MeridianCodes
import Foundation
import Hummingbird
import MeridianService
import HTTPTypes

/// Reading request bodies strictly: a size limit (413), JSON only (415), every field known
/// (422 naming the unknown ones — a misspelt field is never silently ignored), no key given
/// twice in one object (400 naming it — one of the values would silently win).
enum JSONBody {
    /// The body's bytes, at most `limit` of them.
    static func bytes(of request: Request, limit: Int) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return Data(buffer.readableBytesView)
    }

    /// A JSON document's bytes (a request, plan, report or catalogue file), refused when an
    /// object in it holds a key twice; the file's own reader checks the rest.
    static func document(of request: Request, limit: Int) async throws -> Data {
        try requireJSON(request)
        let data = try await bytes(of: request, limit: limit)
        if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil { try refuseDuplicateKeys(data) }
        return data
    }

    /// Throws 400 naming the first key an object of `data` (valid JSON) holds twice.
    static func refuseDuplicateKeys(_ data: Data) throws {
        guard let found = DuplicateKeys.first(in: data) else { return }
        let place = found.path.isEmpty ? "the body" : "'\(found.path)'"
        throw ServiceError(.invalidArgument, "the key '\(found.key)' appears twice in \(place); send each key once")
    }

    /// Decodes a JSON object body whose top-level fields are all in `fields`.
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request, fields: Set<String>, limit: Int) async throws -> Body {
        try requireJSON(request)
        let data = try await bytes(of: request, limit: limit)
        return try decode(type, from: data, fields: fields)
    }

    static func decode<Body: Decodable>(_ type: Body.Type, from data: Data, fields: Set<String>) throws -> Body {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw ServiceError(.invalidData, "the body is not valid JSON; send one JSON object")
        }
        try refuseDuplicateKeys(data)
        guard let dictionary = object as? [String: Any] else {
            throw ServiceError(.invalidData, "the body must be a JSON object with the fields \(fields.sorted().joined(separator: ", "))")
        }
        let unknown = Set(dictionary.keys).subtracting(fields)
        guard unknown.isEmpty else {
            throw ServiceError(.invalidData, "unknown field(s) \(unknown.sorted().joined(separator: ", ")); the fields are \(fields.sorted().joined(separator: ", "))")
        }
        do {
            return try ServiceJSON.decoder().decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw ServiceError(.invalidData, "the body does not fit: \(describe(error))")
        }
    }

    /// Refuses a body that is not declared JSON.
    static func requireJSON(_ request: Request) throws {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/json" else {
            throw HTTPError(.unsupportedMediaType, message: "send the body as application/json")
        }
    }

    /// One line for a decoding failure: the field's path and what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the body" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "malformed"
        }
    }
}

extension Response {
    /// `value` as JSON in Meridian's one form (the CLI's `--json` form, compact).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) throws -> Response {
        var headers = extra
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try ServiceJSON.encode(value, pretty: false)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A view as ``json(_:status:headers:)`` would write it, byte for byte, written already by
    /// ``ServiceJSON/wire(_:)``'s faster encoder: for the hottest answer, one exchange's view
    /// (kept encoded by the exchange view cache).
    static func wireJSON(document: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
    }

    /// A document of another type (XML files, the OpenAPI document, metrics).
    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Request {
    /// The `Idempotency-Key` header, bounded: an idempotency key is at most 200 characters.
    func idempotencyKey() throws -> String? {
        guard let key = headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard !key.isEmpty, key.count <= 200 else {
            throw ServiceError(.invalidArgument, "the Idempotency-Key header must have 1 to 200 characters")
        }
        return key
    }

    /// A UUID path parameter; a malformed one is reported as not found (ids are opaque).
    func uuid(_ name: String, _ context: some RequestContext, what: String) throws -> UUID {
        guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else {
            throw ServiceError(.notFound, "no \(what) has the id \(context.parameters.get(name) ?? "")")
        }
        return id
    }
}
