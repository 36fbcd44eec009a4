import MeridianCodes
import ArgumentParser
import Foundation
import MeridianService
import MeridianEngine
import MeridianExchange
import MeridianFunding
import MeridianWorkflow

/// `meridian fund …`: trust funds, their contributions and statements.
struct FundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fund",
        abstract: "Trust funds: create, list, show, record contributions, statements, verify the ledger.",
        discussion: """
            Money is typed as people write it ("1,000.50 USD", "USD 250000") and stored exactly as \
            integer minor units; it is never converted between currencies.

            Commands that act (create, contribute, approve, reject, disburse, mark, reconcile) run \
            as the user whose token is in MERIDIAN_TOKEN (or saved by `meridian login`); exit 77 \
            without one, or without the role.

            Example:
              meridian fund create rapid --name "Rapid Response Fund" --currency USD --iban "DE89 3704 0044 0532 0130 00"
            """,
        subcommands: [FundCreate.self, FundList.self, FundShow.self, FundContribute.self, FundStatementCommand.self, FundVerify.self]
    )
}

struct FundCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a trust fund (admin or finance officer).",
        discussion: """
            --max-grant defaults to 150,000 USD for a USD fund. Meridian never converts \
            currencies, so a fund in any other currency must be given its own --max-grant \
            (exit 65 otherwise). The account (--iban, or --account-number with --bank-code) is \
            the one payment files pay from.

            The mandate (each part optional, repeat the options for several values) restricts \
            which exchanges the fund may pay for: --mandate-sector (the exchange must be in one \
            of them: \(Sector.codes)), --mandate-country (ISO 3166-1 alpha-3 code of the \
            requesting country), --mandate-instrument (every activity of the plan must use one: \
            \(Instrument.codes)), --mandate-from and --mandate-until (the days the plan's \
            activities may fall on). A plan naming the fund, or a program manager choosing it \
            (`meridian grant fund`), is refused with the reason when the mandate excludes the \
            exchange.

            --allow-self-confirmation lets the finance officer who disbursed a payment mark it \
            paid or failed by hand (`meridian payments mark`); without it (the default) a second \
            finance officer confirms. `meridian fund show` prints both.

            Example:
              meridian fund create rapid --name "Rapid Response Fund" --currency USD --donor "Donor A" --iban "DE89 3704 0044 0532 0130 00" --bic COBADEFFXXX
              meridian fund create water-jp --name "Water Fund (Japan)" --currency JPY --max-grant "20,000,000 JPY" --mandate-sector water-sanitation --mandate-instrument study-visit --mandate-until 2027-12-31
            """
    )
    @Argument(help: "The fund's id: lowercase letters, digits and dashes.") var id: String
    @Option(help: "The fund's name.") var name: String
    @Option(help: "The ISO 4217 currency the fund is kept in.") var currency: String
    @Option(name: .customLong("donor"), help: "A donor (repeat for several).") var donors: [String] = []
    @Option(parsing: .unconditional, help: "The largest grant, such as \"150,000 USD\" (default 150,000 USD for a USD fund; required for any other currency).") var maxGrant: String?
    @Option(help: "The IBAN payments leave from.") var iban: String?
    @Option(help: "The account number payments leave from (with --bank-code).") var accountNumber: String?
    @Option(help: "The bank code of --account-number.") var bankCode: String?
    @Option(help: "The bank's BIC.") var bic: String?
    @Option(name: .customLong("mandate-sector"), help: "Mandate: a sector the fund pays for (repeat for several).") var mandateSectors: [String] = []
    @Option(name: .customLong("mandate-country"), help: "Mandate: a requesting country (ISO 3166-1 alpha-3; repeat for several).") var mandateCountries: [String] = []
    @Option(name: .customLong("mandate-instrument"), help: "Mandate: an instrument the fund pays for (repeat for several).") var mandateInstruments: [String] = []
    @Option(name: .customLong("mandate-from"), help: "Mandate: the first day activities may fall on (YYYY-MM-DD).") var mandateFrom: String?
    @Option(name: .customLong("mandate-until"), help: "Mandate: the last day activities may fall on (YYYY-MM-DD).") var mandateUntil: String?
    @Flag(help: "Let the finance officer who disbursed a payment also mark it paid or failed (off: a second officer confirms).")
    var allowSelfConfirmation = false
    @OptionGroup var database: ServiceOptions

    func run() async throws {
        let currency = try Currency.named(currency.uppercased())
        let max = try maxGrant.map { try MoneyParser(defaultCurrency: currency).parse($0) }
        let account = try BankAccount.given(iban: iban, number: accountNumber, bankCode: bankCode, bic: bic, names: .options)
        let fund = Fund(id: id, name: name, currency: currency, donors: donors, maxGrant: max, account: account, mandate: try mandate(),
                        allowsSelfConfirmation: allowSelfConfirmation, createdBy: "")
        _ = try await ServiceSession.actions(database) { actions in try await actions.createFund(fund) }
        print("created fund \(id): \(name), in \(currency), grants up to \(fund.maxGrant); mandate: \(fund.mandate.summary)"
              + (allowSelfConfirmation ? "; the disbursing officer may confirm payments" : ""))
    }

    /// The mandate from the options, its sector and instrument codes checked against the exchange vocabularies.
    private func mandate() throws -> FundMandate {
        for sector in mandateSectors where Sector(rawValue: sector) == nil {
            throw CLIFailure("--mandate-sector '\(sector)' is not a sector; use one of \(Sector.codes)", status: .dataError)
        }
        for instrument in mandateInstruments where Instrument(rawValue: instrument) == nil {
            throw CLIFailure("--mandate-instrument '\(instrument)' is not an instrument; use one of \(Instrument.codes)", status: .dataError)
        }
        return FundMandate(sectors: mandateSectors, countries: mandateCountries.map { $0.uppercased() }, instruments: mandateInstruments,
                           from: try mandateFrom.map { try CalendarDay($0) }, until: try mandateUntil.map { try CalendarDay($0) })
    }
}

