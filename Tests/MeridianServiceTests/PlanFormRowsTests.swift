import Foundation
@testable import MeridianWeb
import Testing

/// The plan's form reads back every row it showed: a plan uploaded whole (up to what a plan may
/// hold) and saved from the form keeps all its activities, participants and budget lines.
@Suite struct PlanFormRowsTests {
    @Test func everyRowTheFormSendsIsRead() {
        var fields: [String] = []
        for a in 0..<25 {
            fields.append("a\(a)_instrument=study-visit&a\(a)_title=Visit+\(a)&a\(a)_start=2027-01-01&a\(a)_end=2027-01-02&a\(a)_place=&a\(a)_link=")
            for p in 0..<13 {
                fields.append("a\(a)_p\(p)_name=Person+\(p)&a\(a)_p\(p)_institution=Ministry&a\(a)_p\(p)_country=COD&a\(a)_p\(p)_role=visitor")
            }
        }
        for b in 0..<45 {
            fields.append("b\(b)_category=travel&b\(b)_description=Line+\(b)&b\(b)_amount=10&b\(b)_currency=USD&b\(b)_paid_by=grant")
        }
        // The empty rows the form adds after the plan's own.
        fields.append("a25_instrument=&a25_title=&a25_start=&a25_end=&a25_place=&a25_link=&b45_category=&b45_description=&b45_amount=&b45_currency=&b45_paid_by=grant")
        let form = PlanForm(FormBody(fields.joined(separator: "&")))
        #expect(form.activities.count == 25)
        #expect(form.activities.allSatisfy { $0.participants.count == 13 })
        #expect(form.budget.count == 45)
        #expect(form.budget.last?.description == "Line 44")
    }
}
