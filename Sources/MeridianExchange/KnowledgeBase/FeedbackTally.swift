/// How many officials found an experience useful and how many did not: what the matcher's
/// outcome component takes from their feedback.
public struct FeedbackTally: Sendable, Codable, Equatable {
    public var useful: Int
    public var notUseful: Int

    public init(useful: Int, notUseful: Int) {
        self.useful = useful
        self.notUseful = notUseful
    }

    public static let none = FeedbackTally(useful: 0, notUseful: 0)
}
