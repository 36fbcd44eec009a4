extension Exchanges {
    /// The events of an exchange whose effects this module (or the funding module) records in
    /// the same transaction as the step — a partner's answer, a plan version, a grant's status,
    /// a payment instruction — with the command that fires them so. Fired bare (`meridian
    /// instance fire`), the workflow would move on without those rows.
    public static let eventsWithRecords: [String: String] = [
        "select-partner": "meridian exchange select-partner ID COUNTRY",
        "confirm": "meridian exchange confirm ID",
        "decline-invitation": "meridian exchange decline ID --reason …",
        "submit-plan": "meridian exchange plan submit ID",
        "submit-report": "meridian exchange report submit ID FILE",
        "accept-report": "meridian exchange review ID accept",
        "request-revision": "meridian exchange review ID revise --comment …",
        "approve-grant": "meridian approve ID (or meridian grant approve GRANT)",
        "reject-grant": "meridian reject ID --comment … (or meridian grant reject GRANT)",
        "disburse": "meridian disburse GRANT --beneficiary … --iban …",
    ]
}
