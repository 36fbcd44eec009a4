import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A child process started with `posix_spawn` and waited for with `waitpid`.
///
/// Foundation's `Process.waitUntilExit()` was seen to hang here when the child's own children
/// outlive it (as `pg_ctl start` leaves the server running), so Meridian starts server tools
/// and its own binary directly. Output goes to a temporary file rather than a pipe, so a
/// grandchild that keeps an inherited descriptor open can never stall the reader.
///
/// The child gets standard input, output and error and no other descriptor of this process.
/// Sockets are opened without close-on-exec, so a child used to inherit the connections open
/// at that moment: a server started by `pg_ctl`, or a `meridian` started by a test, kept the
/// parent's end of a session open after the parent had closed it, and the server never saw
/// the session end (a smart shutdown waited for it for ever; a template database stayed busy).
public struct ChildProcess: Sendable {
    /// The process id, for signals.
    public let pid: pid_t
    private let outputPath: String?
    private let errorPath: String?

    /// What a finished child printed and its status.
    public struct Termination: Sendable {
        /// The exit code, or 128 + the signal number when a signal ended it (as shells report).
        public var status: Int32
        /// Standard output, with standard error too unless it was kept apart.
        public var output: String
        /// Standard error, when it was kept apart.
        public var errorOutput: String
    }

    /// Starts `executable` with `arguments`.
    /// - Parameters:
    ///   - environment: the child's whole environment; `nil` inherits this process's.
    ///   - captureOutput: collect standard output and error for ``wait()``; otherwise they
    ///     are discarded.
    ///   - separateErrorOutput: keep standard error apart from standard output.
    public static func spawn(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        captureOutput: Bool = true,
        separateErrorOutput: Bool = false
    ) throws -> ChildProcess {
        func temporaryFile() -> String { NSTemporaryDirectory() + "meridian-child-\(UUID().uuidString).out" }
        let outputPath = captureOutput ? temporaryFile() : nil
        let errorPath = captureOutput && separateErrorOutput ? temporaryFile() : nil
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let errorPath {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        closeInheritedDescriptors(&actions)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environmentStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = environmentStrings.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else {
            if let outputPath { unlink(outputPath) }
            throw DatabaseError(.clusterFailed, "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid, outputPath: outputPath, errorPath: errorPath)
    }

    /// Waits for the child to end (blocking this thread) and returns its status and output.
    public func wait() -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Termination(status: exitCode, output: Self.consume(outputPath), errorOutput: Self.consume(errorPath))
    }

    private static func consume(_ path: String?) -> String {
        guard let path else { return "" }
        defer { unlink(path) }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Adds the closing of every descriptor above standard error to `actions`: in one step
    /// where glibc has `posix_spawn_file_actions_addclosefrom_np` (2.34 and later; looked up at
    /// run time, since Swift's Glibc module does not show it), else one by one from `/proc/self/fd`.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom = addCloseFrom, closeFrom(&actions, 3) == 0 { return }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Sends `signal` to the child.
    public func send(_ signal: Int32) {
        kill(pid, signal)
    }
}
