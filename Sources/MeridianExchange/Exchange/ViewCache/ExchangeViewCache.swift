import Foundation
import MeridianQueue
import Synchronization

/// Views of exchanges read a moment ago, for a server: `GET /api/v1/exchanges/{id}` answered
/// from memory, without a statement (issue 13: p99 ≤ 10 ms at 64 connections needs more
/// answers a second than a database read per request gives on two cores).
///
/// **What a reader may get.** An entry is served only while the cache's feed
/// (``ExchangeViewChangeFeed``) keeps asking PostgreSQL what changed, and only if the last
/// question that came back was *sent* less than ``maximumStaleness`` ago: every transaction
/// committed before that moment was in its snapshot, so its exchanges were dropped. A view
/// served from here therefore misses no commit older than ``maximumStaleness``. Writes made
/// through the server are seen at once: the server answers a write only after a question sent
/// after it (``catchUp()``).
///
/// **Why an entry is never older than it says.** A view read from the database is stored only
/// with the ``Ticket`` taken before its read began, and refused if, since then, any question
/// dropped that exchange, the feed started again, or the cache forgot which exchanges it
/// dropped (``forgetDroppedAbove``). A change the read did not see committed after the read's
/// snapshot, so it is reported by a question that came back after the ticket was taken.
///
/// The state is one mutex; the feed and the requests only take it for a few dictionary
/// operations. Pure: the clock is passed in, and no I/O happens here.
public final class ExchangeViewCache: Sendable {
    /// A view and its document as the API sends it (encoded once, on the read that stored it).
    public struct Entry: Sendable {
        public var view: ExchangeView
        public var document: [UInt8]

        public init(view: ExchangeView, document: [UInt8]) {
            self.view = view
            self.document = document
        }
    }

    /// Taken before a read of the database; the read's view may be stored only with it.
    public struct Ticket: Sendable, Equatable {
        let generation: UInt64
        let drops: UInt64
    }

    /// How old a served view may be, at most, against commits of other processes.
    public let maximumStaleness: Duration
    /// Views kept at most; the least recently used go first.
    public let capacity: Int
    /// How long the feed keeps asking after the last request that used the cache.
    public let idleAfter: Duration

    /// More dropped ids than this and the cache forgets them (tickets older than that are refused).
    static let forgetDroppedAbove = 10_000

    struct State {
        var entries: [UUID: (entry: Entry, used: UInt64)] = [:]
        /// The number of the question that last dropped each exchange, since `horizon`.
        var dropped: [UUID: UInt64] = [:]
        var drops: UInt64 = 0
        var horizon: UInt64 = 0
        /// Bumped whenever the cache starts again from nothing; older tickets are refused.
        var generation: UInt64 = 0
        /// When the last question that came back was sent; `nil` while the feed is not asking.
        var lastQuestion: ContinuousClock.Instant?
        var lastUse: ContinuousClock.Instant?
        var useCounter: UInt64 = 0
        /// Writers waiting for a question sent after their write (``catchUp()``).
        var waiters: [(after: ContinuousClock.Instant, continuation: CheckedContinuation<Void, Never>)] = []
        var figures = Figures()
    }

    /// Counts since the server started, for `/metrics`.
    public struct Figures: Sendable, Equatable {
        /// Views asked for and answered from memory.
        public var served = 0
        /// Views asked for and not kept, or kept but not recent enough (then read from the database).
        public var missed = 0
        /// Views read from the database and not kept, because their exchange changed meanwhile
        /// or the feed was not asking.
        public var notKept = 0
        /// Questions of the feed that came back.
        public var questions = 0
    }

    let state = Mutex(State())
    let clock = ContinuousClock()
    /// Wakes the feed when there is something to do now: a read while it is not asking, a
    /// writer waiting. One that comes before the feed waits is kept for its next wait.
    let wakeUps = WakeSignal()

    /// - Parameters:
    ///   - maximumStaleness: the bound on a served view's age against other processes' commits.
    ///   - capacity: views kept at most.
    ///   - idleAfter: the feed stops asking this long after the last use; the next read starts it again.
    public init(maximumStaleness: Duration = .milliseconds(50), capacity: Int = 10_000, idleAfter: Duration = .seconds(2)) {
        self.maximumStaleness = maximumStaleness
        self.capacity = max(1, capacity)
        self.idleAfter = idleAfter
    }

    // MARK: Requests

    /// The view of `id` if it is kept and the feed's last question is recent enough.
    public func entry(_ id: UUID) -> Entry? {
        let now = clock.now
        let (kept, asking) = state.withLock { state -> (Entry?, Bool) in
            state.lastUse = now
            guard let asked = state.lastQuestion, asked.duration(to: now) < maximumStaleness,
                  let kept = state.entries[id] else {
                state.figures.missed += 1
                return (nil, state.lastQuestion != nil)
            }
            state.figures.served += 1
            state.useCounter &+= 1
            state.entries[id]?.used = state.useCounter
            return (kept.entry, true)
        }
        if !asking { wakeUps.signal() }
        return kept
    }

