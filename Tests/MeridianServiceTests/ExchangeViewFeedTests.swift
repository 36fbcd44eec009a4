import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import MeridianExchange
import MeridianDomainTestSupport
import MeridianHTTP
import MeridianPostgres
import MeridianService
import MeridianTestSupport
import PostgresNIO
import Testing

/// The exchange view cache against a real database (issue 13): migration 0023 logs every change
/// a view can show, the feed's questions find each exactly once (a transaction open during one
/// question is found by the next), and a server with the cache never answers a view that misses
/// a commit older than its bound — at once for writes made through it.
@Suite("Exchange view cache: the feed and the server")
struct ExchangeViewFeedTests {
    /// Every table the view's one statement reads, as PostgreSQL plans it (`EXPLAIN`'s
    /// relation names), so a table added to the view is found whatever its name or spelling.
    static func tablesTheViewReads(_ f: ServiceFixture) async throws -> Set<String> {
        var bindings = PostgresBindings()
        bindings.append(f.exchange)
        let rows = try await f.client.query(PostgresQuery(unsafeSQL: "EXPLAIN (FORMAT JSON) " + ExchangeView.Statement.sql, binds: bindings),
                                            logger: f.logger)
        var plan = ""
        for try await text in rows.decode(String.self) { plan += text }
        var names: Set<String> = []
        func collect(_ node: Any) {
            if let object = node as? [String: Any] {
                if let name = object["Relation Name"] as? String { names.insert(name) }
                object.values.forEach(collect)
            } else if let array = node as? [Any] {
                array.forEach(collect)
            }
        }
        collect(try JSONSerialization.jsonObject(with: Data(plan.utf8)))
        return names
    }

    @Test("every table the view reads logs its rows' exchange on insert, update, delete and truncate")
    func everyTableIsWatched() async throws {
        try await ServiceFixture.with { f in
            let tables = try await Self.tablesTheViewReads(f)
            #expect(tables.contains("engine_instances") && tables.contains("exchange_partner_choices") && tables.count == 11, "\(tables)")
            // pg_trigger.tgtype: 4 insert, 8 delete, 16 update, 32 truncate.
            let rows = try await f.client.query("""
                SELECT c.relname, bit_or(t.tgtype)::int
                FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE p.proname IN ('exchange_view_changed', 'exchange_instance_changed', 'exchange_views_truncated')
                GROUP BY c.relname
                """, logger: f.logger)
            var events: [String: Int] = [:]
            for try await (table, kinds) in rows.decode((String, Int).self) { events[table] = kinds }
            for table in tables {
                let wanted = 4 | 8 | 16 | 32
                #expect((events[table] ?? 0) & wanted == wanted, "\(table) logs \(events[table] ?? 0), needs \(wanted)")
            }
        }
    }

    @Test("a change to any of the exchange's rows is found by the next question, and only once")
    func changesAreFound() async throws {
        try await ServiceFixture.with { f in
            let id = f.exchange
            try await f.client.withConnection { feed in
                var since = try await ExchangeViewChangeFeed.currentSnapshot(on: feed, logger: f.logger)
                func ask() async throws -> ExchangeViewChangeFeed.Answer {
                    let answer = try await ExchangeViewChangeFeed.changes(since: since, on: feed, logger: f.logger)
                    since = answer.snapshot
                    return answer
                }
                #expect(try await ask().exchanges.isEmpty, "nothing changed yet")
                // The fixture's exchange has rows in these tables; each update is one commit.
                for table in ["exchange_requests", "exchange_match_rounds", "exchange_matches", "exchange_partner_choices",
                              "exchange_plans", "exchange_notifications"] {
                    try await f.client.query(PostgresQuery(unsafeSQL: "UPDATE \(table) SET exchange_id = exchange_id WHERE exchange_id = $1",
                                                           binds: try Self.binds(id)), logger: f.logger)
                    #expect(try await ask().exchanges == [id], "\(table)")
                    #expect(try await ask().exchanges.isEmpty, "\(table): found once")
                }
                try await f.client.query("UPDATE engine_instances SET updated_at = now() WHERE id = \(id)", logger: f.logger)
                #expect(try await ask().exchanges == [id], "the instance moved")
                try await f.client.query("DELETE FROM exchange_notifications WHERE exchange_id = \(id)", logger: f.logger)
                #expect(try await ask().exchanges == [id], "a deleted row logs its exchange too")

                // A transaction open during a question is found by the next one.
                try await withPostgresConnection(f.database.settings, logger: f.logger) { writer in
                    try await writer.query("BEGIN", logger: f.logger)
                    try await writer.query("UPDATE exchange_requests SET exchange_id = exchange_id WHERE exchange_id = \(id)", logger: f.logger)
                    let other = try await f.service.fileRequest(ServiceFixture.ddrRequest, key: nil, by: try await f.caller(.requestingOfficial)).exchangeID
                    #expect(try await ask().exchanges == [other], "the open transaction is not committed; the later one is")
                    try await writer.query("COMMIT", logger: f.logger)
                }
                #expect(try await ask().exchanges == [id], "committed after the question that did not see it")

                try await f.client.query("TRUNCATE exchange_archive", logger: f.logger)
                #expect(try await ask().everything, "a truncation may change every view")
            }
        }
    }

