import MeridianCodes

extension BankAccount {
    /// What a front end calls the three inputs of an account, so the one parser's message
    /// names the options or fields the person typed.
    public struct InputNames: Sendable {
        public var iban: String
        public var number: String
        public var bankCode: String

        public init(iban: String, number: String, bankCode: String) {
            self.iban = iban
            self.number = number
            self.bankCode = bankCode
        }

        /// The command line's options.
        public static let options = InputNames(iban: "--iban", number: "--account-number", bankCode: "--bank-code")
        /// The API's JSON fields.
        public static let fields = InputNames(iban: "iban", number: "account_number", bankCode: "bank_code")
    }

    /// The account an IBAN, or a local number with its bank code, names; `nil` when none is
    /// given. Any other mix is refused, naming the inputs as `names` calls them.
    public static func given(
        iban: String?, number: String?, bankCode: String?, bic: String?, names: InputNames
    ) throws(FundingError) -> BankAccount? {
        switch (iban, number, bankCode) {
        case (nil, nil, nil): return nil
        case (let iban?, nil, nil): return try BankAccount.iban(iban, bic: bic)
        case (nil, let number?, let code?): return try BankAccount.local(number: number, bankCode: code, bic: bic)
        default:
            throw FundingError(.invalidInput, "give either \(names.iban), or \(names.number) with \(names.bankCode)")
        }
    }
}
