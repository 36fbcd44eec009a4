import Foundation
import MeridianFunding

/// The `--json` shapes of the funding commands: money as exact minor units with its code
/// (and the text people read), never a floating-point number.
struct MoneyJSON: Encodable {
    var minorUnits: Int64
    var currency: String
    var text: String

    init(_ money: Money) {
        minorUnits = money.minorUnits
        currency = money.currency.code
        text = money.description
    }
}

struct FundJSON: Encodable {
    var id: String
    var name: String
    var currency: String
    var donors: [String]
    var maxGrant: MoneyJSON
    var account: String?
    var mandate: FundMandate
    /// Whether the officer who disbursed a payment may also mark it paid or failed.
    var allowsSelfConfirmation: Bool
    var createdBy: String
    var createdAt: Date

    init(_ fund: Fund) {
        id = fund.id
        name = fund.name
        currency = fund.currency.code
        donors = fund.donors
        maxGrant = MoneyJSON(fund.maxGrant)
        account = fund.account?.display
        mandate = fund.mandate
        allowsSelfConfirmation = fund.allowsSelfConfirmation
        createdBy = fund.createdBy
        createdAt = fund.createdAt
    }
}

struct StatementJSON: Encodable {
    struct Line: Encodable {
        var transaction: Int64
        var valueDate: String
        var kind: String
        var reference: String
        var amount: MoneyJSON
    }

    var fund: String
    var asOf: String
    var contributions: MoneyJSON
    var committed: MoneyJSON
    var inPayment: MoneyJSON
    var disbursed: MoneyJSON
    var available: MoneyJSON
    var coFinancing: [MoneyJSON]
    var lines: [Line]

    init(_ statement: FundStatement) {
        fund = statement.fund.id
        asOf = statement.asOf.description
        contributions = MoneyJSON(statement.contributions)
        committed = MoneyJSON(statement.committed)
        inPayment = MoneyJSON(statement.inPayment)
        disbursed = MoneyJSON(statement.disbursed)
        available = MoneyJSON(statement.available)
        coFinancing = statement.coFinancing.map(MoneyJSON.init)
        lines = statement.lines.map { Line(transaction: $0.transactionID, valueDate: $0.valueDate.description, kind: $0.kind.rawValue,
                                           reference: $0.reference, amount: MoneyJSON($0.amount)) }
    }
}

struct GrantJSON: Encodable {
    var id: UUID
    var exchange: UUID?
    var exchangeState: String?
    var fund: String
    /// How the fund was named (default, plan, funding-review, context), by whom, and why.
    var fundChoice: Grant.FundChoice?
    var title: String
    var recipientCountry: String
    var amount: MoneyJSON
    var coFinancing: MoneyJSON
    var instalments: [MoneyJSON]
    var status: String
    var requestedBy: String
    var planAuthor: String
    var approvers: [String]?
    var payments: [PaymentJSON]?
    var requestedAt: Date
    var updatedAt: Date

    init(_ grant: Grant, state: String? = nil, duties: GrantDuties? = nil, payments: [PaymentInstruction]? = nil) {
        id = grant.id
        exchange = grant.instanceID
        exchangeState = state
        fund = grant.fundID
        fundChoice = grant.fundChoice
        title = grant.title
        recipientCountry = grant.recipientCountry
        amount = MoneyJSON(grant.amount)
        coFinancing = MoneyJSON(grant.coFinancing)
        instalments = grant.instalmentAmounts.map(MoneyJSON.init)
        status = grant.status.rawValue
        requestedBy = grant.requestedBy
        planAuthor = grant.planAuthor
        approvers = duties.map { $0.grantApprovers.sorted() }
        self.payments = payments?.map(PaymentJSON.init)
        requestedAt = grant.requestedAt
        updatedAt = grant.updatedAt
    }
}

struct PaymentJSON: Encodable {
    var id: UUID
    var endToEndId: String
    var grant: UUID
    var fund: String
    var instalment: Int
    var beneficiary: String
    var account: String
    var amount: MoneyJSON
    var reference: String
    var status: String
    var failureReason: String?
    var messageId: String?
    var disbursedBy: String
    var createdAt: Date
    var updatedAt: Date

    init(_ payment: PaymentInstruction) {
        id = payment.id
        endToEndId = payment.endToEndID
        grant = payment.grantID
        fund = payment.fundID
        instalment = payment.instalment
        beneficiary = payment.beneficiary
        account = payment.account.display
        amount = MoneyJSON(payment.amount)
        reference = payment.reference
        status = payment.status.rawValue
        failureReason = payment.failureReason
        messageId = payment.messageID
        disbursedBy = payment.disbursedBy
        createdAt = payment.createdAt
        updatedAt = payment.updatedAt
    }
}
