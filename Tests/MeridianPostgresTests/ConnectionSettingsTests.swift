import Testing

@testable import MeridianPostgres

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
}
