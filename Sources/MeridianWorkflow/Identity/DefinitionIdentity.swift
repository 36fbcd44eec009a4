import Crypto

/// What identifies a definition: id, version and the SHA-256 of its canonical content.
///
/// Deploying the same id and version with a different digest is a mistake the engine can
/// refuse: a deployed version is immutable.
public struct DefinitionIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var id: String
    public var version: Int
    /// Lower-case hex SHA-256 of `CanonicalForm.text(of:)` in UTF-8.
    public var sha256: String

    public init(id: String, version: Int, sha256: String) {
        self.id = id
        self.version = version
        self.sha256 = sha256
    }

    public init(of definition: WorkflowDefinition) {
        let digest = SHA256.hash(data: Array(CanonicalForm.text(of: definition).utf8))
        self.init(id: definition.id, version: definition.version, sha256: digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined())
    }

    /// `knowledge-exchange@1 sha256:ab12…`
    public var description: String { "\(id)@\(version) sha256:\(sha256)" }
}

extension WorkflowDefinition {
    /// Id, version and content digest.
    public var identity: DefinitionIdentity { DefinitionIdentity(of: self) }
}
