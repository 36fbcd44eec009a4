import Foundation
import Logging
import MeridianCodes
import MeridianDomainTestSupport
@testable import MeridianExchange
import MeridianPostgres
import MeridianTestSupport
import PostgresNIO
import Testing

/// The exchange's view is read in one statement, its child rows aggregated as JSON
/// (``ChildRows``); these tests read the same rows table by table, each column decoded by
/// PostgresNIO, and expect the very same values — dates to the microsecond, scores to the bit.
@Suite("the exchange view in one statement")
struct ViewReadTests {
    @Test("a declined and a confirmed partner, matches, two plans and notifications read as their tables hold them")
    func viewAgreesWithTables() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPartnerSelection()
            _ = try await f.exchanges.selectPartner("SLE", exchange: id, by: Fixtures.codOfficial)
            _ = try await f.exchanges.declinePartnership(exchange: id, reason: "Our commission is closing this year", by: Fixtures.sleOfficial)
            _ = try await f.exchanges.selectPartner("RWA", exchange: id, by: Fixtures.codOfficial)
            try await f.runTasks()
            _ = try await f.exchanges.confirmPartnership(exchange: id, by: Fixtures.rwaOfficial)
            _ = try await f.exchanges.importPlan(Fixtures.plan(grantMinor: 1_000_000), exchange: id, by: Fixtures.codOfficial)
            _ = try await f.exchanges.importPlan(Fixtures.plan(), exchange: id, by: Fixtures.codOfficial)
            _ = try await f.exchanges.submitPlan(exchange: id, by: Fixtures.codOfficial)
            try await f.runTasks()

            let view = try await f.exchanges.show(id, for: Fixtures.codOfficial)
            #expect(view.partners.count == 2 && view.plans.count == 2 && view.matches?.matches.count == 5)
            #expect(view.plans.last?.checkedAt != nil && view.partners.last?.respondedAt != nil)
            #expect(view.notifications.count >= 3)
            try await expectViewAgreesWithTables(view, client: f.client, logger: f.logger)
            #expect(try await f.exchanges.show(id, for: Fixtures.rwaOfficial) == view, "the partner's official sees the same view")
        }
    }

    /// Counted by the database: the transactions its statements committed, from this
    /// connection's own statistics, flushed on demand (`pg_stat_force_next_flush`). Before, the
    /// view took six statements.
    @Test("the whole view is one statement")
    func oneStatement() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchangeAtPlanning()
            _ = try await f.exchanges.importPlan(Fixtures.plan(), exchange: id, by: Fixtures.codOfficial)
            try await withPostgresConnection(f.database.settings, logger: f.logger) { connection in
                let logger = f.logger
                func committed() async throws -> Int64 {
                    _ = try await connection.query("SELECT pg_stat_force_next_flush()", logger: logger).collect()
                    let rows = try await connection.query(
                        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", logger: logger).collect()
                    return try rows[0].decode(Int64.self)
                }
                _ = try await ExchangeView.read(id, visibleTo: Fixtures.codOfficial, on: connection, logger: logger)  // prepares it
                var fewest = Int64.max
                for _ in 0..<3 {  // the fewest of three, in case another session committed meanwhile
                    let before = try await committed()
                    let view = try await ExchangeView.read(id, visibleTo: Fixtures.codOfficial, on: connection, logger: logger)
                    #expect(view.partners.count == 1 && view.plans.count == 1 && view.matches != nil)
                    // Less the two statements of `committed()` after `before` was read.
                    fewest = min(fewest, try await committed() - before - 2)
                }
                #expect(fewest == 1)
            }
        }
    }

    @Test("an exchange just filed reads with no partner, matches, plan, report or publication")
    func bareExchange() async throws {
        try await ExchangeFixture.with { f in
            let id = try await f.exchanges.file(Fixtures.ddrRequest, by: Fixtures.codOfficial).exchangeID
            let view = try await f.exchanges.show(id, for: Fixtures.codOfficial)
            #expect(view.partners.isEmpty && view.matches == nil && view.plans.isEmpty && view.reports.isEmpty)
            #expect(view.publishedExperienceID == nil && view.archivedAt == nil)
            try await expectViewAgreesWithTables(view, client: f.client, logger: f.logger)
            await #expect { _ = try await f.exchanges.show(id, for: Fixtures.rwaOfficial) } throws: { ($0 as? ExchangeError)?.code == .notFound }
            await #expect { _ = try await f.exchanges.show(UUID(), for: Fixtures.managerActor) } throws: { ($0 as? ExchangeError)?.code == .notFound }
        }
    }
}