    /// A ticket for a read that begins now, or `nil` when what it reads may not be stored
    /// (the feed is not asking).
    public func ticket() -> Ticket? {
        let now = clock.now
        let ticket = state.withLock { state -> Ticket? in
            state.lastUse = now
            guard state.lastQuestion != nil else { return nil }
            return Ticket(generation: state.generation, drops: state.drops)
        }
        if ticket == nil { wakeUps.signal() }
        return ticket
    }

    /// Keeps `entry` for `id` unless something changed the exchange since `ticket` was taken.
    /// - Returns: whether it was kept.
    @discardableResult
    public func store(_ entry: Entry, for id: UUID, ticket: Ticket) -> Bool {
        state.withLock { state in
            guard state.lastQuestion != nil, ticket.generation == state.generation, ticket.drops >= state.horizon,
                  (state.dropped[id] ?? 0) <= ticket.drops else {
                state.figures.notKept += 1
                return false
            }
            if state.entries[id] == nil, state.entries.count >= capacity { state.evictLeastRecentlyUsed(keeping: capacity * 9 / 10) }
            state.useCounter &+= 1
            state.entries[id] = (entry, state.useCounter)
            return true
        }
    }

    /// Returns once a question sent after this call has come back (or at once when the feed
    /// is not asking, since then nothing is served from memory): a server calls it after a
    /// write and before answering, so the writer's next read sees her write.
    public func catchUp() async {
        let now = clock.now
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = state.withLock { state -> Bool in
                guard state.lastQuestion != nil else { return false }
                state.waiters.append((now, continuation))
                return true
            }
            if waiting { wakeUps.signal() } else { continuation.resume() }
        }
    }

    /// How many views are kept (for tests and metrics).
    public var count: Int { state.withLock { $0.entries.count } }

    /// What the cache did since it was made.
    public var figures: Figures { state.withLock { $0.figures } }

    // MARK: The feed

    /// What the feed should do next.
    enum Next: Equatable {
        /// Ask now: writers wait, or the cache is in use and `interval` has passed.
        case ask
        /// Nobody used the cache lately: stop asking (the cache is emptied) and wait to be woken.
        case idle
        /// Wait, at most until this instant, or until woken.
        case waitUntil(ContinuousClock.Instant)
    }

    /// The feed's decision after a question sent at `lastSent`.
    func next(interval: Duration, lastSent: ContinuousClock.Instant?) -> Next {
        let now = clock.now
        return state.withLock { state in
            if !state.waiters.isEmpty { return .ask }
            guard let used = state.lastUse, used.duration(to: now) < idleAfter else { return .idle }
            guard let lastSent else { return .ask }
            let due = lastSent.advanced(by: interval)
            return due <= now ? .ask : .waitUntil(due)
        }
    }

    /// Suspends the feed until something happens (a use while idle, a writer waiting), until
    /// `deadline`, or until it is cancelled. Idle (no deadline), it looks again every minute.
    func waitForWork(until deadline: ContinuousClock.Instant?) async {
        await wakeUps.wait(timeout: deadline.map { clock.now.duration(to: $0) } ?? .seconds(60))
    }

    /// The feed's first question came back: serving may begin, from an empty cache.
    func started(questionSentAt sent: ContinuousClock.Instant) {
        finishQuestion(sentAt: sent) { state in
            state.startAgain()
        }
    }

    /// A question sent at `sent` came back: drop what changed (everything when `everything`).
    func changed(_ ids: [UUID], everything: Bool, questionSentAt sent: ContinuousClock.Instant) {
        finishQuestion(sentAt: sent) { state in
            if everything { state.startAgain(); return }
            guard !ids.isEmpty else { return }
            state.drops += 1
            for id in ids {
                state.entries[id] = nil
                state.dropped[id] = state.drops
            }
            if state.dropped.count > Self.forgetDroppedAbove {
                state.dropped = [:]
                state.horizon = state.drops
            }
        }
    }

    /// The feed stopped asking (idle, its connection lost, shutting down): nothing is served or
    /// stored until it has asked again, and every writer waiting is let go.
    func stopped() {
        let waiters = state.withLock { state in
            state.lastQuestion = nil
            state.startAgain()
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume() }
    }

    private func finishQuestion(sentAt sent: ContinuousClock.Instant, _ apply: (inout State) -> Void) {
        let released = state.withLock { state in
            apply(&state)
            state.figures.questions += 1
            state.lastQuestion = sent
            let ready = state.waiters.filter { $0.after <= sent }
            state.waiters.removeAll { $0.after <= sent }
            return ready
        }
        for waiter in released { waiter.continuation.resume() }
    }
}

extension ExchangeViewCache.State {
    /// Forgets every view and refuses every ticket taken before.
    mutating func startAgain() {
        entries = [:]
        dropped = [:]
        horizon = drops
        generation += 1
    }

    mutating func evictLeastRecentlyUsed(keeping kept: Int) {
        let oldest = entries.sorted { $0.value.used < $1.value.used }.prefix(max(0, entries.count - kept))
        for (id, _) in oldest { entries[id] = nil }
    }
}
