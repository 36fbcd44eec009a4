import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The cluster's folder on disk: creating it for the server user, checking that user can
/// reach it, telling a live server from a dead one by its lock files.
extension EmbeddedCluster {
    /// Whether the server recorded in `postmaster.pid` is alive. A killed server can linger as
    /// a zombie that nobody reaps (seen in containers whose init does not), which `kill(pid, 0)`
    /// and so `pg_ctl status` take for a live one; `/proc` tells them apart.
    func serverIsAlive() -> Bool {
        guard let pid = serverPID() else { return false }
        return Self.isLiveServer(pid)
    }

    /// Whether `pid` is a running `postgres` process (not a zombie, not another program that
    /// was given the id after a restart, not this process or its parent).
    static func isLiveServer(_ pid: pid_t) -> Bool {
        guard pid > 0, pid != getpid(), pid != getppid() else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
            return kill(pid, 0) == 0
        }
        // Its state letter follows the name: "PID (postgres) S …".
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"),
            stat[stat.index(after: open)..<close] == "postgres"
        else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != nil && state != "Z" && state != "X"
    }

    func serverPID() -> pid_t? {
        Self.recordedPID(in: dataDirectory + "/postmaster.pid")
    }

    /// The process id on the first line of a PostgreSQL lock file, if it holds one.
    static func recordedPID(in path: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return pid_t(first.trimmingCharacters(in: .whitespaces))
    }

    /// Lock files of a server that is dead would make PostgreSQL believe it still runs. Only
    /// those that name no live server are removed: a server that a `pg_ctl start` orphaned by a
    /// killed `meridian` is starting right now writes its own, which must stay (without them a
    /// second server could start on the same folder). A lock file without a process id is
    /// being written, unless it is older than a few seconds.
    func clearStaleLockFiles() {
        for path in [dataDirectory + "/postmaster.pid", socketDirectory + "/.s.PGSQL.\(Self.socketPort).lock"] {
            guard FileManager.default.fileExists(atPath: path) else { continue }
            if let pid = Self.recordedPID(in: path) {
                if Self.isLiveServer(pid) { continue }
            } else {
                let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
                if let modified, Date().timeIntervalSince(modified) < 5 { continue }
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Creates the cluster folder, owned by the server user, and checks that user can reach it.
    func prepareDirectory() throws {
        let path = configuration.directory
        guard (socketDirectory + "/.s.PGSQL.\(Self.socketPort)").utf8.count < 100 else {
            throw DatabaseError(
                .clusterFailed,
                "the cluster folder \(path) is too long a path for a Unix socket",
                hint: "choose a shorter one with --data-dir or MERIDIAN_DATA_DIR"
            )
        }
        let parent = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        if !FileManager.default.fileExists(atPath: path) {
            try makeDirectory(path)
        }
        if let user = configuration.serverUser {
            try checkReachable(path, by: user)
        }
    }

    func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try chownToServerUser(path)
    }

    func chownToServerUser(_ path: String) throws {
        guard let user = configuration.serverUser else { return }
        guard let entry = getpwnam(user) else {
            throw DatabaseError(
                .clusterFailed,
                "the server user `\(user)` does not exist",
                hint: "create it (`useradd --system \(user)`) or name another with MERIDIAN_SERVER_USER"
            )
        }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw DatabaseError(.clusterFailed, "cannot give \(path) to `\(user)`: \(String(cString: strerror(errno)))")
        }
    }

    /// Every folder above the cluster must let the server user through (`o+x`), or initdb
    /// fails with a confusing message; say which folder is in the way instead.
    func checkReachable(_ path: String, by user: String) throws {
        var folder = (path as NSString).deletingLastPathComponent
        while folder != "/" && !folder.isEmpty {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder)
            let mode = (attributes[.posixPermissions] as? Int) ?? 0
            let owner = attributes[.ownerAccountName] as? String
            if mode & 0o001 == 0 && owner != user {
                throw DatabaseError(
                    .clusterFailed,
                    "the server user `\(user)` cannot reach \(path) because \(folder) is closed to other users",
                    hint: "choose a data folder outside it with --data-dir or MERIDIAN_DATA_DIR (as root the default is /var/lib/meridian/postgres)"
                )
            }
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    func removeContents(of path: String, keeping kept: Set<String>) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where !kept.contains(name) {
            if name.hasPrefix("data.partial-") {
                // An orphaned initdb may still be writing there; what it leaves is removed next time.
                try? FileManager.default.removeItem(atPath: path + "/" + name)
            } else {
                try FileManager.default.removeItem(atPath: path + "/" + name)
            }
        }
    }

}
