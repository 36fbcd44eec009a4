import Foundation

/// The outcome of a finished server tool.
struct ProcessOutput: Sendable {
    var status: Int32
    var output: String

    var succeeded: Bool { status == 0 }
}

/// Runs server tools (initdb, pg_ctl, pg_isready) to completion, optionally as another user.
///
/// When Meridian runs as root, PostgreSQL refuses to run as root, so every server tool is
/// started through `runuser -u USER --` as the cluster's unprivileged owner.
struct ProcessRunner: Sendable {
    /// The user to run tools as, or `nil` to run them as the current user.
    var runAsUser: String?

    /// Runs `executable` with `arguments` and waits for it; standard output and error are
    /// collected together (server tools interleave them).
    func run(_ executable: String, _ arguments: [String]) throws -> ProcessOutput {
        let child: ChildProcess
        if let user = runAsUser {
            child = try ChildProcess.spawn(try Self.runuserPath(), ["-u", user, "--", executable] + arguments)
        } else {
            child = try ChildProcess.spawn(executable, arguments)
        }
        let termination = child.wait()
        return ProcessOutput(status: termination.status, output: termination.output)
    }

    private static func runuserPath() throws -> String {
        for candidate in ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw DatabaseError(
            .clusterFailed,
            "running as root, but `runuser` (util-linux) is not installed, so the server cannot be started as an unprivileged user",
            hint: "install util-linux, or run meridian as an ordinary user"
        )
    }
}
