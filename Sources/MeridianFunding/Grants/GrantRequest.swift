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

    public init(instanceID: UUID, fundID: String, title: String, recipientCountry: String, amount: Money, coFinancing: Money? = nil,
                instalments: [Int] = [100], requestedBy: String, planAuthor: String) {
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
