import Hummingbird

/// The pages' addresses. Pages live at the root (`/sign-in`, `/exchanges`…), beside the JSON
/// API's `/api/v1`, which they never call.
extension WebPages {
    /// Adds every page to `router` (``MeridianServer/router`` calls this once).
    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/") { _, _ in redirect("/exchanges") }
        router.get("static/web.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Self.styleSheet)))
        }
        router.get("sign-in") { request, context in try await signInPage(request, logger: context.logger) }
        router.post("sign-in") { request, context in try await signIn(request, logger: context.logger) }
        router.get("sign-in/invite/{secret}") { request, context in
            try await invitePage(request, secret: context.parameters.get("secret") ?? "", logger: context.logger)
        }
        router.post("sign-in/invite/{secret}") { request, context in
            try await useInvite(request, secret: context.parameters.get("secret") ?? "", logger: context.logger)
        }
        router.post("sign-out") { request, context in try await signOut(request, logger: context.logger) }
        router.post("language") { request, context in try await switchLanguage(request, logger: context.logger) }
        router.get("exchanges") { request, context in try await myExchanges(request, logger: context.logger) }
        router.get("exchanges/new") { request, context in try await newRequestPage(request, logger: context.logger) }
        router.post("exchanges/new") { request, context in try await fileRequest(request, logger: context.logger) }
        router.get("exchanges/{id}") { request, context in
            try await exchangePage(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.post("exchanges/{id}/partner") { request, context in
            try await choosePartner(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.post("exchanges/{id}/confirm") { request, context in
            try await confirmPartnership(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.post("exchanges/{id}/decline") { request, context in
            try await declinePartnership(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        addPlanPages(to: router)
        // The knowledge base (public reads; feedback by officials) and the staff inbox.
        router.get("knowledge") { request, context in try await knowledgeSearch(request, logger: context.logger) }
        router.get("knowledge/{id}") { request, context in
            try await experiencePage(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.post("knowledge/{id}/feedback") { request, context in
            try await giveFeedback(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.get("inbox") { request, context in try await inboxPage(request, logger: context.logger) }
        router.post("inbox/{id}/decide") { request, context in
            try await decideFromInbox(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.post("inbox/{id}/screen") { request, context in
            try await screenFromInbox(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.get("exchanges/{id}/messages") { request, context in
            try await earlierMessagesPage(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.post("exchanges/{id}/messages") { request, context in
            try await postMessage(request, id: context.parameters.get("id") ?? "", logger: context.logger)
        }
        router.get("exchanges/{id}/attachments/{attachment}") { request, context in
            try await downloadAttachment(request, id: context.parameters.get("id") ?? "", attachment: context.parameters.get("attachment") ?? "",
                                         logger: context.logger)
        }
    }
}
