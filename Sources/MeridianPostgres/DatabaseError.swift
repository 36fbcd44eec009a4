import MeridianCodes

/// A problem with the database, its server or its schema, told so that a person can act on it.
///
/// Errors are a struct with an opaque ``Code`` rather than an enum, so that new kinds of
/// problems can be added without breaking callers that switch over them.
public struct DatabaseError: MeridianFailure, Sendable {
    /// What kind of problem this is; stable, for callers and exit codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found.
        public static let serverBinariesMissing = Code(name: "server-binaries-missing")
        /// The private cluster could not be created, started or stopped.
        public static let clusterFailed = Code(name: "cluster-failed")
        /// The embedded cluster is not running (for commands that do not start it).
        public static let clusterNotRunning = Code(name: "cluster-not-running")
        /// The database did not answer in time (a connection attempt, or the server went away
        /// while a command ran).
        public static let timedOut = Code(name: "timed-out")
        /// A database URL could not be understood.
        public static let invalidURL = Code(name: "invalid-url")
        /// A migration file is malformed, missing, or was changed after it was applied.
        public static let migrationConflict = Code(name: "migration-conflict")
        /// A migration's SQL failed.
        public static let migrationFailed = Code(name: "migration-failed")
        /// The schema is older than this build expects.
        public static let migrationsPending = Code(name: "migrations-pending")
    }

    public var code: Code
    /// What went wrong and why.
    public var message: String
    /// What to do about it, when there is something to do.
    public var hint: String?
    /// The error this one was made from, for logs (never shown).
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, hint: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.underlying = underlying
    }

    public static let domain = "database"

    /// The kind of each code, decided here once for every front end.
    public var kind: FailureKind {
        switch code {
        case .serverBinariesMissing, .clusterFailed, .clusterNotRunning, .timedOut: .unavailable
        case .invalidURL: .invalidArgument
        case .migrationConflict, .migrationsPending: .conflict
        default: .failure
        }
    }
}
