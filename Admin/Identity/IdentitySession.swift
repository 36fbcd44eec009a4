import Foundation
import MeridianService
import MeridianIdentity

/// How the identity commands print users and tokens.
enum IdentitySession {
    /// One line per user for people.
    static func table(_ users: [User]) -> String {
        Table.render(["HANDLE", "NAME", "ROLES", "COUNTRY", "STATUS", "CREATED"], users.map {
            [$0.handle, $0.name, $0.roles.ordered.map(\.rawValue).joined(separator: ","), $0.country ?? "-",
             $0.disabled ? "disabled" : "enabled", EngineSession.time($0.createdAt)]
        })
    }

    /// One line per token for people; never the secret, which is not stored.
    static func table(_ tokens: [TokenInfo]) -> String {
        let now = Date()
        return Table.render(["ID", "USER", "PREFIX", "LABEL", "STATUS", "CREATED", "EXPIRES", "LAST USED"], tokens.map {
            [String($0.id), $0.handle, $0.prefix + "…", $0.label ?? "-", $0.status(at: now).rawValue, EngineSession.time($0.createdAt),
             $0.expiresAt.map(EngineSession.time) ?? "never", $0.lastUsedAt.map(EngineSession.time) ?? "never"]
        })
    }

    /// `lucia (Lucía Pérez; program-manager, fund-approver)`.
    static func describe(_ user: User) -> String {
        let roles = user.roles.ordered.map(\.rawValue).joined(separator: ", ")
        return "\(user.handle) (\(user.name); \(roles)\(user.country.map { "; \($0)" } ?? ""))"
    }
}
