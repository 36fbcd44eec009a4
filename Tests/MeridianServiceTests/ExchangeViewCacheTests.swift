import Foundation
@testable import MeridianExchange
import MeridianQueue
import MeridianTestSupport
import Synchronization
import Testing

/// The rules of the exchange view cache (issue 13), without a database: what is served, what
/// may be stored, and when writers are let go. The feed's questions are played by hand, with
/// the instants they were sent.
@Suite("Exchange view cache: its rules")
struct ExchangeViewCacheTests {
    let clock = ContinuousClock()

    static func entry(_ id: UUID, state: String = "submitted") -> ExchangeViewCache.Entry {
        let view = ExchangeView(id: id, state: state, isFinal: false,
                                request: StoredRequest(request: ServiceFixture.ddrRequest, filedBy: "amani", filedAt: Date(timeIntervalSince1970: 0)),
                                matches: nil, partners: [], plans: [], reports: [], publishedExperienceID: nil, archivedAt: nil,
                                notifications: [], updatedAt: Date(timeIntervalSince1970: 0))
        return .init(view: view, document: Array(state.utf8))
    }

    /// A cache whose feed has asked once, just now.
    func started(staleness: Duration = .seconds(60), capacity: Int = 100) -> ExchangeViewCache {
        let cache = ExchangeViewCache(maximumStaleness: staleness, capacity: capacity, idleAfter: .seconds(60))
        cache.started(questionSentAt: clock.now)
        return cache
    }

    @Test("nothing is stored or served before the feed's first question has come back")
    func nothingBeforeTheFeed() {
        let cache = ExchangeViewCache()
        let id = UUID()
        #expect(cache.ticket() == nil)
        cache.started(questionSentAt: clock.now)
        let ticket = try! #require(cache.ticket())
        #expect(cache.store(Self.entry(id), for: id, ticket: ticket))
        #expect(cache.entry(id)?.view.id == id)
    }

    @Test("a view is not served once the last question was sent longer ago than the staleness allowed")
    func staleAfterTheBound() throws {
        let cache = started(staleness: .milliseconds(200))
        let id = UUID()
        #expect(cache.store(Self.entry(id), for: id, ticket: try #require(cache.ticket())))
        #expect(cache.entry(id) != nil)
        // The next question came back, but it was sent a second ago: commits since may be unknown.
        cache.changed([], everything: false, questionSentAt: clock.now.advanced(by: .seconds(-1)))
        #expect(cache.entry(id) == nil, "older than 200 ms")
        cache.changed([], everything: false, questionSentAt: clock.now)
        #expect(cache.entry(id) != nil, "kept, and served again after a recent question")
    }

    @Test("a read that began before a question dropped its exchange is not stored; other exchanges' reads are")
    func ticketsBeforeADrop() throws {
        let cache = started()
        let changed = UUID(), other = UUID()
        let early = try #require(cache.ticket())
        cache.changed([changed], everything: false, questionSentAt: clock.now)
        #expect(!cache.store(Self.entry(changed), for: changed, ticket: early), "its read may have missed the change")
        #expect(cache.entry(changed) == nil)
        #expect(cache.store(Self.entry(other), for: other, ticket: early), "nothing said the other exchange changed")
        let late = try #require(cache.ticket())
        #expect(cache.store(Self.entry(changed), for: changed, ticket: late), "a read begun after the drop saw the change")
    }

    @Test("a dropped exchange is no longer served")
    func dropsServe() throws {
        let cache = started()
        let id = UUID()
        #expect(cache.store(Self.entry(id), for: id, ticket: try #require(cache.ticket())))
        cache.changed([id], everything: false, questionSentAt: clock.now)
        #expect(cache.entry(id) == nil)
    }

    @Test("truncation, a restart of the feed or forgotten drops refuse every older ticket")
    func startingAgain() throws {
        let cache = started()
        let id = UUID()
        #expect(cache.store(Self.entry(id), for: id, ticket: try #require(cache.ticket())))

        var ticket = try #require(cache.ticket())
        cache.changed([], everything: true, questionSentAt: clock.now)
        #expect(cache.count == 0, "everything may have changed")
        #expect(!cache.store(Self.entry(id), for: id, ticket: ticket))

        ticket = try #require(cache.ticket())
        cache.stopped()
        #expect(cache.ticket() == nil, "nothing is stored while the feed is not asking")
        cache.started(questionSentAt: clock.now)
        #expect(!cache.store(Self.entry(id), for: id, ticket: ticket), "the feed may have missed changes while it was stopped")

        ticket = try #require(cache.ticket())
        let many = (0...ExchangeViewCache.forgetDroppedAbove).map { _ in UUID() }
        cache.changed(many, everything: false, questionSentAt: clock.now)
        #expect(!cache.store(Self.entry(id), for: id, ticket: ticket), "the cache no longer knows what this read may have missed")
        #expect(cache.store(Self.entry(id), for: id, ticket: try #require(cache.ticket())))
    }

