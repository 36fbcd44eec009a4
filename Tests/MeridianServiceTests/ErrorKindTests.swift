import MeridianExchange
import MeridianFunding
import MeridianHTTP
import MeridianIdentity
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
