import MeridianFunding
import Testing

/// One parser of an account's inputs for the command line and the API (issue 17).
@Suite("a bank account from its inputs")
struct BankAccountInputsTests {
    @Test("an IBAN, or a number with its bank code, or nothing; any other mix names the inputs as the front end calls them")
    func given() throws {
        #expect(try BankAccount.given(iban: nil, number: nil, bankCode: nil, bic: nil, names: .options) == nil)
        let iban = try BankAccount.given(iban: "DE89 3704 0044 0532 0130 00", number: nil, bankCode: nil, bic: "COBADEFFXXX", names: .fields)
        #expect(iban == (try BankAccount.iban("DE89370400440532013000", bic: "COBADEFFXXX")))
        let local = try BankAccount.given(iban: nil, number: "0012-3456", bankCode: "044", bic: nil, names: .options)
        #expect(local?.accountNumber == "0012-3456" && local?.bankCode == "044" && local?.iban == nil)
        do {
            _ = try BankAccount.given(iban: "DE89370400440532013000", number: "1", bankCode: nil, bic: nil, names: .options)
            Issue.record("a mix of an IBAN and an account number was accepted")
        } catch {
            #expect(error.code == .invalidInput && error.message == "give either --iban, or --account-number with --bank-code")
        }
        do {
            _ = try BankAccount.given(iban: nil, number: "1", bankCode: nil, bic: nil, names: .fields)
            Issue.record("an account number without its bank code was accepted")
        } catch {
            #expect(error.message == "give either iban, or account_number with bank_code")
        }
    }
}
