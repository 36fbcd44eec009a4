import Foundation

/// The outcome of a finished child process.
struct ProcessOutput: Sendable {
    var status: Int32
    var output: String

    var succeeded: Bool { status == 0 }
}

/// Runs server tools (initdb, pg_ctl, pg_isready) as child processes, optionally as another user.
///
/// When Meridian runs as root, PostgreSQL refuses to run as root, so every server tool is
/// started through `runuser -u USER --` as the cluster's unprivileged owner.
struct ProcessRunner: Sendable {
    /// The user to run tools as, or `nil` to run them as the current user.
    var runAsUser: String?

    /// Runs `executable` with `arguments`, waiting for it to end; standard output and error are
    /// collected together (server tools interleave them) and returned.
    func run(_ executable: String, _ arguments: [String]) throws -> ProcessOutput {
        let process = Process()
        if let user = runAsUser {
            process.executableURL = URL(fileURLWithPath: try Self.runuserPath())
            process.arguments = ["-u", user, "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read before waiting so that a chatty child never blocks on a full pipe.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus,
            output: String(decoding: data, as: UTF8.self)
        )
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
