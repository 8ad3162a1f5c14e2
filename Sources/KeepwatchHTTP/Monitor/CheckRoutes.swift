import Foundation
import Hummingbird
import NIOCore
import KeepwatchCore
import KeepwatchMonitor

/// Keepwatch's own checks API (`/api/v1/checks`), behind the node's login: heartbeat checks with periods and grace
/// times from one second (`"period": "30s"` or seconds), their state, their flips and last pings. The Healthchecks
/// API (`/api/v3/`) manages the same checks.
struct CheckRoutes {
    let heartbeats: HeartbeatService
    let promises: PromiseRunner
    let secure: Bool

    func register(on router: Router<KeepwatchRequestContext>) {
        let api = router.group("api/v1")
        api.get("checks") { request, _ in
            JSONResponses.json(["checks": .array(await listing(request))])
        }
        api.post("checks/{id}/run") { _, context in
            let id = try context.parameters.require("id")
            if await promises.runNow(id) { return JSONResponses.json(["id": .string(id), "status": "running"], status: .accepted) }
            if await heartbeats.view(uuid: id) != nil {
                return JSONResponses.error("a heartbeat check is not run: its job pings it", status: .conflict)
            }
            return JSONResponses.error("no such check", status: .notFound)
        }
        api.post("checks") { request, _ in
            await answer {
                let body = try await JSONResponses.body(request)
                if let check = try Self.builtIn(body) {
                    try await promises.put(check, replacing: false)
                    return JSONResponses.json(await builtInDocument(check.name), status: .created)
                }
                var spec = try Self.spec(body)
                spec.takeSlugFromName()
                let (view, _) = try await heartbeats.create(spec)
                return JSONResponses.json(document(view, request), status: .created)
            }
        }
        api.get("checks/{id}") { request, context in
            await answer { JSONResponses.json(try await detail(try context.parameters.require("id"), request)) }
        }
        api.put("checks/{id}") { request, context in
            await answer {
                let id = try context.parameters.require("id")
                let body = try await JSONResponses.body(request)
                if let existing = await promises.builtIn(id) {
                    guard case .object(var fields) = body else { throw Refusal(message: "send the check as a JSON object", field: nil) }
                    for key in NativeHeartbeatSpec.shownKeys.union(["status", "running", "next_run", "message", "last_run", "change_date", "execution_time", "file",
                                                     "history", "automatic"]) {
                        fields[key] = nil
                    }
                    if let name = fields["name"], name != .string(id) { throw Refusal(message: "a check keeps its name; make a new one instead", field: "name") }
                    fields["name"] = .string(id)
                    if fields["kind"] == nil { fields["kind"] = .string(existing.kind) }
                    guard let check = try Self.builtIn(.object(fields)) else {
                        throw Refusal(message: "must be one of \(BuiltInCheck.kinds.joined(separator: ", "))", field: "kind")
                    }
                    try await promises.put(check, replacing: true)
                    return JSONResponses.json(await builtInDocument(id))
                }
                if await promises.view(id) != nil {
                    throw Refusal(message: "\(id) is a promise file: change the file (or its .cfg) in the promise directory", field: nil)
                }
                let uuid = try await heartbeatID(id)
                guard await heartbeats.view(uuid: uuid) != nil else { throw HeartbeatService.Failure.notFound }
                let spec = try Self.spec(body)
                return JSONResponses.json(document(try await heartbeats.change(uuid, spec), request))
            }
        }
        api.delete("checks/{id}") { _, context in
            await answer {
                let id = try context.parameters.require("id")
                if await promises.builtIn(id) != nil {
                    try await promises.removeMade(id)
                    return Response(status: .noContent)
                }
                if await promises.view(id) != nil {
                    throw Refusal(message: "\(id) is a promise file: remove it from the promise directory", field: nil)
                }
                _ = try await heartbeats.delete(try await heartbeatID(id))
                return Response(status: .noContent)
            }
        }
        api.post("checks/{id}/pause") { request, context in
            await answer {
                let id = try context.parameters.require("id")
                if await promises.view(id) != nil { throw Refusal(message: "only heartbeat checks pause; \(id) runs on its frequency", field: nil) }
                return JSONResponses.json(document(try await heartbeats.pause(try await heartbeatID(id)), request))
            }
        }
        api.get("checks/{id}/pings/{number}/body") { _, context in
            await answer {
                let id = try await heartbeatID(try context.parameters.require("id"))
                guard let number = Int64(try context.parameters.require("number")), let body = try await heartbeats.pingBody(id, number: number) else {
                    return JSONResponses.error("no body kept for that ping", status: .notFound)
                }
                return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }
        }
        api.post("checks/{id}/resume") { request, context in
            await answer { JSONResponses.json(document(try await heartbeats.resume(try await heartbeatID(try context.parameters.require("id"))), request)) }
        }
    }

