import Foundation
import Glibc

/// Where `meridian login` keeps the token: `$XDG_CONFIG_HOME/meridian/token`, else
/// `~/.config/meridian/token`, readable by its owner only (mode 0600, folder 0700).
enum TokenFile {
    static var path: String {
        let environment = ProcessInfo.processInfo.environment
        let base: String
        if let configured = environment["XDG_CONFIG_HOME"], configured.hasPrefix("/") {
            base = configured
        } else {
            base = (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.config"
        }
        return base + "/meridian/token"
    }

    /// The saved token, or `nil` when there is no file (or it is empty). A file that others
    /// may read is refused, as ssh refuses such a key: the token may already have leaked.
    static func read() throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & 0o077 != 0 {
            throw CLIFailure(
                "\(path) can be read by others (mode \(String(status.st_mode & 0o777, radix: 8))), so it is not used; " +
                    "revoke that token (`meridian token revoke ID`), then `meridian login` with a new one (saved as 0600)",
                status: .permission
            )
        }
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Saves `token`, creating the file with mode 0600 from the start, so it is never readable by others.
    static func write(_ token: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = folder + "/.token-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CLIFailure("cannot write \(temporary): \(String(cString: strerror(errno)))", status: .failure) }
        let bytes = Array((token + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CLIFailure("cannot save the token to \(path): \(String(cString: strerror(errno)))", status: .failure)
        }
    }

    /// Removes the saved token; `false` when there was none.
    static func remove() throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        try FileManager.default.removeItem(atPath: path)
        return true
    }
}
