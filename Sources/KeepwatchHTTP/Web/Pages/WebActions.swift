import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import KeepwatchHub

/// The forms' POSTs: each does what the API route does, then sends the browser back (303) to the page with a
/// notice or a problem in the URL. The middleware has checked the role and that the form came from this node.
extension WebPages {
    func registerActions(on router: Router<KeepwatchRequestContext>) {
        router.post("jobs/{id}/run") { request, context in
            let id = try Self.segment(context, "id")
            return await act(request, back: "/jobs/\(Self.pathEscaped(id))") {
                let runID = try await jobs.runNow(id, by: context.requester)
                return "Run \(runID) of \(id) started."
            }
        }
        for event in [JobEvent.start, .stop, .abort] {
            router.post(RouterPath("jobs/{id}/\(event.rawValue)")) { request, context in
                let id = try Self.segment(context, "id")
                return await act(request, back: "/jobs/\(Self.pathEscaped(id))") {
                    try await jobs.apply(event, to: id, by: context.requester).message
                }
            }
        }
        router.post("checks/{id}/run") { request, context in
            let id = try Self.segment(context, "id")
            return await act(request, back: "/checks/\(Self.pathEscaped(id))") {
                guard await promises.runNow(id) else { throw WebRefusal("\(id) is not a check this node runs (a heartbeat waits for its pings)") }
                return "\(id) is running now; its result appears here when it ends."
            }
        }
        router.post("backups/{name}/verify") { request, context in
            let name = try Self.segment(context, "name")
            return await act(request, back: "/backups") { try await BackupNameVerification.of(name, in: jobs).summary }
        }
        router.post("sources/add") { request, context in try await addSource(request, context) }
        router.post("sources/{xid}/remove") { request, context in
            let xid = try Self.segment(context, "xid")
            return await act(request, back: "/sources") {
                let removed = try await hub.remove(xid, by: context.requester)
                return "Source \(removed.name) is removed."
            }
        }
    }

    /// `do=test` tests the source without keeping it; otherwise it is added (and tested by its first refresh) and the
    /// browser goes back to the list. A test's outcome and a refused add are shown above the form, refilled.
    func addSource(_ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let form: WebForm
        do {
            form = try await WebForm.read(request)
        } catch {
            return WebResponse.redirect("/sources?" + WebMessage.problem.query(Self.formWords(error)))
        }
        do {
            let definition = try sourceDefinition(form)
            guard form["do"] == "test" else {
                let state = try await hub.add(definition, by: context.requester)
                let how = state.status == .ok ? "" : ": " + state.statusMessage
                return WebResponse.redirect("/sources?" + WebMessage.notice.query("Source \(definition.name) is added (\(state.status.rawValue)\(how))."))
            }
            return try await sourceList(request, context, entered: await testOutcome(definition, form: form))
        } catch {
            let refused = SourceFormOutcome(form: form, succeeded: false, status: .badRequest, message: Self.words(error))
            return try await sourceList(request, context, entered: refused)
        }
    }

    func sourceDefinition(_ form: WebForm) throws -> SourceDefinition {
        var object: [String: JSONValue] = [:]
        for key in ["kind", "name", "url", "username", "password", "token"] { if let value = form.text(key) { object[key] = .string(value) } }
        if form["tls_insecure"] == "true" { object["tls_insecure"] = true }
        return try hub.definition(from: .object(object))
    }

    func testOutcome(_ definition: SourceDefinition, form: WebForm) async -> SourceFormOutcome {
        let state = await hub.test(definition)
        let answers = state.status == .ok
        return SourceFormOutcome(form: form, succeeded: answers, status: .ok, message: answers
            ? "\(definition.name) answers: ok. Press Add to keep it."
            : "\(definition.name) does not answer: \(state.status.rawValue): \(state.statusMessage)")
    }

    func act(_ request: Request, back: String, _ work: () async throws -> String) async -> Response {
        await actOnForm(request, back: back) { _ in try await work() }
    }

    /// Reads the form (a missing or wrong body is a problem, not a crash), runs `work`, and sends the browser back.
    func actOnForm(_ request: Request, back: String, _ work: (WebForm) async throws -> String) async -> Response {
        let form: WebForm
        do {
            form = try await WebForm.read(request)
        } catch {
            return WebResponse.redirect(back + "?" + WebMessage.problem.query(Self.formWords(error)))
        }
        do {
            let notice = try await work(form)
            return WebResponse.redirect(back + "?" + WebMessage.notice.query(notice))
        } catch {
            return WebResponse.redirect(back + "?" + WebMessage.problem.query(Self.words(error)))
        }
    }

    static func formWords(_ error: any Error) -> String {
        if case WebForm.Failure.tooLarge = error { return "The form is larger than 64 KiB." }
        return "Send the page's form (application/x-www-form-urlencoded)."
    }

    static func words(_ error: any Error) -> String {
        switch error {
        case let refusal as WebRefusal: return refusal.description
        case let failure as ServiceError: return String(failure.description.prefix(300))
        case let failure as HubService.Failure: return String(failure.description.prefix(300))
        default:
            JSONResponses.logger.error("web action failed: \(error)")
            return "the node could not do that (see its log)"
        }
    }
}

/// A form the node will not act on, in words for the page.
struct WebRefusal: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
