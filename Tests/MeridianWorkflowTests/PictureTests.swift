import MeridianWorkflow
import Testing

@Suite("Pictures")
struct PictureTests {
    @Test(arguments: ["knowledge-exchange", "grant"])
    func mermaidAndDotShowEveryStateAndTransition(_ name: String) throws {
        let definition = try Fixtures.shipped(name)
        let mermaid = MermaidDiagram.text(of: definition)
        let dot = DotDiagram.text(of: definition)
        #expect(mermaid.contains("stateDiagram-v2"))
        #expect(dot.hasPrefix("digraph "))
        for state in definition.states {
            #expect(mermaid.contains("state \"\(state.id)\" as "), "mermaid lacks \(state.id)")
            #expect(dot.contains("[label=\"\(state.id)"), "dot lacks \(state.id)")
        }
        let transitions = definition.states.flatMap(\.transitions)
        let mermaidEdges = mermaid.split(separator: "\n").filter { $0.contains(" --> ") && !$0.contains("[*]") }
        let dotEdges = dot.split(separator: "\n").filter { $0.contains(" -> ") && !$0.contains("start ->") }
        #expect(mermaidEdges.count == transitions.count)
        #expect(dotEdges.count == transitions.count)
        for transition in transitions {
            #expect(mermaid.contains(": \(transition.event)"), "mermaid lacks \(transition.event)")
            #expect(dot.contains("label=\"\(transition.event)"), "dot lacks \(transition.event)")
        }
        #expect(dot.filter { $0 == "{" }.count == dot.filter { $0 == "}" }.count)
    }
}