    @Test("the least recently used views go first when the cache is full")
    func capacity() throws {
        let cache = started(capacity: 10)
        let ids = (0..<10).map { _ in UUID() }
        for id in ids { #expect(cache.store(Self.entry(id), for: id, ticket: try #require(cache.ticket()))) }
        for id in ids[5...] { _ = cache.entry(id) }
        let newcomer = UUID()
        #expect(cache.store(Self.entry(newcomer), for: newcomer, ticket: try #require(cache.ticket())))
        #expect(cache.count <= 10)
        #expect(cache.entry(ids[0]) == nil, "the least recently used went")
        #expect(ids[5...].allSatisfy { cache.entry($0) != nil }, "the recently read stayed")
        #expect(cache.entry(newcomer) != nil)
    }

    @Test("a writer is let go by a question sent after her write, not by one sent before it")
    func catchingUp() async throws {
        let idle = ExchangeViewCache()
        await idle.catchUp()  // the feed is not asking: nothing is served, nothing to wait for

        let cache = started()
        let before = clock.now
        let clock = self.clock
        let writer = Task { await cache.catchUp(); return clock.now }
        try await eventually("the writer waits", within: 10) { cache.state.withLock { !$0.waiters.isEmpty } }
        #expect(cache.next(interval: .seconds(60), lastSent: before) == .ask, "a waiting writer makes the feed ask at once")
        cache.changed([], everything: false, questionSentAt: before)
        try await Task.sleep(for: .milliseconds(50))
        #expect(cache.state.withLock { $0.waiters.count } == 1, "the question sent before the write did not let the writer go")
        let answered = clock.now
        cache.changed([], everything: false, questionSentAt: clock.now)
        let released = await writer.value
        #expect(released >= answered)

        let stopping = Task { await cache.catchUp() }
        try await eventually("the writer waits", within: 10) { cache.state.withLock { !$0.waiters.isEmpty } }
        cache.stopped()
        #expect(await Self.endsUnaided { await stopping.value }, "a stopped feed lets every writer go")
    }

    @Test("a wake-up that comes before the feed waits is not lost")
    func wakeBeforeWaiting() async throws {
        let cache = ExchangeViewCache()
        cache.wakeUps.signal()  // as a read while the feed is not asking, before it waits
        #expect(await Self.endsUnaided { await cache.waitForWork(until: nil) }, "the wake-up before the wait was lost")
        _ = cache.ticket()  // not asking: a read wakes the feed
        #expect(await Self.endsUnaided { await cache.waitForWork(until: nil) })
        #expect(await Self.endsUnaided { await cache.waitForWork(until: ContinuousClock().now.advanced(by: .milliseconds(20))) },
                "the deadline alone ends a wait")
    }

    /// Whether `wait` returned by itself within 10 seconds (else it is cancelled).
    static func endsUnaided(_ wait: @escaping @Sendable () async -> Void) async -> Bool {
        let waiting = Task { await wait() }
        let watchdog = Task { () -> Bool in
            guard (try? await Task.sleep(for: .seconds(10))) != nil else { return false }
            waiting.cancel()
            return true
        }
        await waiting.value
        watchdog.cancel()
        return await !watchdog.value
    }

    @Test("the feed stops asking when nobody used the cache lately")
    func idleFeed() {
        let cache = ExchangeViewCache(maximumStaleness: .seconds(1), capacity: 10, idleAfter: .milliseconds(100))
        #expect(cache.next(interval: .milliseconds(5), lastSent: nil) == .idle, "never used")
        _ = cache.ticket()
        #expect(cache.next(interval: .milliseconds(5), lastSent: nil) == .ask)
        let sent = clock.now
        if case .waitUntil(let due) = cache.next(interval: .seconds(1), lastSent: sent) {
            #expect(due == sent.advanced(by: .seconds(1)))
        } else {
            Issue.record("expected to wait for the interval")
        }
    }
}
