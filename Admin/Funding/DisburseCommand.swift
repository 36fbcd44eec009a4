import ArgumentParser
import Foundation
import MeridianService
import MeridianEngine
import MeridianFunding
import MeridianWorkflow

/// `meridian disburse GRANT`: a finance officer pays an instalment of a committed grant.
struct DisburseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disburse",
        abstract: "Pay an instalment of a committed grant (finance officer who approved nothing on it).",
        discussion: """
            Writes the payment instruction (beneficiary institution, account, amount, reference) \
            and moves the money from committed to in payment, in one transaction with the \
            exchange's `disburse` step for the first instalment. Later instalments (for example \
            the 30% paid after results) need the earlier ones paid and the exchange's results \
            report submitted. A retry — same grant and instalment while its payment is under way, \
            or the same --key — returns the first instruction and pays nothing twice; after a \
            failed payment, disbursing again pays anew.
            Runs as the user whose token is in MERIDIAN_TOKEN (or saved by `meridian login`). Exit 1 when \
            refused (separation of duties, state), 77 without a token or the finance-officer role.

            Example:
              meridian disburse 3f2a9c1e --beneficiary "Ministry of Water" --iban "GB82 WEST 1234 5698 7654 32"
              meridian disburse 3f2a9c1e --instalment 2 --beneficiary "Ministry of Water" --account-number 0123456789 --bank-code KCB01
            """
    )
    @Argument(help: "The grant's id, its first 8+ digits, or its exchange's id.") var grant: String
    @Option(help: "Which instalment (from 1).") var instalment = 1
    @Option(help: "The beneficiary institution.") var beneficiary: String
    @Option(help: "The beneficiary's IBAN.") var iban: String?
    @Option(help: "The beneficiary's account number (with --bank-code).") var accountNumber: String?
    @Option(help: "The bank code of --account-number.") var bankCode: String?
    @Option(help: "The beneficiary bank's BIC.") var bic: String?
    @Option(help: "What the beneficiary's statement shows (default: the grant and instalment).") var reference: String?
    @Option(help: "An idempotency key: the same key always returns the first instruction.") var key: String?

    func validate() throws { try KeyCheck.validate(key) }
    @OptionGroup var database: ServiceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        guard let account = try BankAccount.given(iban: iban, number: accountNumber, bankCode: bankCode, bic: bic, names: .options) else {
            throw CLIFailure("give the beneficiary's account: --iban, or --account-number with --bank-code", status: .usage)
        }
        let result = try await ServiceSession.actions(database) { actions in
            try await actions.disburse(grant: grant, instalment: instalment, beneficiary: beneficiary, account: account, reference: reference,
                                       key: key)
        }
        if json {
            print(try JSONOutput.string(result.payment))
            return
        }
        let instruction = result.payment
        print(result.replayed
              ? "already disbursed: instruction \(instruction.endToEndID) (\(instruction.status)), \(instruction.amount); nothing paid twice"
              : "instalment \(instruction.instalment): \(instruction.amount) to \(instruction.beneficiary), instruction \(instruction.endToEndID), ready for the next payment file")
    }
}
