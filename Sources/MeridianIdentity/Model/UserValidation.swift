import Foundation
import MeridianCodes

/// The checks on a new user, made in Swift for the message (the table holds the same rules
/// as constraints, so no other door lets a bad row in).
enum UserValidation {
    static let maximumHandleLength = 64
    static let maximumNameLength = 200

    /// A handle is lower-case `[a-z0-9._-]`, starts with a letter or digit, at most 64 characters.
    static func check(handle: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard let first = handle.first, first.isASCII, first.isLetter || first.isNumber,
              handle.count <= maximumHandleLength, handle.allSatisfy({ allowed.contains($0) })
        else {
            throw IdentityError(
                .invalid, "'\(InputText.printable(handle))' is not a valid handle",
                hint: "use 1 to \(maximumHandleLength) lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. amani.k)"
            )
        }
    }

    /// Returns the trimmed name; empty or over-long names are refused.
    static func check(name: String) throws -> String {
        if let problem = InputText.problem(name, field: "--name", maximum: maximumNameLength, multiline: false) {
            throw IdentityError(.invalid, "a user's name is refused: \(problem)", hint: "give the full name with --name")
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= maximumNameLength else {
            throw IdentityError(.invalid, "a user's name must be 1 to \(maximumNameLength) characters", hint: "give the full name with --name")
        }
        return trimmed
    }

    /// At least one role; a country for officials (an ISO 3166-1 alpha-3 code) and for nobody else.
    static func check(roles: Set<Role>, country: String?) throws {
        guard !roles.isEmpty else {
            throw IdentityError(.invalid, "a user needs at least one role", hint: "the roles are \(Role.names)")
        }
        switch (roles.contains(.official), country) {
        case (true, nil):
            throw IdentityError(.invalid, "an official needs a country", hint: "give its ISO 3166-1 alpha-3 code, e.g. --country COD")
        case (false, .some(let code)):
            throw IdentityError(.invalid, "only officials have a country, and '\(code)' was given for a user without the official role",
                                hint: "drop --country, or add --role official")
        case (true, .some(let code)):
            guard ISO3166.isAlpha3(code) else {
                let printable = InputText.printable(code)
                if let alpha3 = ISO3166.alpha3(code) {
                    throw IdentityError(.invalid, "'\(printable)' is not an ISO 3166-1 alpha-3 country code", hint: "write \(alpha3)")
                }
                throw IdentityError(.invalid, "'\(printable)' is not an ISO 3166-1 country code", hint: "use an alpha-3 code such as COD, RWA, COL")
            }
        case (false, nil):
            break
        }
    }
}
