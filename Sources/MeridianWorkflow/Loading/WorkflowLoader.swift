import CLibXML2
import Foundation

/// Reads, validates and checks workflow definitions.
///
/// Create one loader and reuse it: it compiles the XSD once. Loading never throws for a bad
/// definition; every problem becomes a `Diagnostic` in the result. Loads may run
/// concurrently from several tasks.
public struct WorkflowLoader: Sendable {
    public var registry: WorkflowRegistry
    public var limits: LoadingLimits
    private let schema: WorkflowSchema

    /// - Parameters:
    ///   - registry: the tasks and guards definitions may name.
    ///   - limits: bounds on size, depth, quorums and timers.
    public init(registry: WorkflowRegistry, limits: LoadingLimits = .standard) throws(WorkflowLoadingError) {
        self.registry = registry
        self.limits = limits
        self.schema = try WorkflowSchema()
    }

    /// Loads a definition file, reading at most `limits.maxBytes + 1` bytes of it.
    ///
    /// - Parameter label: how diagnostics name the file (default: the path as given).
    public func load(contentsOf url: URL, label: String? = nil) -> LoadResult {
        let file = label ?? url.path
        let bytes: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            bytes = [UInt8](try handle.read(upToCount: limits.maxBytes + 1) ?? Data())
        } catch {
            return LoadResult(file: file, definition: nil, diagnostics: [
                Diagnostic(file: file, location: .start, rule: .unreadableFile, message: "cannot read the file: \(error.localizedDescription)"),
            ])
        }
        return load(bytes: bytes, file: file)
    }

    /// Loads a definition from bytes; `file` names it in diagnostics.
    public func load(bytes: [UInt8], file: String) -> LoadResult {
        guard bytes.count <= limits.maxBytes else {
            return LoadResult(file: file, definition: nil, diagnostics: [
                Diagnostic(file: file, location: .start, rule: .fileTooLarge,
                           message: "the file is larger than \(limits.maxBytes) bytes; definitions are small, so this is refused unread"),
            ])
        }
        guard !bytes.isEmpty else {
            return LoadResult(file: file, definition: nil, diagnostics: [
                Diagnostic(file: file, location: .start, rule: .malformedXML, message: "the file is empty; a definition starts with <workflow xmlns=\"\(WorkflowNamespace.uri)\">"),
            ])
        }
        let source = SourceText(bytes: bytes)
        let parser = HardenedParser(file: file, limits: limits)
        var diagnostics = parser.precheck(source)
        guard !diagnostics.containsErrors else { return LoadResult(file: file, definition: nil, diagnostics: diagnostics) }

        let (parsed, parseDiagnostics) = parser.parse(source)
        diagnostics += parseDiagnostics
        guard let document = parsed else { return LoadResult(file: file, definition: nil, diagnostics: diagnostics) }
        defer { document.close() }

        let reader = DocumentReader(source: source)
        guard let rootNode = xmlDocGetRootElement(document.pointer) else {
            diagnostics.append(Diagnostic(file: file, location: .start, rule: .malformedXML, message: "the document has no root element"))
            return LoadResult(file: file, definition: nil, diagnostics: diagnostics)
        }
        let root = reader.read(rootNode)
        guard root.namespace == WorkflowNamespace.uri, root.name == "workflow" else {
            let found = root.namespace.map { "'\($0)'" } ?? "no namespace"
            diagnostics.append(Diagnostic(file: file, location: root.positions.element, rule: .wrongNamespace,
                message: "the root element is <\(root.name)> in \(found); a definition is <workflow xmlns=\"\(WorkflowNamespace.uri)\">"))
            return LoadResult(file: file, definition: nil, diagnostics: diagnostics)
        }
        for violation in schema.validate(document.pointer) {
            let location = violation.node.map { reader.location(of: $0) } ?? SourceLocation(line: max(violation.line, 1), column: 1)
            diagnostics.append(Diagnostic(file: file, location: location, rule: .schemaViolation, message: violation.message))
        }
        let definition = ModelBuilder().build(root)
        diagnostics += SemanticChecker(registry: registry, limits: limits).check(definition, file: file)
        return LoadResult(file: file, definition: definition, diagnostics: diagnostics.sortedByLocation())
    }
}

/// The outcome of loading one definition.
public struct LoadResult: Sendable {
    public var file: String
    /// The definition as far as it could be built; run it only when `isValid`.
    public var definition: WorkflowDefinition?
    /// Every problem found, in file order.
    public var diagnostics: [Diagnostic]

    /// Whether the definition parsed, matched the schema and passed every semantic check.
    public var isValid: Bool { definition != nil && !diagnostics.containsErrors }

    /// The definition, when it is valid.
    public var validDefinition: WorkflowDefinition? { isValid ? definition : nil }
}