    @Test("pruned rows the previous question may not have seen make the next question say everything changed")
    func pruning() async throws {
        try await ServiceFixture.with { f in
            try await f.client.withConnection { feed in
                let since = try await ExchangeViewChangeFeed.currentSnapshot(on: feed, logger: f.logger)
                try await f.client.query("INSERT INTO exchange_view_changes (exchange_id, written_at) VALUES (\(f.exchange), now() - interval '2 minutes')",
                                         logger: f.logger)
                // Pruned once no transaction older than it is open anywhere in the cluster (other tests run beside this one).
                try await eventually("the row older than a minute is pruned", within: 30) {
                    try await ExchangeViewChangePruner.prune(on: feed, logger: f.logger)
                    let left = try await f.client.query("SELECT count(*)::int FROM exchange_view_changes WHERE written_at < now() - interval '1 minute'",
                                                        logger: f.logger)
                    for try await count in left.decode(Int.self) { return count == 0 }
                    return false
                }
                #expect(try await ExchangeViewChangeFeed.changes(since: since, on: feed, logger: f.logger).everything)
                // Once no transaction older than the pruned rows is open anywhere in the cluster
                // (other tests run beside this one), a question starts from there.
                try await eventually("a question after the prune no longer says everything changed", within: 30) {
                    let now = try await ExchangeViewChangeFeed.currentSnapshot(on: feed, logger: f.logger)
                    return try await !ExchangeViewChangeFeed.changes(since: now, on: feed, logger: f.logger).everything
                }
            }
        }
    }

    @Test("a server with the cache answers each step of another process within its bound, and hides the view from other countries")
    func servedViewsFollowTheDatabase() async throws {
        try await ServiceFixture.with { f in
            let bound = Duration.milliseconds(100)
            let cache = ExchangeViewCache(maximumStaleness: bound)
            let cached = try MeridianService(client: f.client, logger: f.logger, exchangeViewCache: cache)
            try await ExchangeViewChangeFeed(cache: cache, settings: f.database.settings, logger: f.logger).whileFeeding {
                let cod = try await f.caller(.requestingOfficial), pm = try await f.caller(.programManager)
                let id = try await f.service.fileRequest(ServiceFixture.ddrRequest, key: nil, by: cod).exchangeID
                try await eventually("the view is kept", within: 20) {
                    _ = try await cached.exchange(id, by: cod)
                    return cache.count > 0 && cache.entry(id) != nil
                }
                #expect(try await cached.exchange(id, by: cod) == (try await f.service.exchange(id, by: cod)))

                let other = try await f.caller(.otherOfficial)
                let refused = await #expect(throws: ExchangeError.self) { _ = try await cached.exchange(id, by: other) }
                #expect(refused?.code == .notFound, "a kept view is still hidden from another country")

                // Steps taken by another process (the fixture's service has no cache).
                let steps: [(String, () async throws -> Void)] = [
                    ("screening", { _ = try await f.service.startScreening(id, key: nil, by: pm) }),
                    ("request-info", { _ = try await f.service.decide(.requestInfo, exchange: id, comment: "which provinces?", key: nil, by: pm) }),
                ]
                for (name, step) in steps {
                    _ = try await cached.exchange(id, by: cod)  // keep it in use
                    try await step()
                    try await Task.sleep(for: bound + .milliseconds(20))
                    #expect(try await cached.exchange(id, by: cod) == (try await f.service.exchange(id, by: cod)),
                            "after \(name): no commit older than the bound is missing")
                }
                let served = cache.figures.served
                try await eventually("the new view is kept and answered from memory again", within: 20) {
                    _ = try await cached.exchange(id, by: cod)
                    return cache.figures.served > served
                }
                #expect(try await cached.exchange(id, by: cod) == (try await f.service.exchange(id, by: cod)), "and it is the database's")
            }
        }
    }

    @Test("a write through the server is seen by the writer's next read, however long the feed would wait")
    func readYourWrites() async throws {
        try await ServiceFixture.with { f in
            // The feed asks once a minute unless a writer waits: only the catch-up can drop the view.
            let cache = ExchangeViewCache(maximumStaleness: .seconds(600))
            let service = try MeridianService(client: f.client, logger: f.logger, exchangeViewCache: cache)
            let feed = ExchangeViewChangeFeed(cache: cache, settings: f.database.settings, logger: f.logger, interval: .seconds(60))
            try await feed.whileFeeding {
                let cod = try await f.caller(.requestingOfficial)
                let id = try await f.service.fileRequest(ServiceFixture.ddrRequest, key: nil, by: cod).exchangeID
                try await eventually("the feed has asked", within: 20) { cache.ticket() != nil }
                let app = Application(router: try MeridianServer.responder(service: service))
                try await app.test(.router) { client in
                    let official = f.tokens[.requestingOfficial]!, manager = f.tokens[.programManager]!
                    let first = try await HTTPCall.get("/api/v1/exchanges/\(id.uuidString.lowercased())").send(client, token: official)
                    #expect(first.status == 200 && first.object?["state"] as? String == "submitted")
                    #expect(cache.entry(id) != nil, "kept")

                    let screening = try await HTTPCall.post("/api/v1/exchanges/\(id.uuidString.lowercased())/screening", nil).send(client, token: manager)
                    #expect(screening.status == 200, "\(screening.body)")
                    let after = try await HTTPCall.get("/api/v1/exchanges/\(id.uuidString.lowercased())").send(client, token: official)
                    #expect(after.object?["state"] as? String == "screening", "the write is seen at once, not the kept view")

                    let other = try await HTTPCall.get("/api/v1/exchanges/\(id.uuidString.lowercased())").send(client, token: f.tokens[.otherOfficial]!)
                    #expect(other.status == 404, "kept views are not shown to another country")
                }
            }
        }
    }

    private static func binds(_ id: UUID) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(id)
        return bindings
    }
}
