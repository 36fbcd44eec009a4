import MeridianCodes
import Foundation

/// A trust fund: money given by donors, in one currency, granted to exchanges.
public struct Fund: Sendable, Hashable {
    /// A short slug (`rapid-response`), used in commands and IATI identifiers.
    public var id: String
    public var name: String
    public var currency: Currency
    public var donors: [String]
    /// The largest grant this fund makes (zero when none was given for a currency that has no
    /// default: ``FundStore/create(_:)`` refuses such a fund).
    public var maxGrant: Money
    /// The account payments leave from: an IBAN, or an account number with a bank code.
    public var account: BankAccount?
    /// Which exchanges the fund may pay for.
    public var mandate: FundMandate
    /// Whether the finance officer who disbursed a payment may also mark it paid or failed by
    /// hand. Off unless the fund says so: a second person confirms what the bank did.
    public var allowsSelfConfirmation: Bool
    public var createdBy: String
    public var createdAt: Date

    /// The programme's rule is 150,000 USD per grant. It holds for USD funds; Meridian never
    /// converts currencies, so a fund in another currency has no default and must be created
    /// with its own maximum (`nil` here).
    public static func defaultMaxGrant(_ currency: Currency) -> Money? {
        guard currency.code == "USD" else { return nil }
        return Money(minorUnits: 150_000 * currency.minorPerMajor, currency: currency)
    }

    public init(id: String, name: String, currency: Currency, donors: [String], maxGrant: Money? = nil, account: BankAccount? = nil,
                mandate: FundMandate = .open, allowsSelfConfirmation: Bool = false, createdBy: String, createdAt: Date = Date()) {
        self.id = id
        self.name = name
        self.currency = currency
        self.donors = donors
        self.maxGrant = maxGrant ?? Self.defaultMaxGrant(currency) ?? .zero(currency)
        self.account = account
        self.mandate = mandate
        self.allowsSelfConfirmation = allowsSelfConfirmation
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// A bank account as payment files need it: an IBAN, or an account number and a bank code.
public struct BankAccount: Sendable, Hashable, Codable {
    public var iban: String?
    public var accountNumber: String?
    public var bankCode: String?
    /// The bank's BIC, when known.
    public var bic: String?

    /// An IBAN, checked (ISO 13616: country, check digits, mod 97).
    public static func iban(_ text: String, bic: String? = nil) throws(FundingError) -> BankAccount {
        let compact = text.replacingOccurrences(of: " ", with: "").uppercased()
        guard compact.count >= 15, compact.count <= 34, compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              compact.prefix(2).allSatisfy(\.isLetter), compact.dropFirst(2).prefix(2).allSatisfy(\.isNumber) else {
            throw FundingError(.invalidInput, "'\(text)' is not an IBAN", hint: "an IBAN is a country code, two check digits and up to 30 letters or digits")
        }
        let rearranged = compact.dropFirst(4) + compact.prefix(4)
        var remainder = 0
        for character in rearranged {
            let value = character.isNumber ? Int(String(character))! : Int(character.asciiValue! - 55)
            remainder = (value >= 10 ? remainder * 100 + value : remainder * 10 + value) % 97
        }
        guard remainder == 1 else {
            throw FundingError(.invalidInput, "'\(text)' is not a valid IBAN: its check digits do not match", hint: "copy it again from the bank's letter")
        }
        return BankAccount(iban: compact, accountNumber: nil, bankCode: nil, bic: try checkedBIC(bic))
    }

    /// An account number and a bank (clearing) code, for countries without IBAN.
    public static func local(number: String, bankCode: String, bic: String? = nil) throws(FundingError) -> BankAccount {
        let valid = { (text: String) in (1...34).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } }
        guard valid(number), valid(bankCode) else {
            throw FundingError(.invalidInput, "account number '\(number)' or bank code '\(bankCode)' is not valid",
                               hint: "use 1 to 34 letters, digits or dashes for each")
        }
        return BankAccount(iban: nil, accountNumber: number, bankCode: bankCode, bic: try checkedBIC(bic))
    }

    private static func checkedBIC(_ bic: String?) throws(FundingError) -> String? {
        guard let bic else { return nil }
        let upper = bic.uppercased()
        guard upper.count == 8 || upper.count == 11, upper.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              upper.prefix(6).allSatisfy(\.isLetter) else {
            throw FundingError(.invalidInput, "'\(bic)' is not a BIC", hint: "a BIC has 8 or 11 letters and digits, such as DEUTDEFF")
        }
        return upper
    }

    /// How the account reads in tables.
    public var display: String {
        if let iban { return iban }
        return "\(accountNumber ?? "") (bank \(bankCode ?? ""))"
    }
}
