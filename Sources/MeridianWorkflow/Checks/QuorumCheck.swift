import MeridianCodes

/// `impossible-quorum`: quorums are at least 1 and at most the allowed maximum, a larger
/// quorum above an amount is larger, and the amount it depends on is named.
struct QuorumCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let maximum = context.limits.maxQuorum
        for state in definition.states {
            for approval in state.approvals {
                func report(_ location: SourceLocation, _ message: String) {
                    diagnostics.append(context.diagnostic(.impossibleQuorum, at: location, "approval '\(approval.id)': \(message)"))
                }
                if approval.quorum < 1 {
                    report(approval.positions.of("quorum"), "a quorum of \(approval.quorum) would approve without anyone deciding; use 1 or more")
                } else if approval.quorum > maximum {
                    report(approval.positions.of("quorum"), "a quorum of \(approval.quorum) is more than the allowed \(maximum) approvers")
                }
                if !approval.quorumAbove.isEmpty && approval.amountKey == nil {
                    report(approval.positions.element, "<quorum-above> needs amount=\"…\" on the approval to name the amount it compares")
                }
                var seenThresholds: Set<String> = []
                for tier in approval.quorumAbove {
                    if tier.threshold == nil {
                        report(tier.positions.of("currency"), "'\(tier.currencyCode)' is not an ISO 4217 currency code; write one such as USD, EUR or XOF")
                    }
                    if tier.count < 1 || tier.count > maximum {
                        report(tier.positions.of("count"), "a quorum of \(tier.count) above \(tier.thresholdText) is impossible; use 1 to \(maximum)")
                    } else if tier.count <= approval.quorum {
                        report(tier.positions.of("count"), "the quorum above \(tier.thresholdText) is \(tier.count), not larger than the base quorum \(approval.quorum)")
                    }
                    if !seenThresholds.insert("\(tier.minorUnits) \(tier.currencyCode)").inserted {
                        report(tier.positions.of("amount"), "the threshold \(tier.thresholdText) is given twice")
                    }
                }
            }
        }
        return diagnostics
    }
}
