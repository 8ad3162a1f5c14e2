import Hummingbird
import KeepwatchCore
import KeepwatchMonitor
import NIOCore

/// Healthchecks's management API v3 (`/api/v3/`), for the clients that provision checks: `X-Api-Key` with a
/// read-write (`hcw_`) or read-only (`hcr_`) key from `keepwatch admin apikey create`; replies, errors and CORS
/// headers as Healthchecks writes them. The session and token login of the rest of the API does not apply here.
struct HealthchecksAPIRoutes {
    let heartbeats: HeartbeatService
    let keys: MonitorAPIKeys
    let secure: Bool

    func register(on router: Router<KeepwatchRequestContext>) {
        let api = router.group("api/v3")
        api.get("checks") { request, _ in await read(request, allow: "GET, POST") { readonly in
            let tags: Set<String> = Set(request.uri.queryParameters.getAll("tag").map { String($0) })
            let slug = request.uri.queryParameters.get("slug").flatMap { $0.isEmpty ? nil : $0 }
            let checks = await heartbeats.views(tags: tags, slug: slug).map { document($0, readonly: readonly, request) }
            return Self.json(["checks": .array(checks)], allow: "GET, POST")
        } }
        api.post("checks") { request, _ in await write(request, allow: "GET, POST") { body in
            let spec = try HeartbeatSpec(json: body)
            let (view, created) = try await heartbeats.create(spec)
            return Self.json(document(view, readonly: false, request), status: created ? .created : .ok, allow: "GET, POST")
        } }
        api.get("checks/{code}") { request, context in await read(request, allow: "POST, DELETE, GET") { readonly in
            let code = try context.parameters.require("code")
            let view = HeartbeatService.isUUIDText(code) ? await heartbeats.view(uuid: code) : await heartbeats.view(uniqueKey: code)
            guard let view else { return Self.notFound(allow: "POST, DELETE, GET") }
            return Self.json(document(view, readonly: readonly, request), allow: "POST, DELETE, GET")
        } }
        api.post("checks/{code}") { request, context in await write(request, allow: "POST, DELETE, GET") { body in
            let spec = try HeartbeatSpec(json: body)
            let view = try await heartbeats.change(try context.parameters.require("code"), spec)
            return Self.json(document(view, readonly: false, request), allow: "POST, DELETE, GET")
        } }
        api.delete("checks/{code}") { request, context in await write(request, allow: "POST, DELETE, GET") { _ in
            let view = try await heartbeats.delete(try context.parameters.require("code"))
            return Self.json(document(view, readonly: false, request), allow: "POST, DELETE, GET")
        } }
        api.post("checks/{code}/pause") { request, context in await write(request, allow: "POST") { _ in
            Self.json(document(try await heartbeats.pause(try context.parameters.require("code")), readonly: false, request), allow: "POST")
        } }
        api.post("checks/{code}/resume") { request, context in await write(request, allow: "POST") { _ in
            Self.json(document(try await heartbeats.resume(try context.parameters.require("code")), readonly: false, request), allow: "POST")
        } }
        api.get("checks/{code}/pings") { request, context in await write(request, allow: "GET") { _ in
            let code = try context.parameters.require("code")
            let pings = try await heartbeats.pings(code)
            let links = links(request)
            let listed = zip(pings, HeartbeatDocuments.durations(pings)).map { HeartbeatDocuments.api($0, check: code, duration: $1, links: links) }
            return Self.json(["pings": .array(listed)], allow: "GET")
        } }
        api.get("checks/{code}/pings/{number}/body") { request, context in await write(request, allow: "GET") { _ in
            guard let number = Int64(try context.parameters.require("number")),
                  let body = try await heartbeats.pingBody(try context.parameters.require("code"), number: number) else {
                return Self.notFound(allow: "GET")
            }
            var response = Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            Self.cors(&response, allow: "GET")
            return response
        } }
        api.get("checks/{code}/flips") { request, context in await read(request, allow: "GET") { _ in
            let code = try context.parameters.require("code")
            let uuid = HeartbeatService.isUUIDText(code) ? code : await heartbeats.view(uniqueKey: code)?.check.uuid
            guard let uuid, let window = Self.flipWindow(request) else {
                return Self.plain(uuid == nil ? .notFound : .badRequest, "", allow: "GET")
            }
            let flips = try await heartbeats.flips(uuid, start: window.start, end: window.end)
            return Self.json(["flips": .array(flips.map(HeartbeatDocuments.api))], allow: "GET")
        } }
        api.get("channels") { request, _ in await write(request, allow: "GET") { _ in Self.json(["channels": []], allow: "GET") } }
        api.get("status") { _, _ in Self.plain(.ok, "OK", allow: "GET") }
        api.get("badges") { request, _ in await read(request, allow: "GET") { _ in
            let badges = await heartbeats.badges
            let root = links(request).siteRoot
            var listed: [String: JSONValue] = [:]
            for tag in await heartbeats.tags().union(["*"]) { listed[tag] = badges.urls(tag: tag, root: root) }
            return Self.json(["badges": .object(listed)], allow: "GET")
        } }
        let preflights: [(String, String)] = [
            ("checks", "GET, POST"), ("checks/{code}", "POST, DELETE, GET"), ("checks/{code}/pause", "POST"),
            ("checks/{code}/resume", "POST"), ("checks/{code}/pings", "GET"), ("checks/{code}/pings/{number}/body", "GET"),
            ("checks/{code}/flips", "GET"), ("channels", "GET"), ("status", "GET"), ("badges", "GET"),
        ]
        for (path, allow) in preflights {
            api.on(RouterPath(path), method: .options) { _, _ in
                var response = Response(status: .noContent)
                Self.cors(&response, allow: allow)
                return response
            }
        }
    }

