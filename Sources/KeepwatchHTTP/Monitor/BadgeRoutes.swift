import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchMonitor
import NIOCore

/// Healthchecks's badges, open like ping URLs (a badge key is its own secret, not a check's UUID):
/// per check `GET /b/2/<badge key>.svg` (two states: up or down), `/b/3/…` (up, late, down), as `.svg`, `.json` or
/// `.shields`; per tag `GET /badge/<node badge key>/<signature>/<tag>.<format>` and for every check
/// `GET /badge/<node badge key>/<signature>.<format>`, their URLs listed by `GET /api/v3/badges/`.
struct BadgeRoutes {
    let heartbeats: HeartbeatService
    let promises: PromiseRunner

    func register(on router: Router<KeepwatchRequestContext>) {
        for method: HTTPRequest.Method in [.get, .head] { router.on("b/{states}/{file}", method: method) { _, context in
            let states = context.parameters.get("states") == "2" ? 2 : context.parameters.get("states") == "3" ? 3 : 0
            let file = context.parameters.get("file") ?? ""
            guard states != 0, let (name, format) = Self.split(file),
                  let view = await heartbeats.view(badgeKey: name) else { return Self.notFound() }
            let state = HeartbeatBadge.state(view.status, states: states)
            let label = view.check.name.isEmpty ? view.check.uuid : view.check.name
            return Self.badge(format, label: label, state: state, json: HeartbeatBadge.json(status: view.status, states: states))
        } }
        for method: HTTPRequest.Method in [.get, .head] { router.on("badge/{key}/{part}", method: method) { _, context in
            guard let (signature, format) = Self.split(context.parameters.get("part") ?? "") else { return Self.notFound() }
            return await tagBadge(key: context.parameters.get("key") ?? "", signature: signature, tag: "*", format: format)
        } }
        for method: HTTPRequest.Method in [.get, .head] { router.on("badge/{key}/{part}/{file}", method: method) { _, context in
            guard let (quoted, format) = Self.split(context.parameters.get("file") ?? ""),
                  let tag = quoted.removingPercentEncoding, !tag.isEmpty else { return Self.notFound() }
            return await tagBadge(key: context.parameters.get("key") ?? "", signature: context.parameters.get("part") ?? "",
                                  tag: tag, format: format)
        } }
    }

    func tagBadge(key: String, signature: String, tag: String, format: String) async -> Response {
        let badges = await heartbeats.badges
        guard key == badges.key, let states = badges.states(signature: signature, tag: tag) else { return Self.notFound() }
        let summary = HeartbeatBadge.Summary(statuses: await heartbeats.statuses(tag: tag), states: states)
        let label = tag == "*" ? await promises.title : tag
        return Self.badge(format, label: label, state: summary.state, json: HeartbeatBadge.json(summary))
    }

    /// `name.format`, split at the last dot.
    static func split(_ file: String) -> (String, String)? {
        guard let dot = file.lastIndex(of: ".") else { return nil }
        return (String(file[..<dot]), String(file[file.index(after: dot)...]))
    }

    static func badge(_ format: String, label: String, state: String, json: JSONValue) -> Response {
        var response: Response
        switch format {
        case "svg":
            response = Response(status: .ok, headers: [.contentType: "image/svg+xml"],
                                body: .init(byteBuffer: ByteBuffer(string: HeartbeatBadge.svg(label: label, state: state))))
        case "json": response = JSONResponses.json(json)
        case "shields": response = JSONResponses.json(HeartbeatBadge.shields(label: label, state: state))
        default: return notFound()
        }
        response.headers[.cacheControl] = "max-age=0, no-cache, no-store, must-revalidate, private"
        response.headers[.accessControlAllowOrigin] = "*"
        return response
    }

    static func notFound() -> Response { JSONResponses.error("not found", status: .notFound) }
}