struct FundList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List trust funds with what is available.",
                                                    discussion: "Example:\n  meridian fund list --json")
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let (funds, statements) = try await ServiceSession.actions(database) { actions in
            let funds = try await actions.funds()
            var statements: [StatementJSON] = []
            for fund in funds { statements.append(try await actions.statement(fund: fund.id, asOf: CalendarDay(Date()))) }
            return (funds, statements)
        }
        if json {
            print(try JSONOutput.string(funds))
            return
        }
        guard !funds.isEmpty else {
            print("no funds yet; create one with `meridian fund create`")
            return
        }
        print(Table.render(["ID", "NAME", "CURRENCY", "CONTRIBUTED", "AVAILABLE", "MAX GRANT"], zip(funds, statements).map { fund, statement in
            [fund.id, fund.name, fund.currency, statement.contributions.description, statement.available.description, fund.maxGrant.description]
        }))
    }
}

struct FundShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one fund (exit 66 when there is none).",
                                                    discussion: "Example:\n  meridian fund show rapid --json")
    @Argument(help: "The fund's id.") var id: String
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let (fund, statement) = try await ServiceSession.actions(database) { actions in
            (try await actions.fund(id), try await actions.statement(fund: id, asOf: CalendarDay(Date())))
        }
        if json {
            print(try JSONOutput.string(fund))
            return
        }
        print("""
            \(fund.id) — \(fund.name)
            currency: \(fund.currency); grants up to \(fund.maxGrant)
            donors: \(fund.donors.isEmpty ? "none yet" : fund.donors.joined(separator: ", "))
            account: \(fund.account ?? "none (payment files need one)")
            mandate: \(fund.mandate.summary)
            payments marked by hand: \(fund.allowsSelfConfirmation ? "the disbursing finance officer may confirm them (fund policy)" : "confirmed by a second finance officer, not the one who disbursed")
            created by \(fund.createdBy) at \(EngineSession.time(fund.createdAt))
            contributed \(statement.contributions); available \(statement.available); committed \(statement.committed); \
            in payment \(statement.inPayment); disbursed \(statement.disbursed)
            """)
    }
}

