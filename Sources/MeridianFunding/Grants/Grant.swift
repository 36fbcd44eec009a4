import MeridianCodes
import Foundation

/// A grant from a trust fund to one exchange, and the country's own share of the plan.
public struct Grant: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Waiting for the fund approvers' votes.
        case requested
        /// Approved: the amount is committed in the fund's ledger.
        case committed
        /// The commitment was released (a payment held); it may be approved again.
        case released
        case rejected
        case cancelled
        /// Every instalment paid.
        case closed
    }

    public var id: UUID
    /// The exchange instance the grant funds.
    public var instanceID: UUID?
    public var fundID: String
    public var title: String
    /// ISO 3166-1 alpha-2 code of the requesting country (empty when unknown).
    public var recipientCountry: String
    public var amount: Money
    /// The requesting country's own contribution to the plan's budget: recorded, never paid
    /// through Meridian.
    public var coFinancing: Money
    /// Percentages of the amount paid in each instalment, in order.
    public var instalments: [Int]
    public var status: Status
    /// Who filed the exchange request (fired `submit`) and who submitted the plan.
    public var requestedBy: String
    public var planAuthor: String
    public var requestedAt: Date
    public var updatedAt: Date
    /// How the fund was named, by whom, and why (a program manager's reason).
    public var fundChoice: FundChoice?

    /// Who named a grant's fund, and how.
    public struct FundChoice: Sendable, Hashable, Codable {
        public enum How: String, Sendable, Hashable, Codable {
            /// The only fund kept in the grant's currency.
            case `default`
            /// The plan file's `"fund"`.
            case plan
            /// The program manager, at funding review (`meridian grant fund`).
            case fundingReview = "funding-review"
            /// The instance's context value `fund` (the standalone grant workflow).
            case context
        }
        public var how: How
        public var by: String
        public var at: Date
        public var reason: String?

        /// "named in the plan by amani", for `grant show`.
        public var description: String {
            switch how {
            case .default: "the only fund in its currency"
            case .plan: "named in the plan by \(by)"
            case .fundingReview: "chosen at funding review by \(by)" + (reason.map { ": \($0)" } ?? "")
            case .context: "named in the exchange's context by \(by)"
            }
        }
    }

    /// The amount of each instalment (the last takes the rounding remainder).
    public var instalmentAmounts: [Money] {
        Instalments.amounts(of: amount.minorUnits, percents: instalments).map { Money(minorUnits: $0, currency: amount.currency) }
    }

    /// The plan's whole budget: the grant and the co-financing (when in the same currency).
    public var planBudget: Money? {
        coFinancing.currency == amount.currency ? try? amount.adding(coFinancing) : nil
    }
}