/// Expects `view` to hold what the exchange's tables hold, read one table at a time.
func expectViewAgreesWithTables(_ view: ExchangeView, client: PostgresClient, logger: Logger,
                                sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let id = view.id
    let head = try await client.query("""
        SELECT i.state, i.is_final, i.updated_at, p.experience_id, a.archived_at, r.filed_by, r.filed_at
        FROM engine_instances i JOIN exchange_requests r ON r.exchange_id = i.id
        LEFT JOIN exchange_publications p ON p.exchange_id = i.id LEFT JOIN exchange_archive a ON a.exchange_id = i.id
        WHERE i.id = \(id)
        """, logger: logger).collect()
    let (state, isFinal, updatedAt, experience, archivedAt, filedBy, filedAt) =
        try #require(head.first, sourceLocation: sourceLocation).decode((String, Bool, Date, Int?, Date?, String, Date).self)
    #expect(view.state == state && view.isFinal == isFinal && view.updatedAt == updatedAt, sourceLocation: sourceLocation)
    #expect(view.publishedExperienceID == experience && view.archivedAt == archivedAt, sourceLocation: sourceLocation)
    #expect(view.request.filedBy == filedBy && view.request.filedAt == filedAt, sourceLocation: sourceLocation)

    var partners: [ExchangeView.Partner] = []
    for try await (country, by, at, response, respondedBy, respondedAt, reason) in try await client.query("""
        SELECT country_code, chosen_by, chosen_at, response, responded_by, responded_at, reason
        FROM exchange_partner_choices WHERE exchange_id = \(id) ORDER BY seq
        """, logger: logger).decode((String, String, Date, String, String?, Date?, String?).self) {
        partners.append(.init(country: country, chosenBy: by, chosenAt: at, response: response, respondedBy: respondedBy,
                              respondedAt: respondedAt, reason: reason))
    }
    #expect(view.partners == partners, sourceLocation: sourceLocation)

    var rounds: [(Int, String, String, Int, Date)] = []
    for try await round in try await client.query("""
        SELECT round, status, note, candidates_ranked, matched_at FROM exchange_match_rounds
        WHERE exchange_id = \(id) ORDER BY round DESC LIMIT 1
        """, logger: logger).decode((Int, String, String, Int, Date).self) { rounds.append(round) }
    if let (round, status, note, ranked, matchedAt) = rounds.first {
        var matches: [Match] = []
        for try await (code, name, experience, programme, years, score, parts, summary, reasons, sources) in try await client.query("""
            SELECT country_code, country_name, experience_id, programme, years, score, parts::text, summary, reasons::text, sources
            FROM exchange_matches WHERE exchange_id = \(id) AND round = \(round) ORDER BY rank
            """, logger: logger).decode((String, String, Int, String, String, Double, String, String, String, [String]).self) {
            matches.append(Match(experienceID: experience, countryCode: code, countryName: name, programme: programme, years: years,
                                 score: score, parts: try JSONText.decode(Match.ScoreParts.self, parts), summary: summary,
                                 reasons: try JSONText.decode(Match.Reasons.self, reasons), sources: sources))
        }
        #expect(view.matches == MatchRound(round: round, status: MatchResult.Status(rawValue: status) ?? .none, note: note,
                                           candidatesRanked: ranked, matchedAt: matchedAt, matches: matches), sourceLocation: sourceLocation)
    } else {
        #expect(view.matches == nil, sourceLocation: sourceLocation)
    }

    var plans: [(Int, Date, Date?, String?, Date?, String?, Int64)] = []
    for try await plan in try await client.query("""
        SELECT version, created_at, submitted_at, submitted_by, checked_at, check_result, grant_minor
        FROM exchange_plans WHERE exchange_id = \(id) ORDER BY version
        """, logger: logger).decode((Int, Date, Date?, String?, Date?, String?, Int64).self) { plans.append(plan) }
    #expect(view.plans.map(\.version) == plans.map(\.0) && view.plans.map(\.createdAt) == plans.map(\.1), sourceLocation: sourceLocation)
    #expect(view.plans.map(\.submittedAt) == plans.map(\.2) && view.plans.map(\.submittedBy) == plans.map(\.3), sourceLocation: sourceLocation)
    #expect(view.plans.map(\.checkedAt) == plans.map(\.4) && view.plans.map(\.checkResult) == plans.map(\.5), sourceLocation: sourceLocation)
    #expect(view.plans.map { $0.totals.grant?.minorUnits ?? 0 } == plans.map(\.6), sourceLocation: sourceLocation)

    var reports: [(Int, Date, Date?, String?)] = []
    for try await report in try await client.query("""
        SELECT r.version, r.submitted_at, v.reviewed_at, v.decision FROM exchange_reports r
        LEFT JOIN exchange_reviews v ON v.exchange_id = r.exchange_id AND v.report_version = r.version
        WHERE r.exchange_id = \(id) ORDER BY r.version
        """, logger: logger).decode((Int, Date, Date?, String?).self) { reports.append(report) }
    #expect(view.reports.map(\.version) == reports.map(\.0) && view.reports.map(\.submittedAt) == reports.map(\.1), sourceLocation: sourceLocation)
    #expect(view.reports.map { $0.review?.reviewedAt } == reports.map(\.2) && view.reports.map { $0.review?.decision } == reports.map(\.3),
            sourceLocation: sourceLocation)

    var notifications: [ExchangeNotification] = []
    for try await (task, role, country, message, at) in try await client.query("""
        SELECT task, recipient_role, recipient_country, message, created_at FROM exchange_notifications
        WHERE exchange_id = \(id) ORDER BY id
        """, logger: logger).decode((String, String, String?, String, Date).self) {
        notifications.append(ExchangeNotification(task: task, recipientRole: role, recipientCountry: country, message: message, createdAt: at))
    }
    #expect(view.notifications == notifications, sourceLocation: sourceLocation)
}
