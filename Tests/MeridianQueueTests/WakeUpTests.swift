import Foundation
import Logging
import MeridianDomainTestSupport
import MeridianPostgres
import MeridianQueue
import MeridianTestSupport
import PostgresNIO
import Synchronization
import Testing

/// Wake-ups: one NOTIFY per queue at a time (0007_wakeups.sql), so notifying commits no
/// longer queue up behind PostgreSQL's cluster-wide notify lock, and no job waits for the
/// poll because its own wake-up was left out.
@Suite struct WakeUpTests {
    /// What a LISTEN connection on the queue channel has heard.
    final class Heard: Sendable {
        let payloads = Mutex<[String]>([])
        let listening = Atomic<Bool>(false)
        var all: [String] { payloads.withLock { $0 } }
    }

    /// Runs `body` while a separate session listens on the queue channel.
    func withListener(_ database: TestDatabase, _ body: (Heard) async throws -> Void) async throws {
        let heard = Heard()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await withPostgresConnection(database.settings, logger: database.logger) { connection in
                    try await connection.listen(on: QueueStore.notificationChannel) { notifications in
                        heard.listening.store(true, ordering: .relaxed)
                        for try await notification in notifications {
                            heard.payloads.withLock { $0.append(notification.payload) }
                        }
                    }
                }
            }
            try await eventually("the listener is up", within: 10) { heard.listening.load(ordering: .relaxed) }
            do {
                try await body(heard)
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    /// Two sessions of their own, for transactions that are open at the same time.
    func withTwoSessions(
        _ database: TestDatabase, _ body: (PostgresConnection, PostgresConnection) async throws -> Void
    ) async throws {
        try await withPostgresConnection(database.settings, logger: database.logger) { first in
            try await withPostgresConnection(database.settings, logger: database.logger) { second in
                try await body(first, second)
            }
        }
    }

    @Test func aLoneEnqueueWakesItsQueue() async throws {
        try await withQueue { database, client, store in
            try await withListener(database) { heard in
                try await store.enqueue(NewJob(kind: "report", queue: "mail"), on: client)
                try await eventually("the wake-up arrived", within: 10) { heard.all == ["mail"] }
                try await store.enqueue(NewJob(kind: "report", queue: "mail"), on: client)
                try await eventually("a second enqueue wakes again", within: 10) { heard.all == ["mail", "mail"] }
            }
        }
    }

    @Test func concurrentEnqueuersShareOneWakeUpPerQueue() async throws {
        try await withQueue { database, client, store in
            let logger = database.logger
            try await withListener(database) { heard in
                try await withTwoSessions(database) { first, second in
                    try await first.query("BEGIN", logger: logger)
                    try await store.enqueue(NewJob(kind: "report"), on: first)
                    // While `first` (which notified) is open, a second enqueuer of the same
                    // queue sends none of its own and commits without waiting for it.
                    try await second.query("BEGIN", logger: logger)
                    try await store.enqueue(NewJob(kind: "report"), on: second)
                    try await second.query("COMMIT", logger: logger)
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(heard.all.isEmpty)
                    // Another queue is not held back by it.
                    try await store.enqueue(NewJob(kind: "report", queue: "mail"), on: client)
                    try await eventually("the other queue's wake-up arrived", within: 10) { heard.all == ["mail"] }
                    try await first.query("COMMIT", logger: logger)
                    try await eventually("the notifier's wake-up arrived at its commit", within: 10) {
                        heard.all == ["mail", "default"]
                    }
                    // Once it committed, the next enqueuer notifies again.
                    try await store.enqueue(NewJob(kind: "report"), on: second)
                    try await eventually("the next enqueue wakes again", within: 10) { heard.all == ["mail", "default", "default"] }
                    // A rolled-back notifier leaves the next one free to notify.
                    try await first.query("BEGIN", logger: logger)
                    try await store.enqueue(NewJob(kind: "report"), on: first)
                    try await first.query("ROLLBACK", logger: logger)
                    try await store.enqueue(NewJob(kind: "report"), on: second)
                    try await eventually("the enqueue after a rollback wakes", within: 10) { heard.all.count == 4 }
                }
            }
            #expect(try await hotCount(client) == 5)  // the rolled-back one is not there
        }
    }
}

extension QueueWorkerTests {
    @Test func aJobCommittedJustAfterTheNotifyingOneStartsWithoutWaitingForThePoll() async throws {
        try await withQueue { database, client, store in
            let logger = database.logger
            let recorder = Recorder()
            var handlers = JobHandlers()
            handlers.register("quick") { job, _ in recorder.record(job) }
            // The worker polls every 5 s. Its follow-up window is widened from 100 ms to 1 s: the
            // second commit below comes 50 ms after the first, but on a loaded host the test's
            // own sleep and commit can take longer than 100 ms, and then only the poll found the
            // job (the test failed at 5.0 s). Without the follow-up look it still takes the poll.
            try await withWorker(database, client, handlers, followUpWindow: .seconds(1)) {
                let warmUp = try await store.enqueue(NewJob(kind: "quick"), on: client).id
                try await eventually("the warm-up job ran", within: 10) { recorder.count(warmUp) == 1 }
                try await Task.sleep(for: .milliseconds(500))
                var ids: [JobID] = []
                var committed = Date()
                try await WakeUpTests().withTwoSessions(database) { first, second in
                    try await first.query("BEGIN", logger: logger)
                    ids.append(try await store.enqueue(NewJob(kind: "quick"), on: first).id)
                    try await second.query("BEGIN", logger: logger)
                    ids.append(try await store.enqueue(NewJob(kind: "quick"), on: second).id)
                    // The notifier commits first: the worker wakes, runs its job and finds
                    // nothing more; the second job (no wake-up of its own) commits 50 ms later.
                    try await first.query("COMMIT", logger: logger)
                    try await Task.sleep(for: .milliseconds(50))
                    try await second.query("COMMIT", logger: logger)
                    committed = Date()
                }
                try await eventually("both jobs ran", within: 10) { ids.allSatisfy { recorder.count($0) == 1 } }
                let started = try #require(recorder.first(ids[1]))
                #expect(started.timeIntervalSince(committed) < 2, "found by the follow-up look, not the 5 s poll")
            }
        }
    }
}