struct FundContribute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contribute",
        abstract: "Record money received from a donor (finance officer or admin).",
        discussion: """
            The reference (the bank's or the agreement's) is unique per fund: recording it again \
            with the same donor and amount changes nothing; with other values it is refused (75).

            Example:
              meridian fund contribute rapid --donor "Donor A" --amount "1,000,000.00 USD" --date 2026-01-15 --reference AGR-2026-01
            """
    )
    @Argument(help: "The fund's id.") var id: String
    @Option(help: "The donor.") var donor: String
    @Option(parsing: .unconditional, help: "The amount, such as \"1,000,000.00 USD\".") var amount: String
    @Option(help: "The day the money was received (YYYY-MM-DD; default today).") var date: String?
    @Option(help: "The bank's or the agreement's reference.") var reference: String
    @OptionGroup var database: ServiceOptions

    func run() async throws {
        let day = try date.map { try CalendarDay($0) } ?? CalendarDay(Date())
        let contribution = try await ServiceSession.actions(database) { actions in
            try await actions.contribute(fund: id, donor: donor, amount: amount, receivedOn: day, reference: reference)
        }
        print(contribution.replayed ? "already recorded: \(contribution.amount) from \(donor) (\(reference)); nothing changed"
                                    : "recorded \(contribution.amount) from \(donor) on \(day) (\(reference)), ledger transaction \(contribution.transaction)")
    }
}

struct FundStatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "A fund's statement as of a day: contributions, commitments, disbursements, available.",
        discussion: """
            Computed from the ledger's entries with a value date on or before --as-of. The \
            countries' co-financing of the plans this fund's grants cover is shown beside it: it \
            never passes through Meridian. The grants asked from the fund follow, each with how \
            its fund was named (in the plan, by the program manager at funding review, or as the \
            only fund in the currency).

            Example:
              meridian fund statement rapid --as-of 2026-06-30
            """
    )
    @Argument(help: "The fund's id.") var id: String
    @Option(name: .customLong("as-of"), help: "The day (YYYY-MM-DD; default today).") var asOf: String?
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let day = try asOf.map { try CalendarDay($0) } ?? CalendarDay(Date())
        let (fund, statement, grants) = try await ServiceSession.actions(database) { actions in
            (try await actions.fund(id), try await actions.statement(fund: id, asOf: day), try await actions.grants(fund: id))
        }
        if json {
            print(try JSONOutput.string(statement))
            return
        }
        print("\(fund.name) (\(fund.id)), as of \(day)\n")
        print(Table.render(["", "AMOUNT"], [
            ["contributions", statement.contributions.description],
            ["committed (approved, not yet sent)", statement.committed.description],
            ["in payment (sent to the bank)", statement.inPayment.description],
            ["disbursed (paid)", statement.disbursed.description],
            ["available", statement.available.description],
        ] + statement.coFinancing.map { ["co-financing by countries (not through Meridian)", $0.description] }))
        if !statement.lines.isEmpty {
            print("")
            print(Table.render(["DATE", "MOVEMENT", "AMOUNT", "REFERENCE"], statement.lines.map {
                [$0.valueDate, $0.kind, $0.amount.description, $0.reference]
            }))
        }
        // The grants asked from this fund, and how the fund was named for each (plan, program manager, only fund).
        if !grants.isEmpty {
            print("")
            print(Table.render(["GRANT", "AMOUNT", "STATUS", "FUND NAMED"], grants.map {
                [String($0.id.uuidString.lowercased().prefix(8)), $0.amount.description, $0.status, $0.fundChoice?.description ?? "-"]
            }))
        }
    }
}
