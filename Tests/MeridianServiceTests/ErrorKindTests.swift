import MeridianCodes
import MeridianEngine
import MeridianPostgres
import MeridianXML
import MeridianExchange
import MeridianShippedWorkflows
import MeridianWorkflow
import MeridianFunding
import MeridianHTTP
import MeridianIdentity
import MeridianQueue
import MeridianService
import Testing
import HTTPTypes

/// One classification of every module's errors, and the API's status for each kind.
@Suite struct ErrorKindTests {
    @Test func modulesErrorsAreSortedIntoKinds() {
        #expect(ServiceError.classify(ExchangeError(.notFound, "x"))?.kind == .notFound)
        #expect(ServiceError.classify(ExchangeError(.permissionDenied, "x"))?.kind == .forbidden)
        #expect(ServiceError.classify(FundingError(.invalidInput, "x"))?.kind == .invalidData)
        #expect(ServiceError.classify(FundingError(.refused, "x"))?.kind == .refused)
        #expect(ServiceError.classify(IdentityError(.unauthenticated, "x"))?.kind == .unauthenticated)
        #expect(ServiceError.classify(IdentityError(.forbidden, "x"))?.kind == .forbidden)
        #expect(ServiceError.classify(EngineError(.concurrentChange, "x"))?.kind == .conflict)
        #expect(ServiceError.classify(QueueError(.notFound, "x"))?.kind == .notFound)
        #expect(ServiceError.classify(DatabaseError(.timedOut, "x"))?.kind == .unavailable)
        #expect(ServiceError.classify(CancellationError()) == nil)
    }

    /// Every module's error is a `MeridianFailure`: one protocol, so an error of a module the
    /// classification was never told about (the XML parser's, before) still gets its kind.
    @Test func everyModulesErrorIsAMeridianFailure() {
        let failures: [any MeridianFailure] = [
            ExchangeError(.notFound, "x"), EngineError(.notFound, "x"), FundingError(.notFound, "x"), IdentityError(.notFound, "x"),
            QueueError(.notFound, "x"), DatabaseError(.timedOut, "x"), XMLInputError(.doctypeForbidden, "x"),
            WorkflowLoadingError(code: .schemaUnusable, message: "x"),
        ]
        #expect(Set(failures.map { type(of: $0).domain }).count == failures.count)
        #expect(ServiceError.classify(XMLInputError(.doctypeForbidden, "a DOCTYPE is not allowed"))?.kind == .invalidData)
        #expect(ServiceError.classify(XMLInputError(.schemaUnusable, "x"))?.kind == .failure)
    }

    /// The classified error keeps the one it came from (for logs), and its line is the module's.
    @Test func classificationKeepsTheUnderlyingError() throws {
        struct Cause: Error {}
        let original = FundingError(.refused, "not enough money in the fund", hint: "record a contribution", underlying: Cause())
        let classified = try #require(ServiceError.classify(original))
        #expect(classified.message == "not enough money in the fund; record a contribution")
        let kept = try #require(classified.underlying as? FundingError)
        #expect(kept.code == .refused && kept.underlying is Cause)
        #expect(classified.logCode == "funding.refused")
    }

    @Test func everyKindHasAnHTTPStatus() {
        let statuses = ServiceError.Kind.all.map { Problem.status(of: $0).code }
        #expect(statuses == [400, 422, 404, 401, 403, 409, 409, 503, 500])
    }

    @Test func aServerFailureDoesNotShowItsCause() {
        let problem = Problem.from(ServiceError(.failure, "the database refused or failed: relation \"secret\" does not exist"))
        #expect(problem.status == 500 && !problem.detail.contains("secret"))
        #expect(problem.type == "urn:meridian:problem:failure")
    }
}

/// The domains plug their names into the engine; the shipped workflows name nothing else, and
/// a worker of the service runs every task they name.
@Suite struct DomainPluginsTests {
    @Test func shippedWorkflowsValidateAgainstTheDomainsPlugins() throws {
        let loader = try WorkflowLoader(registry: DomainPlugins.registry)
        for name in ["knowledge-exchange", "grant"] {
            let result = loader.load(contentsOf: ShippedWorkflows.url(named: name))
            #expect(result.diagnostics.isEmpty, "\(name): \(result.diagnostics)")
        }
    }

    @Test func theEngineKnowsNoDomainOnItsOwn() throws {
        let loader = try WorkflowLoader(registry: ContextGuards.registry)
        #expect(!loader.load(contentsOf: ShippedWorkflows.url(named: "knowledge-exchange")).diagnostics.isEmpty)
        #expect(ContextGuards.registry.tasks.isEmpty)
    }

    @Test func everyDeclaredTaskHasAHandler() async throws {
        try await ServiceFixture.with { f in
            let kinds = Set(f.service.workerHandlers().kinds.map(\.rawValue))
            for task in DomainPlugins.registry.tasks where !FundingTasks.inStepNames.contains(task) {
                #expect(kinds.contains("workflow-task:\(task)"), "no worker handler for \(task)")
            }
        }
    }
}
