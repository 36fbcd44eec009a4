import MeridianCodes
import Foundation
import MeridianXML

/// Writes IATI activities as an `iati-activities` document of the standard, version 2.03.
///
/// Pure: a value in, text out. Elements follow the schema's order (identifier, reporting
/// org, title, description, participating orgs, status, dates, recipient country, sector,
/// budget, transactions — commitment code 2, disbursement code 3 —, related activities,
/// results with indicators); every text sits in a `narrative`. Tests validate the output
/// against the published XSD.
public enum IATIActivityWriter {
    public static func write(_ activities: [IATIActivity], generatedAt: Date = Date()) -> String {
        var xml = XMLWriter()
        xml.element("iati-activities", ["version": "2.03", "generated-datetime": dateTime(generatedAt)]) { xml in
            for activity in activities { write(activity, into: &xml) }
        }
        return xml.text
    }

    private static func write(_ activity: IATIActivity, into xml: inout XMLWriter) {
        xml.element("iati-activity", ["last-updated-datetime": dateTime(activity.lastUpdated), "xml:lang": "en",
                                      "default-currency": activity.defaultCurrency.code]) { xml in
            xml.element("iati-identifier", text: activity.identifier)
            organisation(&xml, "reporting-org", activity.reportingOrg, extra: [:])
            narrative(&xml, "title", activity.title)
            if let description = activity.description { xml.element("description", ["type": "1"]) { narrativeOnly(&$0, description) } }
            for participant in activity.participants {
                xml.element("participating-org", ["ref": participant.organisation.ref, "type": participant.organisation.type,
                                                  "role": String(participant.role)]) { narrativeOnly(&$0, participant.organisation.name) }
            }
            xml.element("activity-status", ["code": String(activity.status)])
            for date in activity.dates {
                xml.element("activity-date", ["iso-date": date.day.description, "type": String(date.type)])
            }
            if let country = activity.recipientCountry {
                xml.element("recipient-country", ["code": country, "percentage": "100"])
            }
            for sector in activity.sectors {
                xml.element("sector", ["vocabulary": sector.vocabulary, "code": sector.code, "percentage": sector.percentage.map { String($0) }])
            }
            for budget in activity.budgets {
                xml.element("budget", ["type": "1", "status": "2"]) { xml in
                    xml.element("period-start", ["iso-date": budget.start.description])
                    xml.element("period-end", ["iso-date": budget.end.description])
                    value(&xml, budget.value, date: budget.valueDate)
                }
            }
            for transaction in activity.transactions {
                xml.element("transaction", ["ref": transaction.reference]) { xml in
                    xml.element("transaction-type", ["code": String(transaction.type)])
                    xml.element("transaction-date", ["iso-date": transaction.date.description])
                    value(&xml, transaction.value, date: transaction.date)
                    if let description = transaction.description { narrative(&xml, "description", description) }
                    if let provider = transaction.provider { organisation(&xml, "provider-org", provider, extra: [:]) }
                    if let receiver = transaction.receiver { organisation(&xml, "receiver-org", receiver, extra: [:]) }
                }
            }
            for related in activity.related {
                xml.element("related-activity", ["ref": related.identifier, "type": String(related.type)])
            }
            for result in activity.results {
                xml.element("result", ["type": String(result.type), "aggregation-status": "0"]) { xml in
                    narrative(&xml, "title", result.title)
                    if let description = result.description { narrative(&xml, "description", description) }
                    for indicator in result.indicators {
                        xml.element("indicator", ["measure": String(indicator.measure), "ascending": indicator.ascending ? "1" : "0"]) { xml in
                            narrative(&xml, "title", indicator.title)
                            if let year = indicator.baselineYear {
                                xml.element("baseline", ["year": String(year), "iso-date": "\(year)-01-01", "value": indicator.baselineValue])
                            }
                            if let start = indicator.periodStart, let end = indicator.periodEnd {
                                xml.element("period") { xml in
                                    xml.element("period-start", ["iso-date": start.description])
                                    xml.element("period-end", ["iso-date": end.description])
                                    if let target = indicator.target { xml.element("target", ["value": target]) }
                                    if let actual = indicator.actual { xml.element("actual", ["value": actual]) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func organisation(_ xml: inout XMLWriter, _ name: String, _ organisation: IATIActivity.Organisation, extra: [String: String]) {
        xml.element(name, ["ref": organisation.ref, "type": organisation.type]) { narrativeOnly(&$0, organisation.name) }
    }

    private static func narrative(_ xml: inout XMLWriter, _ name: String, _ text: String) {
        xml.element(name) { narrativeOnly(&$0, text) }
    }

    private static func narrativeOnly(_ xml: inout XMLWriter, _ text: String) {
        xml.element("narrative", text: text)
    }

    private static func value(_ xml: inout XMLWriter, _ money: Money, date: CalendarDay) {
        xml.element("value", ["currency": money.currency.code, "value-date": date.description], text: money.decimalText)
    }

    private static func dateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
