/// `bad-duration`: timer durations are ISO 8601, not zero, and not longer than allowed.
struct DurationCheck: DefinitionCheck {
    func check(_ definition: WorkflowDefinition, in context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let longest = context.limits.longestTimer
        for state in definition.states {
            for timer in state.timers {
                let location = timer.positions.of("after")
                do {
                    let duration = try ISODuration(parsing: timer.afterText)
                    if duration.isZero {
                        diagnostics.append(context.diagnostic(.badDuration, at: location,
                            "timer '\(timer.event)' in state '\(state.id)' has a zero duration '\(timer.afterText)'"))
                    } else if duration.approximateSeconds > longest.approximateSeconds {
                        diagnostics.append(context.diagnostic(.badDuration, at: location,
                            "timer '\(timer.event)' in state '\(state.id)' waits '\(timer.afterText)', longer than the allowed \(longest)"))
                    }
                } catch {
                    diagnostics.append(context.diagnostic(.badDuration, at: location,
                        "timer '\(timer.event)' in state '\(state.id)': \(error.description)"))
                }
            }
        }
        return diagnostics
    }
}
