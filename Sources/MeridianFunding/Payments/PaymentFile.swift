import Foundation

/// A pain.001 file as Meridian stored it (`funding_payment_files`): the exact bytes sent, or to
/// be sent, to the bank under its message id.
///
/// An export stores the file and marks its instructions exported in one transaction
/// (`prepared`), then delivers it and records that (`delivered`). A file still `prepared` was
/// stored but its delivery never recorded — the export stopped in between — and the next
/// export delivers it again, the same file with the same MsgId, before it makes a new one.
public struct PaymentFile: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Stored with its instructions marked exported; its delivery is not recorded yet.
        case prepared
        /// Delivered (at least once: a re-delivery sends the same MsgId, which a bank refuses as a duplicate).
        case delivered
    }

    /// The file's MsgId, unique per file.
    public var messageID: String
    /// `pain.001.001.03`.
    public var format: String
    /// The funds it pays from, one payment block each, sorted.
    public var fundIDs: [String]
    /// How many payments it carries, and their control sum as the file writes it.
    public var payments: Int
    public var controlSum: String
    public var initiatingParty: String
    public var requestedExecution: CalendarDay
    /// Who exported it, and when it was made (the file's `CreDtTm`).
    public var createdBy: String
    public var createdAt: Date
    public var state: State
    /// The first recorded delivery, and how many were recorded.
    public var deliveredAt: Date?
    public var deliveries: Int
}
