import MeridianCodes
import Foundation

/// One IATI activity (standard 2.03) as a plain value: what ``IATIActivityWriter`` writes.
///
/// Builders fill it from the database (a fund and its grants here; an exchange with its
/// results in the exchange module); the writer needs nothing else.
public struct IATIActivity: Sendable, Hashable {
    public struct Organisation: Sendable, Hashable {
        /// The organisation identifier (`XM-DAC-41114`), when it has one.
        public var ref: String?
        /// The IATI OrganisationType code (`10` government, `40` multilateral, `80` academic…).
        public var type: String?
        public var name: String
        public init(ref: String? = nil, type: String? = nil, name: String) {
            self.ref = ref
            self.type = type
            self.name = name
        }
    }

    public struct Participant: Sendable, Hashable {
        /// OrganisationRole: 1 funding, 2 accountable, 3 extending, 4 implementing.
        public var role: Int
        public var organisation: Organisation
        public init(role: Int, organisation: Organisation) {
            self.role = role
            self.organisation = organisation
        }
    }

    public struct Sector: Sendable, Hashable {
        /// A DAC 5-digit purpose code (vocabulary 1) or another vocabulary's code.
        public var code: String
        public var vocabulary: String
        public var percentage: Int?
        public init(code: String, vocabulary: String = "1", percentage: Int? = nil) {
            self.code = code
            self.vocabulary = vocabulary
            self.percentage = percentage
        }
    }

    public struct Budget: Sendable, Hashable {
        public var start: CalendarDay
        public var end: CalendarDay
        public var value: Money
        public var valueDate: CalendarDay
        public init(start: CalendarDay, end: CalendarDay, value: Money, valueDate: CalendarDay) {
            self.start = start
            self.end = end
            self.value = value
            self.valueDate = valueDate
        }
    }

    public struct Transaction: Sendable, Hashable {
        /// TransactionType: 1 incoming funds, 2 outgoing commitment, 3 disbursement, 11 incoming commitment.
        public var type: Int
        public var date: CalendarDay
        public var value: Money
        public var description: String?
        public var provider: Organisation?
        public var receiver: Organisation?
        public var reference: String?
        public init(type: Int, date: CalendarDay, value: Money, description: String? = nil, provider: Organisation? = nil,
                    receiver: Organisation? = nil, reference: String? = nil) {
            self.type = type
            self.date = date
            self.value = value
            self.description = description
            self.provider = provider
            self.receiver = receiver
            self.reference = reference
        }
    }

    public struct Indicator: Sendable, Hashable {
        public var title: String
        /// IndicatorMeasure: 1 unit, 2 percentage, 5 qualitative.
        public var measure: Int
        public var ascending: Bool
        public var baselineYear: Int?
        public var baselineValue: String?
        public var periodStart: CalendarDay?
        public var periodEnd: CalendarDay?
        public var target: String?
        public var actual: String?

        public init(title: String, measure: Int = 1, ascending: Bool = true, baselineYear: Int? = nil, baselineValue: String? = nil,
                    periodStart: CalendarDay? = nil, periodEnd: CalendarDay? = nil, target: String? = nil, actual: String? = nil) {
            self.title = title
            self.measure = measure
            self.ascending = ascending
            self.baselineYear = baselineYear
            self.baselineValue = baselineValue
            self.periodStart = periodStart
            self.periodEnd = periodEnd
            self.target = target
            self.actual = actual
        }
    }

    public struct Result: Sendable, Hashable {
        /// ResultType: 1 output, 2 outcome, 3 impact.
        public var type: Int
        public var title: String
        public var description: String?
        public var indicators: [Indicator]
        public init(type: Int, title: String, description: String? = nil, indicators: [Indicator]) {
            self.type = type
            self.title = title
            self.description = description
            self.indicators = indicators
        }
    }

    public var identifier: String
    public var reportingOrg: Organisation
    public var title: String
    public var description: String?
    public var participants: [Participant]
    /// ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, 5 cancelled.
    public var status: Int
    /// ActivityDateType → day: 1 planned start, 2 actual start, 3 planned end, 4 actual end.
    public var dates: [DateEntry]
    /// ISO 3166-1 alpha-2.
    public var recipientCountry: String?
    public var sectors: [Sector]
    public var defaultCurrency: Currency
    public var budgets: [Budget]
    public var transactions: [Transaction]
    /// Identifiers of related activities (type 1 parent, 2 child).
    public var related: [RelatedActivity]
    public var results: [Result]
    public var lastUpdated: Date

    public struct DateEntry: Sendable, Hashable {
        public var type: Int
        public var day: CalendarDay
        public init(type: Int, day: CalendarDay) {
            self.type = type
            self.day = day
        }
    }

    public struct RelatedActivity: Sendable, Hashable {
        public var type: Int
        public var identifier: String
        public init(type: Int, identifier: String) {
            self.type = type
            self.identifier = identifier
        }
    }

    public init(identifier: String, reportingOrg: Organisation, title: String, description: String? = nil, participants: [Participant],
                status: Int, dates: [DateEntry], recipientCountry: String? = nil, sectors: [Sector] = [],
                defaultCurrency: Currency, budgets: [Budget] = [], transactions: [Transaction] = [], related: [RelatedActivity] = [],
                results: [Result] = [], lastUpdated: Date = Date()) {
        self.identifier = identifier
        self.reportingOrg = reportingOrg
        self.title = title
        self.description = description
        self.participants = participants
        self.status = status
        self.dates = dates
        self.recipientCountry = recipientCountry
        self.sectors = sectors
        self.defaultCurrency = defaultCurrency
        self.budgets = budgets
        self.transactions = transactions
        self.related = related
        self.results = results
        self.lastUpdated = lastUpdated
    }
}