    /// A built-in check's document, or nil when the body is a heartbeat check (no kind, or kind heartbeat).
    /// Every check: heartbeats first, then promises and built-in checks.
    func listing(_ request: Request) async -> [JSONValue] {
        await heartbeats.views().map { document($0, request) } + (await promises.views()).map(Self.document)
    }

    /// One check with its history (a promise's SlapOS history, a heartbeat's flips) and a heartbeat's last pings.
    func detail(_ reference: String, _ request: Request) async throws -> JSONValue {
        let id = try await heartbeatID(reference)
        guard let view = await heartbeats.view(uuid: id) else {
            guard let promise = await promises.view(id), case .object(var fields) = Self.document(promise) else {
                throw HeartbeatService.Failure.notFound
            }
            fields["history"] = await promises.history(id)?.objectValue?["data"] ?? []
            return .object(fields)
        }
        guard case .object(var fields) = document(view, request) else { return document(view, request) }
        let flips = try await heartbeats.flips(id, start: nil, end: nil)
        fields["history"] = .array(flips.map { flip in
            ["date": .string(HeartbeatDocuments.isoSeconds(flip.created)), "from": .string(flip.old), "to": .string(flip.new),
             "reason": .string(flip.reason)]
        })
        let pings = try await heartbeats.pings(id)
        let links = links(request)
        fields["pings"] = .array(zip(pings, HeartbeatDocuments.durations(pings)).map {
            HeartbeatDocuments.api($0, check: id, duration: $1, links: links)
        })
        return .object(fields)
    }

    static func builtIn(_ body: JSONValue) throws -> BuiltInCheck? {
        guard let kind = body.objectValue?["kind"]?.stringValue, BuiltInCheck.kinds.contains(kind) else { return nil }
        do {
            return try BuiltInCheck(json: body)
        } catch {
            throw Refusal(message: "\(error.field) \(error.message)", field: error.field)
        }
    }

    /// A built-in check: its definition and how its last run went.
    func builtInDocument(_ name: String) async -> JSONValue {
        guard let view = await promises.view(name) else {
            return await promises.builtIn(name)?.document ?? [:]
        }
        return Self.document(view)
    }

    /// A check document that cannot be taken: what is wrong, and with which field.
    struct Refusal: Error {
        let message: String
        let field: String?
    }

    /// A native heartbeat check document (`NativeHeartbeatSpec`).
    static func spec(_ body: JSONValue) throws -> HeartbeatSpec {
        do {
            return try NativeHeartbeatSpec.parse(body, now: Int64(Date().timeIntervalSince1970))
        } catch {
            throw Refusal(message: error.message, field: error.field)
        }
    }

    /// This API's links: ping bodies are fetched from `/api/v1/…`, with the node's login.
    func links(_ request: Request) -> HeartbeatDocuments.Links {
        var links = HeartbeatDocuments.Links.of(request, secure: secure)
        links.version = 1
        return links
    }

    /// A heartbeat check's UUID from the id a request names (its UUID, or a name or slug one check alone has); a
    /// promise's name, or an unknown id, comes back as it is.
    func heartbeatID(_ id: String) async throws -> String {
        if await heartbeats.view(uuid: id) != nil { return id }
        if await promises.view(id) != nil { return id }
        if await promises.builtIn(id) != nil { return id }
        let named = await heartbeats.uuids(named: id)
        if named.count > 1 { throw AmbiguousCheck(name: id, count: named.count) }
        return named.first ?? id
    }

