/// A way of sharing knowledge between two countries; a request wishes for some, and every
/// activity of a visit plan is one. A CHECK constraint on `exchange_requests.instruments`
/// holds the same list.
public enum Instrument: String, CaseIterable, Codable, Sendable {
    case studyVisit = "study-visit"
    case expertVisit = "expert-visit"
    case videoconference
    case technicalConsultation = "technical-consultation"
    case workshop

    /// Whether it happens online (a link) rather than at a place.
    public var isRemote: Bool { self == .videoconference }

    /// The valid codes, for error messages.
    public static var codes: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
