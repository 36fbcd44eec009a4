@testable import MeridianEngine
import Foundation
import Testing

/// The step write's one statement numbers its parameters from their list, not by hand.
@Suite("Step write statement")
struct StepWriteTests {
    @Test("every bound parameter is used in the SQL, and none beyond them")
    func parametersAreNumberedFromTheirList() {
        let sql = StepWrite.Statement.sql
        let used = Set(numbers(in: sql))
        #expect(used == Set(1...StepWrite.Parameter.count), "used \(used.sorted()), bound 1…\(StepWrite.Parameter.count)")
        // Each parameter is cast to one type wherever it is used.
        for parameter in StepWrite.Parameter.allCases where parameter != .jobs {
            let casts = sql.components(separatedBy: "$\(parameter.rawValue)::").dropFirst().map { $0.prefix(while: { $0.isLetter || $0.isNumber || $0 == "[" || $0 == "]" }) }
            #expect(Set(casts).count == 1, "\(parameter) is cast as \(Set(casts))")
        }
    }

    private func numbers(in sql: String) -> [Int] {
        var found: [Int] = []
        var rest = Substring(sql)
        while let dollar = rest.firstIndex(of: "$") {
            let digits = rest[rest.index(after: dollar)...].prefix(while: \.isNumber)
            if let number = Int(digits) { found.append(number) }
            rest = rest[rest.index(after: dollar)...]
        }
        return found
    }
}