    // MARK: keys

    /// A read endpoint: any valid key (`readonly` tells which kind).
    func read(_ request: Request, allow: String, _ body: (Bool) async throws -> Response) async -> Response {
        await answer(allow: allow) {
            let check = try await keys.check(request.headers[.xAPIKey] ?? "", writing: false)
            switch check {
            case .refused(let words): return Self.error(words, status: .unauthorized, allow: allow)
            case .readOnly: return try await body(true)
            case .readWrite: return try await body(false)
            }
        }
    }

    /// A read-write endpoint: the key may also come as the body's `api_key` (POST), and the body is a JSON object.
    func write(_ request: Request, allow: String, _ body: (JSONValue) async throws -> Response) async -> Response {
        await answer(allow: allow) {
            var json: JSONValue = [:]
            if request.method == .post {
                var request = request
                let buffer: ByteBuffer
                do {
                    buffer = try await request.collectBody(upTo: JSONResponses.maximumBodyBytes)
                } catch {
                    return Self.error("request body too large (at most \(JSONResponses.maximumBodyBytes) bytes)", status: .contentTooLarge, allow: allow)
                }
                if buffer.readableBytes > 0 {
                    guard let parsed = try? JSONParser.parse(bytes: Array(buffer: buffer)) else {
                        return Self.error("could not parse request body", status: .badRequest, allow: allow)
                    }
                    guard case .object = parsed else {
                        return Self.error("json validation error: value is not an object", status: .badRequest, allow: allow)
                    }
                    json = parsed
                }
            }
            var key = request.headers[.xAPIKey] ?? ""
            if request.headers[.xAPIKey] == nil, case .object(let fields) = json, let given = fields["api_key"] {
                key = given.stringValue ?? JSONWriter.text(given)
            }
            if case .refused(let words) = try await keys.check(key, writing: true) {
                return Self.error(words, status: .unauthorized, allow: allow)
            }
            return try await body(json)
        }
    }

    func answer(allow: String, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let invalid as HeartbeatSpec.Invalid {
            return Self.error(invalid.message, status: .badRequest, allow: allow)
        } catch let failure as HeartbeatService.Failure {
            switch failure {
            case .notFound: return Self.notFound(allow: allow)
            case .limitReached: return Self.plain(.forbidden, "", allow: allow)
            case .notPaused: return Self.plain(.conflict, "check is not paused", allow: allow)
            case .invalid(let message): return Self.error(message, status: .badRequest, allow: allow)
            case .configured: return Self.error(failure.description, status: .forbidden, allow: allow)
            }
        } catch {
            return JSONResponses.response(for: error)
        }
    }

    // MARK: documents

    func links(_ request: Request) -> HeartbeatDocuments.Links { .of(request, secure: secure) }

    func document(_ view: HeartbeatService.View, readonly: Bool, _ request: Request) -> JSONValue {
        HeartbeatDocuments.api(view.check, status: view.status, nextPing: view.nextPing, readonly: readonly, uniqueKey: view.uniqueKey,
                               badgeKey: view.badgeKey, links: links(request))
    }

    /// `?start=`, `?end=` (Unix seconds, 0 to 10,000,000,000) and `?seconds=` (0 to 31,536,000); nil when one is bad.
    static func flipWindow(_ request: Request) -> (start: Int64?, end: Int64?)? {
        let query = request.uri.queryParameters
        func number(_ key: String, max: Int64) -> Int64?? {
            guard let text = query.get(key) else { return .some(nil) }
            guard let value = Int64(text), value >= 0, value <= max else { return nil }
            return .some(value)
        }
        guard let start = number("start", max: 10_000_000_000), let end = number("end", max: 10_000_000_000),
              let seconds = number("seconds", max: 31_536_000) else { return nil }
        let micro: Int64 = 1_000_000
        var from = start.map { $0 * micro }
        if let seconds, seconds > 0 {
            let threshold = HeartbeatService.now() - seconds * micro
            from = max(from ?? threshold, threshold)
        }
        return (from, end.map { $0 * micro })
    }

    // MARK: replies

    static func cors(_ response: inout Response, allow: String) {
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlAllowHeaders] = "X-Api-Key"
        response.headers[.accessControlAllowMethods] = allow + ", OPTIONS"
        response.headers[.accessControlMaxAge] = "600"
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, allow: String) -> Response {
        var response = JSONResponses.json(value, status: status)
        cors(&response, allow: allow)
        return response
    }

    static func error(_ message: String, status: HTTPResponse.Status, allow: String) -> Response {
        json(["error": .string(message)], status: status, allow: allow)
    }

    static func notFound(allow: String) -> Response { plain(.notFound, "not found", allow: allow) }

    static func plain(_ status: HTTPResponse.Status, _ text: String, allow: String) -> Response {
        var response = Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: text)))
        cors(&response, allow: allow)
        return response
    }
}
