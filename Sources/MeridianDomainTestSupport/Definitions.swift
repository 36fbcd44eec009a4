/// Definitions the engine tests run.
public enum Definitions {
    /// A review: an author submits, nine distinct approvers (not the author) approve, a check
    /// task runs, then it is done. Timers on the waiting states.
    public static func review(version: Int = 1, quorum: Int = 9, extraState: Bool = false) -> String {
        """
        <workflow xmlns="urn:meridian:workflow:1" id="review" version="\(version)" initial="draft">
          <roles><role id="author"/><role id="approver"/></roles>
          <state id="draft">
            <timer after="P3D" event="draft-expired"/>
            <on event="submit" target="approval" role="author"/>
            <on event="draft-expired" target="expired"/>
          </state>
          <state id="approval">
            <timer after="P5D" event="approval-overdue"/>
            <approval id="review" role="approver" quorum="\(quorum)" on-approved="approved" on-rejected="rejected">
              <distinct-from event="submit"/>
            </approval>
            <on event="approved" target="checking"/>
            <on event="rejected" target="draft"/>
            <on event="approval-overdue" target="expired"/>
          </state>
          <state id="checking">
            <entry><task name="check" max-attempts="2"/></entry>
            <on event="checked" target="\(extraState ? "archiving" : "done")"/>
            <on event="check-failed" target="draft"/>
          </state>
        \(extraState ? """
          <state id="archiving">
            <entry><task name="notify"/></entry>
            <on event="archived" target="done"/>
          </state>
        """ : "")
          <final id="done"/>
          <final id="expired"/>
        </workflow>
        """
    }

    /// A chain of `steps` states, each with one task whose result moves to the next.
    public static func chain(steps: Int = 10) -> String {
        var states = ""
        for index in 1...steps {
            let next = index == steps ? "finished" : "s\(index + 1)"
            states += """
              <state id="s\(index)">
                <entry><task name="step" max-attempts="3"/></entry>
                <on event="next" target="\(next)"/>
              </state>

            """
        }
        return """
        <workflow xmlns="urn:meridian:workflow:1" id="chain" version="1" initial="s1">
          <roles><role id="operator"/></roles>
        \(states)
          <final id="finished"/>
        </workflow>
        """
    }
}
