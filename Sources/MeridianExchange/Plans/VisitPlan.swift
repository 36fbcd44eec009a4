import MeridianCodes
import MeridianFunding

/// How the two countries will meet and what it costs: activities (each one of the
/// instruments) with dates, a place or a link and participants, and budget lines that say
/// who pays them.
///
/// As a file (`meridian exchange plan import ID FILE`):
/// ```json
/// {"activities": [{"instrument": "study-visit", "title": "Cadastre offices in Kigali",
///                  "start": "2027-03-01", "end": "2027-03-05", "place": "Kigali, Rwanda",
///                  "participants": [{"name": "Ana Souza", "institution": "INCRA", "country": "BRA", "role": "host"}]}],
///  "budget": [{"category": "travel", "description": "Flights for four", "amount_minor": 1200000,
///              "currency": "USD", "paid_by": "grant"}],
///  "fund": "rapid-response"}
/// ```
/// A key the plan does not know is refused, not ignored (``VisitPlan/decode(_:file:)``).
public struct VisitPlan: Sendable, Codable, Equatable {
    public struct Participant: Sendable, Codable, Equatable {
        public var name: String
        public var institution: String
        /// ISO 3166-1 alpha-3.
        public var country: String
        /// What the person does in the activity (host, visitor, expert, interpreter…).
        public var role: String

        public init(name: String, institution: String, country: String, role: String) {
            self.name = name
            self.institution = institution
            self.country = country
            self.role = role
        }
    }

    public struct Activity: Sendable, Codable, Equatable {
        public var instrument: Instrument
        public var title: String
        public var start: CalendarDay
        public var end: CalendarDay
        /// Where it happens (in-person instruments).
        public var place: String?
        /// The meeting link (videoconferences).
        public var link: String?
        public var participants: [Participant]

        public init(instrument: Instrument, title: String, start: CalendarDay, end: CalendarDay, place: String? = nil,
                    link: String? = nil, participants: [Participant]) {
            self.instrument = instrument
            self.title = title
            self.start = start
            self.end = end
            self.place = place
            self.link = link
            self.participants = participants
        }
    }

    /// Who pays a budget line.
    public enum Payer: String, Sendable, Codable, CaseIterable {
        /// The trust fund's grant: the lines funding review approves.
        case grant
        /// The requesting country's own budget.
        case coFinancing = "co-financing"
    }

    public struct BudgetLine: Sendable, Codable, Equatable {
        public var category: BudgetCategory
        public var description: String
        /// Integer minor units of `currency` (cents for USD), never a decimal.
        public var amountMinor: Int64
        /// ISO 4217.
        public var currency: String
        public var paidBy: Payer

        enum CodingKeys: String, CodingKey {
            case category, description, currency
            case amountMinor = "amount_minor"
            case paidBy = "paid_by"
        }

        /// The line's amount, `nil` when its currency is not ISO 4217 (``PlanCheck`` reports it).
        public var amount: Money? { Currency(code: currency).map { Money(minorUnits: amountMinor, currency: $0) } }

        /// Decodes the file's snake_case keys, also when Meridian's wire decoder has turned
        /// them into camelCase first (``SnakeCaseKeys``).
        public init(from decoder: any Decoder) throws {
            let (container, key) = try decoder.fileContainer(CodingKeys.self)
            category = try container.decode(BudgetCategory.self, forKey: key(.category))
            description = try container.decode(String.self, forKey: key(.description))
            amountMinor = try container.decode(Int64.self, forKey: key(.amountMinor))
            currency = try container.decode(String.self, forKey: key(.currency))
            paidBy = try container.decode(Payer.self, forKey: key(.paidBy))
        }

        public init(category: BudgetCategory, description: String, amountMinor: Int64, currency: String, paidBy: Payer) {
            self.category = category
            self.description = description
            self.amountMinor = amountMinor
            self.currency = currency
            self.paidBy = paidBy
        }
    }

    public var activities: [Activity]
    public var budget: [BudgetLine]
    /// How the grant is paid, in whole percentages adding up to 100: the first part when the
    /// grant is disbursed, the others after the results report (`[70, 30]`). Absent: all at once.
    public var instalments: [Int]?
    /// The trust fund asked for (its id). Absent: the only fund kept in the grant's currency;
    /// with several such funds the plan must name one (or the program manager chooses it at
    /// funding review with `meridian grant fund`).
    public var fund: String?

    public init(activities: [Activity], budget: [BudgetLine], instalments: [Int]? = nil, fund: String? = nil) {
        self.activities = activities
        self.budget = budget
        self.instalments = instalments
        self.fund = fund
    }

    /// The first day of the first activity and the last day of the last one.
    public var period: (start: CalendarDay, end: CalendarDay)? {
        guard let start = activities.map(\.start).min(), let end = activities.map(\.end).max() else { return nil }
        return (start, end)
    }
}

/// What a budget line pays for.
public enum BudgetCategory: String, Sendable, Codable, CaseIterable {
    case travel, accommodation
    case perDiem = "per-diem"
    case venue, interpretation, translation
    case expertFees = "expert-fees"
    case communications, other

    public static var codes: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
