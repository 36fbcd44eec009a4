import Foundation
import Logging
import PostgresNIO

/// What a chaos run left, read from the database after the last crash: every exchange once and
/// in its expected state, nothing done twice, no dead job, the ledger balanced when replayed
/// from its entries. Each check is SQL over the tables themselves, so it holds whatever the
/// code that wrote them believed.
struct ChaosChecks {
    let client: PostgresClient
    let logger: Logger

    /// The findings: exchanges lost and things doubled (each with a line saying which), and
    /// other problems (dead jobs, incidents, ledger) that fail the run as well.
    struct Findings: Sendable {
        var lost: [String] = []
        var doubled: [String] = []
        var problems: [String] = []
    }

    /// - Parameters:
    ///   - keys: the filing key of every exchange the run meant to file.
    ///   - grantMinor: what each exchange's grant is, to check the money disbursed.
    ///   - seedExperiences: experiences in the knowledge base before the run.
    func run(keys: [String], fund: String, grantMinor: Int64, seedExperiences: Int64) async throws -> Findings {
        var findings = Findings()

        // Every exchange exactly once, in its expected state.
        let rows = try await client.query("""
            SELECT r.idempotency_key, count(*)::int8,
                   bool_and(coalesce(i.state = 'closed' AND p.exchange_id IS NOT NULL AND a.exchange_id IS NOT NULL
                                     AND g.status = 'closed' AND pay.status = 'paid', false))
            FROM exchange_requests r
            JOIN engine_instances i ON i.id = r.exchange_id
            LEFT JOIN exchange_publications p ON p.exchange_id = r.exchange_id
            LEFT JOIN exchange_archive a ON a.exchange_id = r.exchange_id
            LEFT JOIN funding_grants g ON g.instance_id = r.exchange_id
            LEFT JOIN funding_payment_instructions pay ON pay.grant_id = g.id
            WHERE r.idempotency_key = ANY(\(keys))
            GROUP BY r.idempotency_key
            """, logger: logger)
        var found: [String: (count: Int64, complete: Bool)] = [:]
        for try await (key, count, complete) in rows.decode((String, Int64, Bool?).self) { found[key] = (count, complete ?? false) }
        for key in keys {
            guard let entry = found[key] else { findings.lost.append("\(key): never filed"); continue }
            if entry.count > 1 { findings.doubled.append("\(key): filed \(entry.count) times (or paid more than once)") }
            if !entry.complete { findings.lost.append("\(key): not closed, published, archived and paid: \(try await describe(key))") }
        }
        let instances = try await count("SELECT count(*) FROM engine_instances WHERE workflow_id = 'knowledge-exchange'")
        if instances != keys.count { findings.doubled.append("\(instances) exchange instances for \(keys.count) requests") }

        // Nothing done twice.
        for (what, sql) in Self.doubles {
            for try await (line,) in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode((String,).self) {
                findings.doubled.append("\(what): \(line)")
            }
        }

        let experiences = try await count("SELECT count(*) FROM experiences")
        if experiences > seedExperiences + Int64(keys.count) {
            findings.doubled.append("experiences: \(experiences - seedExperiences) published for \(keys.count) exchanges")
        }

        // No dead job, no incident, nothing still waiting to run.
        let dead = try await count("SELECT count(*) FROM queue_job_history WHERE state = 'dead'")
        if dead > 0 { findings.problems.append("\(dead) dead job(s)") }
        let incidents = try await count("SELECT count(*) FROM engine_incidents")
        if incidents > 0 { findings.problems.append("\(incidents) incident(s) opened") }

        // The ledger, replayed from its entries.
        for (what, sql) in Self.ledger {
            let bad = try await count(sql)
            if bad > 0 { findings.problems.append("ledger: \(bad) \(what)") }
        }
        let disbursed = try await count("SELECT balance_minor FROM funding_balances WHERE fund_id = '\(fund)' AND account = 'disbursed'")
        let expected = grantMinor * Int64(keys.count - findings.lost.count)
        if findings.lost.isEmpty, disbursed != expected {
            findings.problems.append("ledger: \(disbursed) minor units disbursed, expected \(expected) (\(keys.count) grants of \(grantMinor))")
        }
        return findings
    }

    /// Checks that list one line per thing done more than once.
    static let doubles: [(String, String)] = [
        ("match rounds", "SELECT exchange_id || ': ' || count(*) FROM exchange_match_rounds GROUP BY exchange_id HAVING count(*) > 1"),
        ("grants", "SELECT instance_id || ': ' || count(*) FROM funding_grants GROUP BY instance_id HAVING count(*) > 1"),
        ("ledger transactions", """
            SELECT grant_id || ' ' || kind || ': ' || count(*) FROM funding_transactions WHERE grant_id IS NOT NULL
            GROUP BY grant_id, kind HAVING count(*) > 1
            """),
        ("payment instructions", "SELECT grant_id || ': ' || count(*) FROM funding_payment_instructions GROUP BY grant_id HAVING count(*) > 1"),
        ("steps taken twice", """
            SELECT instance_id || ' ' || event || ': ' || count(*) FROM engine_history
            GROUP BY instance_id, event HAVING count(*) > 1
            """),
    ]

    /// Counts of ledger faults: unbalanced transactions, transactions without entries, stored
    /// balances that differ from the replay, and balances that went negative at some point of
    /// the replay (contributions are kept as a negative number, so they must never go positive).
    static let ledger: [(String, String)] = [
        ("transaction(s) whose entries do not sum to zero",
         "SELECT count(*) FROM (SELECT transaction_id FROM funding_entries GROUP BY transaction_id HAVING sum(amount_minor) <> 0) t"),
        ("transaction(s) without entries",
         "SELECT count(*) FROM funding_transactions t WHERE NOT EXISTS (SELECT 1 FROM funding_entries e WHERE e.transaction_id = t.id)"),
        ("stored balance(s) that differ from the replay of the entries", """
            SELECT count(*) FROM funding_balances b
            LEFT JOIN (SELECT fund_id, account, sum(amount_minor) AS total FROM funding_entries GROUP BY fund_id, account) e
              USING (fund_id, account)
            WHERE b.balance_minor <> coalesce(e.total, 0)
            """),
        ("point(s) in the replay where a balance was negative", """
            SELECT count(*) FROM (
              SELECT account, sum(total) OVER (PARTITION BY fund_id, account ORDER BY transaction_id) AS running
              FROM (SELECT fund_id, account, transaction_id, sum(amount_minor) AS total FROM funding_entries
                    GROUP BY fund_id, account, transaction_id) per_transaction
            ) replay
            WHERE (account = 'contributions' AND running > 0) OR (account <> 'contributions' AND running < 0)
            """),
    ]

    private func count(_ sql: String) async throws -> Int64 {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        return try rows.first?.decode(Int64?.self) ?? 0
    }

    /// Where a lost exchange stands, for the failure message.
    private func describe(_ key: String) async throws -> String {
        let rows = try await client.query("""
            SELECT i.state, (SELECT count(*) FROM queue_jobs j WHERE j.payload::text LIKE '%' || i.id::text || '%')::int8
            FROM exchange_requests r JOIN engine_instances i ON i.id = r.exchange_id WHERE r.idempotency_key = \(key)
            """, logger: logger).collect()
        guard let row = rows.first else { return "no instance" }
        let (state, jobs) = try row.decode((String, Int64).self)
        return "state \(state), \(jobs) job(s) waiting"
    }
}
