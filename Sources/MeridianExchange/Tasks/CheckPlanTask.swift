import Foundation
import Logging
import MeridianEngine
import PostgresNIO
import MeridianFunding

/// `check-plan-consistency`: checks the submitted plan version again (against its submission
/// day), records the finding on the version and tells the program manager, so funding review
/// starts from a checked plan with its totals.
enum CheckPlanTask {
    static func run(_ input: TaskInput, context: TaskContext, logger: Logger) async throws -> TaskResult {
        try await context.transaction(logger: logger) { connection in
            let plans = try await PlanStore.all(input.instanceID, on: connection, logger: logger)
            guard let submitted = plans.last(where: { $0.submittedAt != nil }), let submittedAt = submitted.submittedAt else {
                throw ExchangeError(.conflict, "the exchange \(input.instanceID) has no submitted plan to check")
            }
            let check = PlanCheck(submitted.plan, today: CalendarDay(submittedAt.addingTimeInterval(-86_400)))
            let totals = check.totals
            let money = [totals.grant.map { "grant \($0)" }, totals.coFinancing.map { "co-financing \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            let participants = submitted.plan.activities.reduce(0) { $0 + $1.participants.count }
            let result = check.isConsistent
                ? "consistent: \(submitted.plan.activities.count) activities, \(participants) participants, \(money)"
                : "inconsistent: " + check.problems.joined(separator: "; ")
            try await connection.query("""
                UPDATE exchange_plans SET checked_at = \(input.now), check_result = \(result)
                WHERE exchange_id = \(input.instanceID) AND version = \(submitted.version)
                """, logger: logger)
            try await NotificationStore.write(
                ExchangeNotification(task: input.task, recipientRole: "program-manager", recipientCountry: nil,
                                     message: "Plan version \(submitted.version) of \(input.instanceID.uuidString.lowercased()) checked: \(result).",
                                     createdAt: input.now),
                exchange: input.instanceID, jobID: input.jobID, on: connection, logger: logger)
        }
        return .done
    }
}
