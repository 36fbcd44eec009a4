import MeridianCodes
import Foundation

/// What an exchange asks a fund for when its plan is submitted.
public struct GrantRequest: Sendable, Hashable {
    public var instanceID: UUID
    public var fundID: String
    public var title: String
    public var recipientCountry: String
    public var amount: Money
    public var coFinancing: Money
    public var instalments: [Int]
    public var requestedBy: String
    public var planAuthor: String
    /// How the fund was named (the plan, the only fund in the currency, the context) and by whom.
    public var fundChosenHow: Grant.FundChoice.How
    public var fundChosenBy: String

    public init(instanceID: UUID, fundID: String, title: String, recipientCountry: String, amount: Money, coFinancing: Money? = nil,
                instalments: [Int] = [100], requestedBy: String, planAuthor: String, fundChosenHow: Grant.FundChoice.How = .context,
                fundChosenBy: String? = nil) {
        self.fundChosenHow = fundChosenHow
        self.fundChosenBy = fundChosenBy ?? planAuthor
        self.instanceID = instanceID
        self.fundID = fundID
        self.title = title
        self.recipientCountry = recipientCountry
        self.amount = amount
        self.coFinancing = coFinancing ?? .zero(amount.currency)
        self.instalments = instalments
        self.requestedBy = requestedBy
        self.planAuthor = planAuthor
    }
}
