import Foundation
import Glibc
import Logging
import MeridianDomainTestSupport
import MeridianEngine
import MeridianPostgres
import MeridianTestSupport
import MeridianWorkflow
import PostgresNIO
import Testing

@Suite("Crashes between steps")
struct CrashTests {
    @Test("a process killed while it drives instances leaves each wholly in its old or its new state")
    func killNine() async throws {
        try await EngineFixture.with { fixture in
            let logger = fixture.database.logger
            // The bench drives 300 instances through 10 task steps each, every step one transaction.
            let child = try MeridianBinary.start(
                ["engine", "--in-place", "--instances", "300", "--workers", "8", "--database-url", fixture.database.url],
                captureOutput: true, executable: "meridian-bench")
            // Kill it mid-run: once some instances have moved on and none has finished.
            var progressed = false
            for _ in 0..<2_400 where !progressed {
                let rows = try await fixture.client.query(
                    "SELECT coalesce(max(version), 0), count(*) FILTER (WHERE is_final) FROM engine_instances", logger: logger).collect()
                let (maxVersion, ended) = try rows[0].decode((Int64, Int).self)
                progressed = maxVersion >= 3 && ended == 0
                if !progressed { try await Task.sleep(for: .milliseconds(25)) }
            }
            child.send(SIGKILL)
            let termination = await MeridianBinary.wait(for: child)
            try #require(progressed, "the bench did not get going: \(termination.errorOutput)")
            #expect(termination.status != 0)

            // Every instance: its row, its history and its queued tasks tell the same story.
            let rows = try await fixture.client.query("""
                SELECT i.id, i.state, i.version, i.history_hash,
                       (SELECT count(*) FROM engine_history h WHERE h.instance_id = i.id),
                       (SELECT h.to_state FROM engine_history h WHERE h.instance_id = i.id ORDER BY seq DESC LIMIT 1),
                       (SELECT count(*) FROM queue_jobs j WHERE lower(j.payload->>'instance') = i.id::text)
                     + (SELECT count(*) FROM queue_job_history j WHERE lower(j.payload->>'instance') = i.id::text)
                FROM engine_instances i
                """, logger: logger).collect()
            #expect(rows.count == 300)
            var moved = 0
            for row in rows {
                let (id, state, version, _, entries, lastTo, jobs) = try row.decode((UUID, String, Int64, String, Int, String, Int).self)
                #expect(entries == Int(version), "instance \(id)")
                #expect(lastTo == state, "instance \(id)")
                // The start and each step into s2…s10 enqueue one task; the step into `finished` none.
                #expect(jobs == min(Int(version), 10), "instance \(id) has \(jobs) task jobs at version \(version)")
                if version > 1 { moved += 1 }
            }
            #expect(moved > 0)
            #expect(try await fixture.engine.verifyHistory().isIntact)
        }
    }
}