    /// A name or slug that several heartbeat checks have: the request must name one by its UUID.
    struct AmbiguousCheck: Error {
        let name: String
        let count: Int
        var message: String { "\(count) checks are named \(name): name one by its uuid (GET /api/v1/checks lists them)" }
    }

    func document(_ view: HeartbeatService.View, _ request: Request) -> JSONValue {
        let check = view.check
        var fields: [String: JSONValue] = [
            "id": .string(check.uuid), "kind": "heartbeat", "name": .string(check.name), "slug": .string(check.slug),
            "tags": .array(check.tagList.map { .string($0) }), "desc": .string(check.desc), "status": .string(view.status),
            "started": .bool(check.lastStart != nil), "grace": .number(Double(check.grace)), "n_pings": .number(Double(check.pingCount)),
            "methods": .string(check.methods), "manual_resume": .bool(check.manualResume),
            "ping_url": .string(links(request).pingEndpoint + check.uuid),
            "last_ping": check.lastPing.map { .string(HeartbeatDocuments.isoSeconds($0)) } ?? .null,
            "next_ping": view.nextPing.map { .string(HeartbeatDocuments.isoSeconds($0)) } ?? .null,
        ]
        switch check.kind {
        case .simple: fields["period"] = .number(Double(check.timeout))
        case .cron, .oncalendar:
            fields["schedule"] = .string(check.schedule)
            fields["tz"] = .string(check.tz)
        }
        if let duration = check.lastDuration { fields["last_duration"] = .number(Double(duration)) }
        return .object(fields)
    }

    /// A promise in the API: `status` up, down or new (never run), with its last message and SlapOS's dates.
    static func document(_ promise: PromiseRunner.View) -> JSONValue {
        var fields: [String: JSONValue] = promise.builtIn?.document.objectValue ?? [:]
        fields.merge([
            "id": .string(promise.id), "kind": .string(promise.builtIn?.kind ?? "promise"), "title": .string(promise.title),
            "frequency": .string(promise.frequency), "running": .bool(promise.running),
            "next_run": promise.nextRun == Int64.max ? .null : .string(ISO8601.formatUTC(Instant(secondsSince1970: promise.nextRun))),
            "status": .string(promise.current.map { $0.failed ? "down" : "up" } ?? "new"),
        ]) { _, new in new }
        if promise.builtIn == nil { fields["file"] = .string(promise.file) }
        if promise.automatic { fields["automatic"] = true }
        if let current = promise.current {
            fields["message"] = .string(current.run.message)
            fields["last_run"] = .string(ISO8601.formatUTC(Instant(secondsSince1970: current.run.date)))
            fields["change_date"] = .string(ISO8601.formatUTC(Instant(secondsSince1970: current.changeDate)))
            fields["execution_time"] = .number(current.run.executionTime)
        }
        return .object(fields)
    }

    func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let ambiguous as AmbiguousCheck {
            return JSONResponses.error(ambiguous.message, status: .conflict)
        } catch let refusal as Refusal {
            return JSONResponses.error(refusal.message, field: refusal.field, status: .unprocessableContent)
        } catch let failure as PromiseRunner.CatalogFailure {
            switch failure {
            case .notFound: return JSONResponses.error(failure.description, status: .notFound)
            case .taken, .configured, .automatic: return JSONResponses.error(failure.description, status: .conflict)
            }
        } catch let failure as HeartbeatService.Failure {
            switch failure {
            case .notFound: return JSONResponses.error("no such check (see GET /api/v1/checks)", status: .notFound)
            case .limitReached: return JSONResponses.error(failure.description, status: .forbidden)
            case .notPaused: return JSONResponses.error("the check is not paused", status: .conflict)
            case .invalid(let message): return JSONResponses.error(message, field: "channels", status: .unprocessableContent)
            case .configured: return JSONResponses.error(failure.description, status: .conflict)
            }
        } catch {
            return JSONResponses.response(for: error)
        }
    }
}
