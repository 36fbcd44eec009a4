import Foundation
import MeridianService
import Logging
import MeridianExchange
import MeridianIdentity
import MeridianWorkflow
import PostgresNIO

/// The demo's people, signed in the way every command signs in: each gets a fresh token,
/// and the user the token authenticates is who acts. Users are added when missing, so the
/// demo runs again on the same database; its tokens are revoked when it ends.
final class DemoCast {
    /// Staff of the trust fund's secretariat.
    static let staff: [DemoPerson] = [
        DemoPerson(handle: "lucia.manager", name: "Lucía Pérez", role: "program-manager", country: nil),
        DemoPerson(handle: "fatima.approver", name: "Fatima Diallo", role: "fund-approver", country: nil),
        DemoPerson(handle: "henrik.approver", name: "Henrik Larsen", role: "fund-approver", country: nil),
        DemoPerson(handle: "chen.finance", name: "Chen Wei", role: "finance-officer", country: nil),
    ]

    private let store: IdentityStore
    private var users: [String: User] = [:]
    private var tokens: [Int64] = []

    init(store: IdentityStore) {
        self.store = store
    }

    /// Signs in `person`, adding her first if she does not exist; returns whether she was added.
    @discardableResult
    func signIn(_ person: DemoPerson) async throws -> Bool {
        if users[person.handle] != nil { return false }
        var added = false
        do {
            _ = try await store.user(handle: person.handle)
        } catch let error as IdentityError where error.code == .notFound {
            guard let role = Role(rawValue: person.role) else { throw CLIFailure("the demo names an unknown role \(person.role)", status: .failure) }
            _ = try await store.addUser(handle: person.handle, name: person.name, roles: [role], country: person.country)
            added = true
        }
        let token = try await store.createToken(for: person.handle, label: "meridian demo", expiresAt: Date().addingTimeInterval(3_600))
        tokens.append(token.info.id)
        users[person.handle] = try await store.authenticate(token: token.secret)
        return added
    }

    /// The official of `country` who answers for it as a partner, signed in on first use.
    func partnerOfficial(_ country: String, name countryName: String) async throws -> DemoPerson {
        let person = DemoPerson(handle: "\(country.lowercased()).official", name: "Official of \(countryName)", role: "official", country: country)
        try await signIn(person)
        return person
    }

    func user(_ person: DemoPerson) throws -> User {
        guard let user = users[person.handle] else { throw CLIFailure("the demo did not sign in \(person.handle)", status: .failure) }
        return user
    }

    /// The person as the engine sees her (staff acting with their global roles).
    func engineActor(_ person: DemoPerson) throws -> WorkflowActor { Caller(try user(person)).workflowActor }

    /// The person as the exchange domain sees her (it decides her roles per exchange).
    func exchangeActor(_ person: DemoPerson) throws -> ExchangeActor { Caller(try user(person)).exchangeActor }

    /// Revokes the tokens of this run.
    func signOutEveryone() async throws {
        for id in tokens { _ = try await store.revokeToken(id) }
        tokens = []
    }
}
