import MeridianCodes
import Foundation
import MeridianFunding

/// The JSON shapes of funding's records, the same for the CLI's `--json` and the HTTP API:
/// money as exact minor units with its code (and the text people read), never a floating-point number.
///
/// They decode too (``ServiceJSON/decoder()``): the CLI against a server reads the API's answers
/// into these and prints them as it prints the local ones.
public struct MoneyJSON: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The amount, in ``Money``'s one JSON form (`minor_units`, `currency`).
    public var money: Money
    /// The text people read (`1,250.00 USD`), as ``Money`` prints itself.
    public var text: String

    public init(_ money: Money) {
        self.money = money
        text = money.description
    }

    public var minorUnits: Int64 { money.minorUnits }
    public var currency: String { money.currency.code }
    public var description: String { text }

    private enum Keys: String, CodingKey { case text }

    public init(from decoder: any Decoder) throws {
        money = try Money(from: decoder)
        text = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .text)
    }

    /// Money's own fields, and `text` beside them.
    public func encode(to encoder: any Encoder) throws {
        try money.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(text, forKey: .text)
    }
}

public struct FundJSON: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var currency: String
    public var donors: [String]
    public var maxGrant: MoneyJSON
    public var account: String?
    /// Which exchanges the fund may pay for (empty parts restrict nothing).
    public var mandate: FundMandate
    /// Whether the officer who disbursed a payment may also mark it paid or failed.
    public var allowsSelfConfirmation: Bool
    public var createdBy: String
    public var createdAt: Date

    public init(_ fund: Fund) {
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

public struct StatementJSON: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var transaction: Int64
        public var valueDate: String
        public var kind: String
        public var reference: String
        public var amount: MoneyJSON
    }

    public var fund: String
    public var asOf: String
    public var contributions: MoneyJSON
    public var committed: MoneyJSON
    public var inPayment: MoneyJSON
    public var disbursed: MoneyJSON
    public var available: MoneyJSON
    public var coFinancing: [MoneyJSON]
    public var lines: [Line]

    public init(_ statement: FundStatement) {
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

public struct GrantJSON: Codable, Sendable, Equatable {
    public var id: UUID
    public var exchange: UUID?
    public var exchangeState: String?
    public var fund: String
    /// How the fund was named (default, plan, funding-review, context), by whom, and why.
    public var fundChoice: Grant.FundChoice?
    public var title: String
    public var recipientCountry: String
    public var amount: MoneyJSON
    public var coFinancing: MoneyJSON
    public var instalments: [MoneyJSON]
    /// Each instalment's share of the amount, in percent (`[70, 30]`).
    public var instalmentPercentages: [Int]
    public var status: String
    public var requestedBy: String
    public var planAuthor: String
    public var approvers: [String]?
    public var payments: [PaymentJSON]?
    /// Instalments, amounts and states without bank details, for readers of the grant who may
    /// not see the instructions.
    public var paymentSummaries: [PaymentSummaryJSON]?
    public var requestedAt: Date
    public var updatedAt: Date

    public init(_ grant: Grant, state: String? = nil, duties: GrantDuties? = nil, payments: [PaymentInstruction]? = nil) {
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
        instalmentPercentages = grant.instalments
        status = grant.status.rawValue
        requestedBy = grant.requestedBy
        planAuthor = grant.planAuthor
        approvers = duties.map { $0.grantApprovers.sorted() }
        self.payments = payments?.map(PaymentJSON.init)
        requestedAt = grant.requestedAt
        updatedAt = grant.updatedAt
    }
}

public struct PaymentSummaryJSON: Codable, Sendable, Equatable {
    public var instalment: Int
    public var amount: MoneyJSON
    public var status: String
}

extension GrantJSON {
    /// A grant as one caller may read it: approvers and bank details only where she may see them.
    public init(_ detail: GrantDetail) {
        self.init(detail.grant, state: detail.exchangeState, duties: detail.duties, payments: detail.payments.isEmpty ? nil : detail.payments)
        if detail.payments.isEmpty {
            paymentSummaries = detail.paymentSummaries.map { PaymentSummaryJSON(instalment: $0.instalment, amount: MoneyJSON($0.amount), status: $0.status.rawValue) }
        }
    }
}

public struct PaymentJSON: Codable, Sendable, Equatable {
    public var id: UUID
    public var endToEndID: String
    public var grant: UUID
    public var fund: String
    public var instalment: Int
    public var beneficiary: String
    public var account: String
    public var amount: MoneyJSON
    public var reference: String
    public var status: String
    public var failureReason: String?
    public var messageID: String?
    public var disbursedBy: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(_ payment: PaymentInstruction) {
        id = payment.id
        endToEndID = payment.endToEndID
        grant = payment.grantID
        fund = payment.fundID
        instalment = payment.instalment
        beneficiary = payment.beneficiary
        account = payment.account.display
        amount = MoneyJSON(payment.amount)
        reference = payment.reference
        status = payment.status.rawValue
        failureReason = payment.failureReason
        messageID = payment.messageID
        disbursedBy = payment.disbursedBy
        createdAt = payment.createdAt
        updatedAt = payment.updatedAt
    }
}

/// What reconciliation or a mark did to one payment instruction.
public struct PaymentChangeJSON: Codable, Sendable, Equatable {
    public var instruction: UUID
    public var endToEndID: String
    public var from: String
    public var to: String
    public var event: String?
    public var note: String

    public init(_ change: Reconciler.Change) {
        instruction = change.instructionID
        endToEndID = change.endToEndID
        from = change.from.rawValue
        to = change.to.rawValue
        event = change.event
        note = change.note
    }
}

/// A donor's contribution as recorded.
public struct ContributionJSON: Codable, Sendable, Equatable {
    public var transaction: Int64
    public var fund: String
    public var donor: String
    public var amount: MoneyJSON
    public var receivedOn: String
    public var reference: String
    public var replayed: Bool

    public init(_ contribution: FundStore.Contribution) {
        transaction = contribution.transactionID
        fund = contribution.fundID
        donor = contribution.donor
        amount = MoneyJSON(contribution.amount)
        receivedOn = contribution.receivedOn.description
        reference = contribution.reference
        replayed = contribution.replayed
    }
}

/// A stored pain.001 file, without its bytes (`payments files`, `GET /payments/files`).
public struct PaymentFileJSON: Codable, Sendable {
    public var messageID: String
    public var format: String
    public var state: String
    public var funds: [String]
    public var payments: Int
    public var controlSum: String
    public var requestedExecution: CalendarDay
    public var createdBy: String
    public var createdAt: Date
    public var deliveredAt: Date?
    public var deliveries: Int

    public init(_ file: PaymentFile) {
        messageID = file.messageID
        format = file.format
        state = file.state.rawValue
        funds = file.fundIDs
        payments = file.payments
        controlSum = file.controlSum
        requestedExecution = file.requestedExecution
        createdBy = file.createdBy
        createdAt = file.createdAt
        deliveredAt = file.deliveredAt
        deliveries = file.deliveries
    }
}
