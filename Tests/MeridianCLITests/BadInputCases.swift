import Foundation

/// The bad inputs of ``BadInputTests``: each a command line as a person could type it, the
/// user whose token it runs with, and the exit status docs/cli.md documents for it.
struct BadInput: Sendable, CustomStringConvertible {
    var arguments: [String]
    var user: String?
    var status: Int32
    /// Added to the command's environment.
    var environment: [String: String] = [:]
    /// When set, the command gets no `--database-url` (it is part of the arguments).
    var ownURL = false

    var description: String { "meridian " + arguments.map { $0.count > 60 ? String($0.prefix(60)) + "…" : $0 }.joined(separator: " ") }
}

/// Files the bad inputs read, written once into a folder of their own.
struct BadInputFiles {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("meridian-bad-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    func write(_ name: String, _ data: Data) throws -> String {
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    static let request = """
        {"country": "COD", "country_name": "Congo", "region": "sub-saharan-africa", "income_group": "low",
         "development_goal": "Lasting peace in the eastern provinces after the war",
         "institutional_challenge": "The commission cannot reintegrate demobilised ex-combatants",
         "change_objective": "A community-based reintegration programme for former fighters",
         "sectors": ["demobilisation-reintegration"], "instruments": ["study-visit"],
         "indicators": [{"name": "Former fighters with a livelihood", "unit": "%", "baseline": 12, "target": 40}]}
        """

    static func plan(start: String) -> String {
        """
        {"activities": [{"instrument": "study-visit", "title": "Reintegration centres", "start": "\(start)", "end": "\(start)",
          "place": "Musanze, Rwanda", "participants": [{"name": "Amani", "institution": "UEPN", "country": "COD", "role": "visitor"}]}],
         "budget": [{"category": "travel", "description": "Flights", "amount_minor": 1250000, "currency": "USD", "paid_by": "grant"}]}
        """
    }

    static let report = """
        {"indicators": [{"name": "Former fighters with a livelihood", "actual": 31}],
         "outcomes": [{"kind": "new-knowledge", "description": "The commission learnt how Rwanda's centres work"}],
         "lessons": ["Start with the communities"],
         "feedback": {"requesting_country": "Very useful visit", "partner_country": "Good questions asked"}}
        """

    static func pain002(_ transactions: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
        <GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2026-12-01T10:00:00</CreDtTm></GrpHdr>
        <OrgnlGrpInfAndSts><OrgnlMsgId>MERIDIAN-NOPE</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>
        <OrgnlPmtInfAndSts><OrgnlPmtInfId>P1</OrgnlPmtInfId>\(transactions)</OrgnlPmtInfAndSts>
        </CstmrPmtStsRpt></Document>
        """
    }
}

extension BadInput {
    /// Every bad input, given the exchange and fund the suite set up.
    static func all(exchange: String, files: BadInputFiles) throws -> [BadInput] {
        let missing = "0b7c1f8e-4d1a-4c55-9a43-2f1e6c3b9d10"
        let start = ISO8601DateFormatter.string(from: Date().addingTimeInterval(40 * 86_400), timeZone: .gmt, formatOptions: [.withFullDate])
        let plan = BadInputFiles.plan(start: start)
        func request(_ from: String, _ to: String) -> String { BadInputFiles.request.replacingOccurrences(of: from, with: to) }
        func planWith(_ from: String, _ to: String) -> String { plan.replacingOccurrences(of: from, with: to) }
        func report(_ from: String, _ to: String) -> String { BadInputFiles.report.replacingOccurrences(of: from, with: to) }
        let longText = String(repeating: "x", count: 25_000)
        var cases: [BadInput] = []
        func add(_ status: Int32, _ user: String?, _ arguments: String...) { cases.append(BadInput(arguments: arguments, user: user, status: status)) }
        func add(_ status: Int32, _ user: String?, _ arguments: [String]) { cases.append(BadInput(arguments: arguments, user: user, status: status)) }

        // Usage: unknown commands and flags, missing or malformed arguments (64).
        add(64, nil, "frobnicate")
        add(64, nil, "exchange", "frobnicate")
        add(64, nil, "kb", "list", "--no-such-flag")
        // The exchange view cache's bound: 0 (off) or 20 to 60,000 ms, refused before anything starts.
        add(64, nil, "serve", "--view-cache-staleness", "5")
        add(64, nil, "serve", "--view-cache-staleness", "60001")
        add(64, nil, "serve", "--view-cache-staleness", "-1")
        add(64, "ada", "token", "revoke", "abc")
        add(64, "ada", "token", "revoke")
        add(64, "pm", "kb", "show", "abc")
        add(64, "pm", "kb", "show")
        add(64, "pm", "kb", "search")
        add(64, "pm", "exchange", "show", "not-an-id")
        add(64, "pm", "exchange", "status", "12345")
        add(64, "pm", "exchange", "timeline", "zzz")
        add(64, "pm", "exchange", "screen", "nope")
        add(64, "pm", "exchange", "matches", "nope")
        add(64, "amani", "exchange", "select-partner", "nope", "RWA")
        add(64, "amani", "exchange", "select-partner", exchange)
        add(64, "claire", "exchange", "confirm", "nope")
        add(64, "claire", "exchange", "decline", "nope")
        add(64, "amani", "exchange", "plan", "import", "nope", "plan.json")
        add(64, "amani", "exchange", "plan", "import", exchange)
        add(64, "amani", "exchange", "plan", "show", exchange, "--version", "two")
        add(64, "amani", "exchange", "plan", "submit", "nope")
        add(64, "amani", "exchange", "report", "submit", "nope", "r.json")
        add(64, "pm", "exchange", "review", exchange, "maybe")
        add(64, "amani", "exchange", "request")
        add(64, "amani", "exchange", "request", "--file", "r.json", "--country", "COD")
        add(64, "amani", "exchange", "request", "--country", "COD", "--goal", "g", "--challenge", "c", "--objective", "o", "--sector", "astrology")
        add(64, "amani", "exchange", "request", "--country", "COD", "--goal", "g", "--challenge", "c", "--objective", "o", "--instrument", "telepathy")
        add(64, "amani", "exchange", "request", "--country", "COD", "--goal", "g", "--challenge", "c", "--objective", "o", "--region", "atlantis")
        add(64, "amani", "exchange", "request", "--country", "COD", "--goal", "g", "--challenge", "c", "--objective", "o", "--income-group", "rich")
        add(64, "amani", "exchange", "request", "--country", "COD", "--goal", "g", "--challenge", "c", "--objective", "o", "--indicator", "a|b|12,5|40")
        add(64, "amani", "exchange", "request", "--country", "COD", "--goal", "g", "--challenge", "c", "--objective", "o", "--indicator", "a|b|12|40abc")
        add(64, "amani", "exchange", "request", "--country", "COD", "--goal", "g", "--challenge", "c", "--objective", "o", "--indicator", "a|b|0x10|40")
        add(64, "amani", "exchange", "request", "--country", "COD", "--goal", "g", "--challenge", "c", "--objective", "o", "--indicator", "a|b|1e3|40")
        add(64, "amani", "exchange", "request", "--country", "COD", "--goal", "g", "--challenge", "c", "--objective", "o", "--indicator", "a|b|12")
        add(64, "amani", "exchange", "request", "--country", "COD", "--goal", "g", "--challenge", "c", "--objective", "o", "--indicator", "a|b| |40")
        add(64, "pm", "exchange", "list", "--limit", "ten")
        add(64, "pm", "exchange", "list", "--limit", "0x10")
        add(64, "pm", "approve", "not-an-id")
        add(64, "pm", "reject", "not-an-id")
        add(64, "pm", "request-info", "not-an-id")
        add(64, "pm", "approve")
        add(64, "ada", "instance", "show", "not-an-id")
        add(64, "ada", "instance", "history", "not-an-id")
        add(64, "ada", "instance", "fire", "not-an-id", "submit")
        add(64, "ada", "instance", "fire", exchange)
        add(64, "ada", "instance", "retry", "nope")
        add(64, "ada", "instance", "start")
        add(64, "ada", "instance", "start", "knowledge-exchange", "--version", "v1")
        add(64, "ada", "instance", "list", "--limit", "-1")
        add(64, nil, "queue", "show", "abc")
        add(64, nil, "queue", "show", "12abc")
        add(64, nil, "queue", "cancel", "1.5")
        add(64, nil, "queue", "list", "--state", "sleeping")
        add(64, nil, "queue", "list", "--limit", "many")
        add(64, nil, "queue", "prune", "--older-than", "soon")
        add(64, nil, "queue", "prune", "--older-than", "7x")
        add(64, nil, "queue", "prune")
        add(64, nil, "queue", "retry")
        add(64, "ada", "user", "add")
        add(64, "ada", "user", "add", "zoe")
        add(65, "ada", "user", "add", "zoe", "--name", "Zoe", "--role", "wizard")
        add(65, "ada", "user", "roles", "amani", "--role", "emperor")
        add(64, "ada", "user", "disable")
        add(64, "ada", "user", "invite")
        add(64, "ada", "user", "invite", "--user", "amani", "--expires-in", "0h")
        add(64, "ada", "user", "invite", "--user", "amani", "--expires-in", "31d")
        add(64, "ada", "user", "invite", "--user", "amani", "--expires-in", "soon")
        add(64, "ada", "user", "invite", "--user", "amani", "--base-url", "ftp://example.org")
        add(66, "ada", "user", "invite", "--user", "nobody")
        add(77, "amani", "user", "invite", "--user", "amani")
        add(64, "ada", "token", "create", "--expires-in-days", "soon")
        add(64, "finn", "fund", "create")
        add(64, "finn", "fund", "create", "reserve", "--name", "Reserve")
        add(64, "finn", "fund", "contribute", "rapid", "--donor", "Donor A", "--reference", "R-1")
        add(64, "finn", "fund", "statement")
        add(64, "finn", "grant", "show")
        add(64, "finn", "disburse")
        add(64, "finn", "payments", "mark", "E2E-1")
        add(64, "finn", "payments", "list", "--status", "lost")
        add(64, "finn", "payments", "reconcile")
        add(64, "finn", "payments", "mark", "E2E-1", "gone")
        add(64, "finn", "payments", "files", "--state", "lost")
        add(64, "finn", "payments", "file")
        cases.append(BadInput(arguments: ["workflow", "validate"], user: nil, status: 64, ownURL: true))
        add(64, nil, "workflow", "show")
        add(64, nil, "workflow", "deploy")
        add(64, nil, "db", "frobnicate")
        add(64, nil, "db", "start", "--frobnicate")
        add(64, nil, "worker", "--queue", "default=0")
        add(64, nil, "audit", "verify", "not-an-id")

        // Bad data in options: amounts, currencies, countries, names, keys (65).
        for amount in ["-5 USD", "-5", "92233720368547758.07 USD", "92233720368547758.07", "10000000000000.01 USD", "1.234 USD", "12,5 USD",
                       "40abc", "0x10", "1e3 USD", "USD", "5 ZZZ", "5 XXX", "5 EUR", "1,00,000 USD", "5  USD", "five USD", ""] {
            add(65, "finn", "fund", "contribute", "rapid", "--donor", "Donor A", "--amount", amount, "--reference", "R-bad")
        }
        add(65, "finn", "fund", "contribute", "rapid", "--donor", "   ", "--amount", "5 USD", "--reference", "R-blank")
        add(65, "finn", "fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "5 USD", "--reference", String(repeating: "r", count: 141))
        add(65, "finn", "fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "5 USD", "--reference", "R-1", "--date", "2026-02-30")
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve", "--currency", "ZZZ")
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve", "--currency", "XXX")
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve", "--currency", "US")
        add(65, "finn", "fund", "create", "reserve", "--name", "   ", "--currency", "USD")
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve", "--currency", "USD", "--donor", "  ")
        add(65, "finn", "fund", "create", "reserve", "--name", String(repeating: "n", count: 201), "--currency", "USD")
        add(65, "finn", "fund", "create", "Reserve Fund", "--name", "Reserve", "--currency", "USD")
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve", "--currency", "USD", "--max-grant", "-1 USD")
        // An IBAN and a local account at once, or a number without its bank code (BankAccount.given).
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve", "--currency", "USD", "--iban", "DE89 3704 0044 0532 0130 00",
            "--account-number", "12345")
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve", "--currency", "USD", "--account-number", "12345")
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve", "--currency", "USD", "--max-grant", "5 EUR")
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve", "--currency", "JOD", "--max-grant", "1.0001 JOD")
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve", "--currency", "JPY", "--max-grant", "1.5 JPY")
        add(65, "ada", "user", "add", "zoe", "--name", "Zoe", "--role", "official", "--country", "XYZ")
        add(65, "ada", "user", "add", "zoe", "--name", "Zoe", "--role", "official", "--country", "cd")
        add(65, "ada", "user", "add", "zoe", "--name", "Zoe", "--role", "official", "--country", "ZZZ")
        add(65, "ada", "user", "add", "zoe", "--name", "Zoe", "--role", "official")
        add(65, "ada", "user", "add", "zoe", "--name", "Zoe", "--role", "program-manager", "--country", "COD")
        add(65, "ada", "user", "add", "Zoe Smith", "--name", "Zoe", "--role", "program-manager")
        add(65, "ada", "user", "add", "zoe", "--name", "   ", "--role", "program-manager")
        add(65, "ada", "user", "add", "zoe", "--name", String(repeating: "z", count: 201), "--role", "program-manager")
        add(65, "ada", "user", "roles", "amani", "--role", "official", "--country", "XYZ")
        add(64, "pm", "exchange", "screen", exchange, "--key", String(repeating: "k", count: 201))
        add(64, "pm", "exchange", "screen", exchange, "--key", "a key with spaces")
        add(64, "pm", "approve", exchange, "--key", "")
        add(64, "ada", "instance", "fire", exchange, "start-screening", "--key", String(repeating: "k", count: 500))
        add(64, "fay", "grant", "approve", missing, "--key", String(repeating: "k", count: 201))
        add(64, "fay", "grant", "reject", missing, "--key", "k\\with\\tab\t")

        // Terminal control characters in arguments (65): ANSI escapes, BEL, bidi overrides.
        add(65, "amani", "exchange", "request", "--country", "COD", "--goal", "Peace \u{1B}[31mnow\u{1B}[0m in the provinces", "--challenge", "c", "--objective", "o")
        add(65, "amani", "exchange", "request", "--country", "COD", "--goal", "Ring \u{07} the bell", "--challenge", "c", "--objective", "o")
        add(65, "ada", "user", "add", "zoe", "--name", "Zoe \u{202E}evil", "--role", "program-manager")
        add(65, "finn", "fund", "create", "reserve", "--name", "Reserve \u{1B}]0;title\u{07}", "--currency", "USD")
        add(65, "finn", "fund", "contribute", "rapid", "--donor", "Donor \u{2066}A", "--amount", "5 USD", "--reference", "R-2")
        add(65, "pm", "request-info", exchange, "--comment", "Which \u{1B}[2J provinces?")
        add(65, "pm", "kb", "search", "water \u{1B}[1m")
        add(65, "ada", "token", "create", "--label", "laptop\u{08}\u{08}")

        // Bad request files (65).
        let requestFiles: [(String, String)] = [
            ("unknown-key", request("\"sectors\"", "\"fund\": \"rapid\", \"sectors\"")),
            ("misspelt-key", request("\"instruments\"", "\"instrumentz\": [], \"instruments\"")),
            ("nested-unknown-key", request("\"unit\": \"%\"", "\"unit\": \"%\", \"weight\": 2")),
            ("nul-goal", request("after the war", "after\\u0000 the war")),
            ("ansi-goal", request("after the war", "after \\u001b[31mthe war")),
            ("bel-challenge", request("ex-combatants", "ex-combatants\\u0007")),
            ("bidi-objective", request("former fighters", "\\u202eformer fighters")),
            ("long-goal", request("after the war", longText)),
            ("country-xyz", request("\"COD\"", "\"XYZ\"")),
            ("country-alpha2", request("\"COD\"", "\"CD\"")),
            ("country-lower", request("\"COD\"", "\"cod\"")),
            ("bad-sector", request("demobilisation-reintegration", "astrology")),
            ("string-baseline", request("\"baseline\": 12", "\"baseline\": \"12,5\"")),
            ("hex-target", request("\"target\": 40", "\"target\": \"0x10\"")),
            ("not-json", "{\"country\": \"COD\","),
            ("array", "[1, 2, 3]"),
            ("empty", ""),
            ("nul-key", request("\"sectors\"", "\"sec\\u0000tors\"")),
            ("unit-too-long", request("\"unit\": \"%\"", "\"unit\": \"\(String(repeating: "u", count: 41))\"")),
        ]
        for (name, text) in requestFiles {
            add(65, "amani", "exchange", "request", "--file", try files.write("request-\(name).json", text))
        }
        add(65, "amani", "exchange", "request", "--file", try files.write("request-invalid-utf8.json", Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D])))
        add(65, "amani", "exchange", "request", "--file", try files.write("request-huge.json", request("after the war", String(repeating: "w", count: 1_100_000))))
        add(66, "amani", "exchange", "request", "--file", files.folder.appendingPathComponent("no-such-request.json").path)
        add(65, "amani", "exchange", "request", "--country", "XYZ", "--country-name", "Nowhere", "--region", "sub-saharan-africa", "--income-group", "low",
            "--goal", "Lasting peace in the eastern provinces", "--challenge", "The commission cannot reintegrate ex-combatants",
            "--objective", "A community-based reintegration programme", "--sector", "demobilisation-reintegration", "--instrument", "study-visit",
            "--indicator", "Former fighters with a livelihood|%|12|40")
        add(65, "amani", "exchange", "request", "--country", "COD", "--country-name", "Congo", "--region", "sub-saharan-africa", "--income-group", "low",
            "--goal", longText, "--challenge", "The commission cannot reintegrate ex-combatants",
            "--objective", "A community-based reintegration programme", "--sector", "demobilisation-reintegration", "--instrument", "study-visit",
            "--indicator", "Former fighters with a livelihood|%|12|40")

        // Bad plan files (65), imported by the requesting official.
        let planFiles: [(String, String)] = [
            ("currency-zzz", planWith("\"USD\"", "\"ZZZ\"")),
            ("currency-xxx", planWith("\"USD\"", "\"XXX\"")),
            ("currency-lower", planWith("\"USD\"", "\"usd\"")),
            ("country-xyz", planWith("\"country\": \"COD\"", "\"country\": \"XYZ\"")),
            ("country-alpha2", planWith("\"country\": \"COD\"", "\"country\": \"BR\"")),
            ("unknown-key", planWith("\"budget\"", "\"fundz\": \"rapid\", \"budget\"")),
            ("unknown-activity-key", planWith("\"place\"", "\"venue\": \"hall\", \"place\"")),
            ("nul-title", planWith("Reintegration centres", "Reintegration\\u0000centres")),
            ("ansi-title", planWith("Reintegration centres", "\\u001b[5mReintegration centres")),
            ("long-title", planWith("Reintegration centres", String(repeating: "t", count: 301))),
            ("huge-title", planWith("Reintegration centres", longText)),
            ("negative-amount", planWith("1250000", "-1250000")),
            ("zero-amount", planWith("1250000", "0")),
            ("too-large-amount", planWith("1250000", "9223372036854775807")),
            ("overflowing-amount", planWith("1250000", "92233720368547758070")),
            ("string-amount", planWith("1250000", "\"12,500.00\"")),
            ("fraction-amount", planWith("1250000", "12500.5")),
            ("bad-date", planWith("\"end\": \"\(start)\"", "\"end\": \"2027-02-30\"")),
            ("blank-participant", planWith("\"name\": \"Amani\"", "\"name\": \"   \"")),
            ("bidi-place", planWith("Musanze, Rwanda", "Musanze\\u202e, Rwanda")),
            ("no-activities", "{\"activities\": [], \"budget\": []}"),
            ("bad-instalments", planWith("\"budget\"", "\"instalments\": [70, 20], \"budget\"")),
        ]
        for (name, text) in planFiles {
            add(65, "amani", "exchange", "plan", "import", exchange, try files.write("plan-\(name).json", text))
        }
        add(66, "amani", "exchange", "plan", "import", exchange, files.folder.appendingPathComponent("no-such-plan.json").path)

        // Bad report files (65).
        let reportFiles: [(String, String)] = [
            ("nul-lesson", report("Start with the communities", "Start\\u0000 with the communities")),
            ("ansi-lesson", report("Start with the communities", "\\u001b[31mStart with the communities")),
            ("long-lesson", report("Start with the communities", String(repeating: "l", count: 4_001))),
            ("unknown-key", report("\"lessons\"", "\"lesson\": \"x\", \"lessons\"")),
            ("string-actual", report("\"actual\": 31", "\"actual\": \"40abc\"")),
            ("nul-feedback", report("Very useful visit", "Very\\u0000useful")),
        ]
        for (name, text) in reportFiles {
            add(65, "amani", "exchange", "report", "submit", exchange, try files.write("report-\(name).json", text))
        }

        // Bad instance contexts and event data (65).
        for context in [#"{"title": "a\u0000b"}"#, #"{"title": "\u001b[31mred"}"#, #"{"amounts": {"grant": {"minor_units": -5, "currency": "USD"}}}"#,
                        #"{"amounts": {"grant": {"minor_units": 100, "currency": "ZZZ"}}}"#, #"{"amounts": {"grant": {"minor_units": 9223372036854775807, "currency": "USD"}}}"#,
                        #"{"amounts": {"grant": {"minor_units": 1.5, "currency": "USD"}}}"#, #"{"amounts": {"grant": "100 USD"}}"#, #"{"amounts": []}"#,
                        #"{"amounts": {"grant": {"minor_units": 100, "currency": "USD", "fx": 1}}}"#, "[1]", "not json", #"{"x": "\#(longText)"}"#,
                        #"{"k\u0000": 1}"#] {
            add(65, "ada", "instance", "start", "knowledge-exchange", "--context", context)
        }
        add(65, "ada", "instance", "fire", exchange, "start-screening", "--data", #"{"note": "\u0007"}"#)
        add(65, "ada", "instance", "fire", exchange, "start-screening", "--data", "[]")

        // Payment status reports (65 malformed, 75 contradictory).
        add(65, "finn", "payments", "reconcile", try files.write("pain002-invalid-utf8.xml", Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Document>\u{FF}".utf8) + Data([0xC3, 0x28, 0xFF, 0xFE]) + Data("</Document>".utf8)))
        add(65, "finn", "payments", "reconcile", try files.write("pain002-not-xml.xml", "this is not xml"))
        add(65, "finn", "payments", "reconcile", try files.write("pain002-doctype.xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><Document/>"))
        add(65, "finn", "payments", "reconcile", try files.write("pain002-wrong-root.xml", "<?xml version=\"1.0\"?><Invoice/>"))
        add(65, "finn", "payments", "reconcile", try files.write("pain002-no-e2e.xml", BadInputFiles.pain002("<TxInfAndSts><TxSts>ACSC</TxSts></TxInfAndSts>")))
        add(75, "finn", "payments", "reconcile", try files.write("pain002-contradiction.xml", BadInputFiles.pain002(
            "<TxInfAndSts><OrgnlEndToEndId>E2E-1</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>"
                + "<TxInfAndSts><OrgnlEndToEndId>E2E-1</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>")))
        add(66, "finn", "payments", "reconcile", files.folder.appendingPathComponent("no-such.xml").path)

        // Workflow files (1: an invalid definition; 66: no such file).
        cases.append(BadInput(arguments: ["workflow", "validate", try files.write("not-a-workflow.xml", "<workflow/>")], user: nil, status: 1, ownURL: true))
        cases.append(BadInput(arguments: ["workflow", "validate", files.folder.appendingPathComponent("none.xml").path], user: nil, status: 66, ownURL: true))
        add(1, nil, "workflow", "deploy", try files.write("doctype.xml", "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><workflow>&x;</workflow>"))

        // Not found (66).
        add(66, "pm", "exchange", "show", missing)
        add(66, "pm", "exchange", "status", missing)
        add(66, "pm", "approve", missing)
        add(66, "ada", "instance", "show", missing)
        add(66, "finn", "fund", "show", "no-such-fund")
        add(66, "finn", "fund", "contribute", "no-such-fund", "--donor", "Donor A", "--amount", "5 USD", "--reference", "R-3")
        add(66, "finn", "grant", "show", missing)
        add(66, "finn", "payments", "file", "MER-NONE")
        add(66, "ada", "user", "disable", "nobody")
        add(66, "ada", "user", "roles", "nobody", "--role", "program-manager")
        add(66, nil, "queue", "show", "999999")
        add(66, "pm", "kb", "show", "999999")

        // Permission (77): no token, or the wrong role.
        add(77, nil, "exchange", "request", "--file", try files.write("request-ok.json", BadInputFiles.request))
        add(77, "claire", "exchange", "request", "--file", try files.write("request-ok2.json", BadInputFiles.request))
        add(77, "amani", "fund", "create", "reserve", "--name", "Reserve", "--currency", "USD")
        add(77, "amani", "fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "5 USD", "--reference", "R-4")
        add(77, "amani", "user", "add", "zoe", "--name", "Zoe", "--role", "admin")
        add(77, "pm", "exchange", "plan", "import", exchange, try files.write("plan-ok.json", plan))
        // Another country's exchange reads as unknown (the service's rule): 66, not 77.
        add(66, "claire", "exchange", "status", exchange)
        add(77, nil, "user", "add", "zoe", "--name", "Zoe", "--role", "program-manager")
        add(77, nil, "token", "list", "--user", "amani")
        cases.append(BadInput(arguments: ["whoami"], user: nil, status: 77, environment: ["MERIDIAN_TOKEN": "mrd_not-a-token"]))

        // Database URLs: malformed (64, the password never printed) and unreachable (69).
        for url in ["postgresql://bob:S3cretPW@[::1/db", "postgresql://bob:S3cretPW@localhost:99999/db", "mysql://bob:S3cretPW@localhost/db",
                    "postgresql://bob:S3cretPW@localhost/db?sslmode=sometimes", "postgresql://bob:S3cretPW@localhost/db?connect_timeout=soon",
                    "postgresql://bob@localhost/db?password=S3cretPW&frobnicate=1", "postgresql://bob:S3cretPW@localhost/db?connect_timeout=0",
                    "postgresql://bob:S3cretPW@localhost/db?application_name=%7Fx"] {
            cases.append(BadInput(arguments: ["kb", "list", "--database-url", url], user: nil, status: 64, ownURL: true))
        }
        // A control character in the URL itself: refused before it is parsed, the URL never echoed.
        cases.append(BadInput(arguments: ["kb", "list", "--database-url", "postgresql://bob:S3cretPW@localhost/db?application_name=\u{7F}x"],
                              user: nil, status: 65, ownURL: true))
        cases.append(BadInput(arguments: ["kb", "list", "--database-url", "postgresql://bob:S3cretPW@127.0.0.1:1/db?connect_timeout=2"], user: nil, status: 69, ownURL: true))
        cases.append(BadInput(arguments: ["kb", "list"], user: nil, status: 64, environment: ["MERIDIAN_DATABASE_URL": "postgresql://bob:S3cretPW@[::1/db"], ownURL: true))
        cases.append(BadInput(arguments: ["kb", "list"], user: nil, status: 64, environment: ["MERIDIAN_STATEMENT_TIMEOUT": "soon"]))
        cases.append(BadInput(arguments: ["kb", "list"], user: nil, status: 64, environment: ["MERIDIAN_CONNECT_TIMEOUT": "0"]))
        return cases
    }
}
