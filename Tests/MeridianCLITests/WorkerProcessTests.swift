import Foundation
import MeridianDomainTestSupport
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import PostgresNIO
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `meridian worker` processes against one database, checked by what job bodies recorded.
@Suite struct WorkerProcessTests {
    @Test func severalWorkerProcessesRunEveryJobExactlyOnce() async throws {
        let diagnostics = try DiagnosticsFolder()
        defer { diagnostics.remove() }
        try await withQueue { database, client, store in
            let ids = try await store.enqueue((0..<600).map { _ in diagnosticJob(sleepMs: 5) }, on: client).map(\.id)
            let workers = try (0..<3).map { _ in try startWorker(database, diagnostics: diagnostics, extra: ["--queue", "default=4"]) }
            try await eventually("all 600 jobs finished") { try await hotCount(client) == 0 }
            for worker in workers { worker.send(SIGTERM) }
            for worker in workers { #expect(await waitForExit(worker) == 0) }

            let runs = diagnostics.runs
            let starts = runs.filter { $0.event == "start" }
            let ends = runs.filter { $0.event == "end" }
            #expect(starts.count == 600)
            #expect(ends.count == 600)
            #expect(Set(starts.map(\.id)) == Set(ids))
            #expect(Set(ends.map(\.id)) == Set(ids))
            #expect(Set(starts.map(\.pid)).count >= 2, "the work was shared between processes")
            #expect(try await scalar("SELECT count(*) FROM queue_job_history WHERE state = 'completed'", on: client) == 600)
        }
    }

    @Test func aKilledWorkersJobIsRescuedRunAgainAndItsLateCompletionRefused() async throws {
        let diagnostics = try DiagnosticsFolder()
        defer { diagnostics.remove() }
        try await withQueue { database, client, store in
            let id = try await store.enqueue(diagnosticJob(sleepMs: 50, firstAttemptSleepMs: 120_000, maxAttempts: 3), on: client).id
            let doomed = try startWorker(database, diagnostics: diagnostics)
            try await eventually("the first attempt started") { diagnostics.runs.contains { $0.id == id && $0.event == "start" } }
            let first = try #require(diagnostics.runs.first { $0.id == id && $0.event == "start" })
            #expect(first.attempt == 1 && first.pid == doomed.pid)
            doomed.send(SIGKILL)
            _ = await waitForExit(doomed)

            let rescuer = try startWorker(database, diagnostics: diagnostics)
            try await eventually("the job ran again and finished") {
                diagnostics.runs.contains { $0.id == id && $0.event == "end" && $0.attempt == 2 }
            }
            try await eventually("the completion was recorded") { try await store.job(id, on: client)?.state == .completed }
            rescuer.send(SIGTERM)
            #expect(await waitForExit(rescuer) == 0)

            let second = try #require(diagnostics.runs.first { $0.id == id && $0.event == "start" && $0.attempt == 2 })
            #expect(second.pid == rescuer.pid && second.token != first.token)
            let job = try #require(try await store.job(id, on: client))
            #expect(job.errors.map(\.error).contains { $0.hasPrefix("lease expired") })
            // The killed worker's completion, arriving late with its old token, is refused.
            let stale = Lease(id: id, token: first.token)
            #expect(try await store.complete([stale], on: client).refused == [id])
            #expect(try await store.fail([Failure(lease: stale, message: "late", retryDelayMilliseconds: 0)], on: client).refused == [id])
            #expect(try await store.job(id, on: client)?.state == .completed)
            #expect(diagnostics.runs.filter { $0.event == "end" }.count == 1)
        }
    }

    @Test func gracefulShutdownFinishesWhatItCanAndLeavesNothingRunning() async throws {
        let diagnostics = try DiagnosticsFolder()
        defer { diagnostics.remove() }
        try await withQueue { database, client, store in
            let quick = try await store.enqueue(diagnosticJob(sleepMs: 700), on: client).id
            let slow = try await store.enqueue((0..<3).map { _ in diagnosticJob(sleepMs: 120_000) }, on: client).map(\.id)
            let worker = try startWorker(database, diagnostics: diagnostics, extra: ["--shutdown-deadline-ms", "2500", "--lease-ms", "30000"])
            try await eventually("all four jobs started") { diagnostics.runs.filter { $0.event == "start" }.count == 4 }
            worker.send(SIGTERM)
            #expect(await waitForExit(worker) == 0)

            #expect(try await scalar("SELECT count(*) FROM queue_jobs WHERE state = 'running'", on: client) == 0)
            #expect(try await store.job(quick, on: client)?.state == .completed)
            for id in slow {
                let job = try #require(try await store.job(id, on: client))
                #expect(job.state == .available && job.attempt == 0 && job.leaseToken == nil)
            }
        }
    }
}
