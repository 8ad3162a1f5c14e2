import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import KeepwatchHub

/// The forms' POSTs: each does what the API route does, then sends the browser back (303) to the page with a
/// notice or a problem in the URL. The middleware has checked the role and that the form came from this node.
extension WebPages {
    func registerActions(on router: Router<KeepwatchRequestContext>) {
        router.post("jobs/{id}/run") { request, context in
            let id = try context.parameters.require("id")
            return await act(request, back: "/jobs/\(Self.pathEscaped(id))") {
                let runID = try await jobs.runNow(id, by: context.requester)
                return "Run \(runID) of \(id) started."
            }
        }
        for event in [JobEvent.stop, .abort] {
            router.post(RouterPath("jobs/{id}/\(event.rawValue)")) { request, context in
                let id = try context.parameters.require("id")
                return await act(request, back: "/jobs/\(Self.pathEscaped(id))") {
                    try await jobs.apply(event, to: id, by: context.requester).message
                }
            }
        }
        router.post("checks/{id}/run") { request, context in
            let id = try context.parameters.require("id")
            return await act(request, back: "/checks/\(Self.pathEscaped(id))") {
                guard await promises.runNow(id) else { throw WebRefusal("\(id) is not a check this node runs (a heartbeat waits for its pings)") }
                return "\(id) is running now; its result appears here when it ends."
            }
        }
        router.post("backups/{name}/verify") { request, context in
            let name = try context.parameters.require("name")
            return await act(request, back: "/backups") { try await BackupNameVerification.of(name, in: jobs).summary }
        }
        router.post("sources/add") { request, context in
            await actOnForm(request, back: "/sources") { form in try await addSource(form, by: context.requester) }
        }
        router.post("sources/{xid}/remove") { request, context in
            let xid = try context.parameters.require("xid")
            return await act(request, back: "/sources") {
                let removed = try await hub.remove(xid, by: context.requester)
                return "Source \(removed.name) is removed."
            }
        }
    }

    /// `do=test` tests the source without keeping it; otherwise it is added (and tested by its first refresh).
    func addSource(_ form: WebForm, by requester: Requester) async throws -> String {
        var object: [String: JSONValue] = [:]
        for key in ["kind", "name", "url", "username", "password", "token"] { if let value = form.text(key) { object[key] = .string(value) } }
        if form["tls_insecure"] == "true" { object["tls_insecure"] = true }
        let definition = try hub.definition(from: .object(object))
        if form["do"] == "test" {
            let state = await hub.test(definition)
            return state.status == .ok ? "\(definition.name) answers: ok." : "\(definition.name) does not answer: \(state.status.rawValue): \(state.statusMessage)"
        }
        let state = try await hub.add(definition, by: requester)
        return "Source \(definition.name) is added (\(state.status.rawValue)\(state.status == .ok ? "" : ": " + state.statusMessage))."
    }

    func act(_ request: Request, back: String, _ work: () async throws -> String) async -> Response {
        await actOnForm(request, back: back) { _ in try await work() }
    }

    /// Reads the form (a missing or wrong body is a problem, not a crash), runs `work`, and sends the browser back.
    func actOnForm(_ request: Request, back: String, _ work: (WebForm) async throws -> String) async -> Response {
        let form: WebForm
        do {
            form = try await WebForm.read(request)
        } catch WebForm.Failure.tooLarge {
            return WebResponse.redirect(back + "?problem=" + WebResponse.escaped("The form is larger than 64 KiB."))
        } catch {
            return WebResponse.redirect(back + "?problem=" + WebResponse.escaped("Send the page's form (application/x-www-form-urlencoded)."))
        }
        do {
            let notice = try await work(form)
            return WebResponse.redirect(back + "?notice=" + WebResponse.escaped(notice))
        } catch {
            return WebResponse.redirect(back + "?problem=" + WebResponse.escaped(Self.words(error)))
        }
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
