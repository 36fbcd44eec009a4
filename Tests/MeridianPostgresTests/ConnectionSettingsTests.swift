import Foundation
import Logging
import Testing

@testable import MeridianPostgres

#if canImport(Glibc)
import Glibc
#endif

@Suite("Database URLs")
struct ConnectionSettingsTests {
    @Test("a TCP URL with user, password, port and database")
    func tcp() throws {
        let settings = try ConnectionSettings(url: "postgresql://ana:s%40cret@db.example.org:6543/grants?sslmode=require")
        #expect(settings.endpoint == .tcp(host: "db.example.org", port: 6543))
        #expect(settings.username == "ana")
        #expect(settings.password == "s@cret")
        #expect(settings.database == "grants")
        #expect(settings.tls == .require)
    }

    @Test("loopback defaults to no TLS, other hosts to prefer")
    func tlsDefaults() throws {
        #expect(try ConnectionSettings(url: "postgres://u@127.0.0.1/db").tls == .disable)
        #expect(try ConnectionSettings(url: "postgres://u@localhost:5432/db").tls == .disable)
        #expect(try ConnectionSettings(url: "postgres://u@db.internal/db").tls == .prefer)
    }

    @Test("a Unix socket folder in the query, and the URL printed back the same way")
    func unixSocket() throws {
        let text = "postgresql://meridian@/meridian?host=/var/lib/meridian/postgres/run&port=5432"
        let settings = try ConnectionSettings(url: text)
        #expect(settings.endpoint == .unixSocket(directory: "/var/lib/meridian/postgres/run", port: 5432))
        #expect(settings.url == text)
        #expect(try ConnectionSettings(url: settings.url) == settings)
    }

    @Test(
        "unusable URLs are refused with the reason",
        arguments: [
            ("mysql://u@h/db", "scheme"),
            ("postgresql://u@h:99999/db", "port"),
            ("postgresql://u@/db", "names no host"),
            ("postgresql://u@h/db?sslmode=sometimes", "sslmode"),
            ("postgresql://u@h/db?frobnicate=1", "frobnicate"),
        ]
    )
    func invalid(url: String, reason: String) {
        #expect {
            try ConnectionSettings(url: url)
        } throws: { error in
            guard let error = error as? DatabaseError else { return false }
            return error.code == .invalidURL && error.message.contains(reason)
        }
    }

    @Test("passwords never appear in error messages, in the user part or the query")
    func redaction() {
        #expect(!ConnectionSettings.redacted("postgresql://u:topsecret@h/db").contains("topsecret"))
        #expect(!ConnectionSettings.redacted("postgresql://u@h/db?password=topsecret&sslmode=disable").contains("topsecret"))
    }

    @Test("sslmode as libpq: require encrypts, verify-ca and verify-full also check the certificate")
    func tlsModes() throws {
        #expect(try ConnectionSettings(url: "postgresql://u@h/db?sslmode=require").tls == .require)
        #expect(try ConnectionSettings(url: "postgresql://u@h/db?sslmode=verify-ca").tls == .verifyFull)
        #expect(try ConnectionSettings(url: "postgresql://u@h/db?sslmode=verify-full").tls == .verifyFull)
    }

    @Test("a malformed URL never shows its password, whatever part is broken")
    func malformedURLsHidePasswords() {
        for url in ["postgresql://bob:S3cretPW@[::1/db", "postgresql://bob:S3cretPW@host:99999999999/db", "postgresql://bob:S3cretPW@h o s t/db",
                    "postgresql://bob@[::1/db?password=S3cretPW&x=1"] {
            #expect(!ConnectionSettings.redacted(url).contains("S3cretPW"), "\(url)")
            #expect {
                _ = try ConnectionSettings(url: url)
            } throws: { error in
                !"\(error)".contains("S3cretPW")
            }
        }
    }

    @Test("connect_timeout and application_name are honoured; a timeout of 0 (wait for ever) or not a number is refused")
    func timeoutsAndName() throws {
        let plain = try ConnectionSettings(url: "postgresql://u@h/db")
        #expect(plain.connectTimeout == .seconds(10) && plain.applicationName == "meridian")
        let given = try ConnectionSettings(url: "postgresql://u@h/db?connect_timeout=3&application_name=reports")
        #expect(given.connectTimeout == .seconds(3) && given.applicationName == "reports")
        for bad in ["connect_timeout=0", "connect_timeout=soon", "connect_timeout=-1", "application_name=%7F"] {
            #expect(throws: DatabaseError.self, "\(bad)") { try ConnectionSettings(url: "postgresql://u@h/db?\(bad)") }
        }
    }

    @Test("a server that accepts the socket and never answers fails the attempt after connect_timeout, as 'timed out'")
    func silentServerTimesOut() async throws {
        // A listening socket nobody accepts from: the kernel completes the TCP handshake, the login never gets an answer.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        #expect(listen(listener, 8) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        var settings = try ConnectionSettings(url: "postgresql://u@127.0.0.1:\(port)/db?connect_timeout=1")
        settings.tls = .disable
        let started = ContinuousClock.now
        await #expect {
            try await withPostgresConnection(settings, logger: Logger(label: "test")) { _ in }
        } throws: { error in
            (error as? DatabaseError)?.code == .timedOut
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
