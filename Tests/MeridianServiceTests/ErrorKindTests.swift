import MeridianEngine
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
        #expect(ServiceError.classify(CancellationError()) == nil)
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
