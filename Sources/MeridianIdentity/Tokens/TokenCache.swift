import Foundation
import Synchronization

/// The tokens a server process verified a moment ago, so a client's every request does not
/// look its token up again (issue 13: that look-up was half of a `GET` one exchange's statements).
///
/// It never weakens revocation more than the time a notification takes to arrive:
/// - a revoke, a disable or a change of roles made through this process empties it at once
///   (``IdentityStore`` and ``AuthorizedIdentityStore`` call ``forgetAll()`` after committing);
/// - one made anywhere else (the local CLI, another server, `psql`) fires migration 0021's
///   trigger, whose `pg_notify` reaches ``TokenCacheListener``, which empties it;
/// - while that listener is not connected (before it first is, after its connection is lost)
///   the cache is neither read nor filled, and it starts empty when the listener is back;
/// - an entry is kept at most ``maximumAge``, and never past its token's own expiry.
///
/// An answer read from the database is kept only if nothing was forgotten between the start of
/// that read and its end (a ticket holds the generation the read started in), so a read that
/// raced a revoke cannot put the revoked token back. Only tokens that authenticated are kept:
/// a refusal always comes from the database, with its reason.
public final class TokenCache: Sendable {
    /// The `pg_notify` channel migration 0021's trigger sends on.
    public static let notificationChannel = "meridian_identity"

    /// How long a verified token is trusted without looking at the database again.
    public let maximumAge: Duration
    /// The most tokens kept; when full it starts again from empty (a server has few clients).
    public let capacity: Int

    private struct Entry {
        var user: User
        var until: ContinuousClock.Instant
        var tokenExpiresAt: Date?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var generation: UInt64 = 0
        var listening = false
    }

    /// Proof of when a database read began: ``keep(_:forHash:tokenExpiresAt:ticket:)`` keeps
    /// the read's answer only if nothing was forgotten since.
    public struct Ticket: Sendable {
        fileprivate let generation: UInt64
    }

    private let state = Mutex(State())
    private let clock = ContinuousClock()

    /// - Parameters:
    ///   - maximumAge: how long an entry is trusted (default 10 seconds).
    ///   - capacity: how many tokens are kept at most (default 10,000).
    public init(maximumAge: Duration = .seconds(10), capacity: Int = 10_000) {
        self.maximumAge = maximumAge
        self.capacity = capacity
    }

    /// The user of the token whose SHA-256 is `hash`, if it was verified less than
    /// ``maximumAge`` ago, has not expired since and the listener is connected.
    public func user(forHash hash: String) -> User? {
        let now = clock.now
        return state.withLock { state -> User? in
            guard state.listening, let entry = state.entries[hash] else { return nil }
            if entry.until <= now || entry.tokenExpiresAt.map({ $0 <= Date() }) == true {
                state.entries[hash] = nil
                return nil
            }
            return entry.user
        }
    }

    /// Taken before a database read whose answer may be kept; `nil` while the listener is not
    /// connected (then nothing is kept).
    public func ticket() -> Ticket? {
        state.withLock { $0.listening ? Ticket(generation: $0.generation) : nil }
    }

    /// Keeps `user` as the owner of the token with `hash`, unless something was forgotten
    /// since `ticket` was taken or the listener is not connected.
    public func keep(_ user: User, forHash hash: String, tokenExpiresAt: Date?, ticket: Ticket) {
        let until = clock.now.advanced(by: maximumAge)
        state.withLock { state in
            guard state.listening, state.generation == ticket.generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[hash] = Entry(user: user, until: until, tokenExpiresAt: tokenExpiresAt)
        }
    }

    /// Forgets every token: a token or a user changed somewhere.
    public func forgetAll() {
        state.withLock { state in
            state.entries.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }

    /// Whether the cache is in use: its listener is connected.
    public var isListening: Bool { state.withLock { $0.listening } }

    /// The listener is connected (LISTEN has succeeded): start from empty, as notifications
    /// may have been missed while it was not.
    func listenerConnected() {
        state.withLock { state in
            state.entries.removeAll(keepingCapacity: true)
            state.generation &+= 1
            state.listening = true
        }
    }

    /// The listener is not connected: every request checks the database until it is again.
    func listenerLost() {
        state.withLock { state in
            state.listening = false
            state.entries.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }
}
