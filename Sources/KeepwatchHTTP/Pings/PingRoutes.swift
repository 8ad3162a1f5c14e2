import Hummingbird
import KeepwatchCore
import KeepwatchMonitor
import NIOCore

/// The Healthchecks ping URLs (`/ping/...`, any method): no login, the UUID (or the ping key) is the secret. Bodies
/// are kept up to the node's limit and cut silently past it, as Healthchecks does; replies are its exact words.
struct PingRoutes {
    let heartbeats: HeartbeatService
    let secure: Bool

    /// Past this a request body is refused outright (Django's own upload limit is 2.5 MB).
    static let largestBody = 10 << 20

    func register(on router: Router<KeepwatchRequestContext>) {
        let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options, .trace]
        for method in methods {
            router.on("ping/**", method: method) { request, context in await handle(request, context: context) }
            router.on("ping", method: method) { _, _ in Self.reply(.notFound, status: .notFound, body: "not found") }
        }
    }

    func handle(_ request: Request, context: KeepwatchRequestContext) async -> Response {
        let rest = request.uri.path.dropFirst("/ping/".count)
        guard let path = PingPath(segments: rest.split(separator: "/", omittingEmptySubsequences: false)) else {
            return Self.reply(.notFound, status: .notFound, body: "not found")
        }
        var request = request
        let body: [UInt8]
        do {
            body = try await Self.readBody(&request, keeping: heartbeats.settings.bodyLimit)
        } catch {
            return Self.reply(.notFound, status: .contentTooLarge, body: "request body too large")
        }
        let target: HeartbeatPingRequest.Target
        switch path.target {
        case .uuid(let uuid): target = .uuid(uuid)
        case .slug(let key, let slug): target = .slug(pingKey: key, slug: slug, create: request.uri.queryParameters.get("create") == "1")
        }
        let ping = HeartbeatPingRequest(
            target: target, kind: path.kind, exitStatus: path.exitStatus, rid: request.uri.queryParameters.get("rid"),
            method: request.method.rawValue, scheme: request.headers[.xForwardedProto] ?? (secure ? "https" : "http"),
            remoteAddress: Self.remoteAddress(request, context: context), userAgent: request.headers[.userAgent] ?? "", body: body)
        let outcome = await heartbeats.ping(ping)
        switch outcome {
        case .ok: return Self.reply(outcome, status: .ok, body: "OK", limit: heartbeats.settings.bodyLimit)
        case .created: return Self.reply(outcome, status: .created, body: "Created", limit: heartbeats.settings.bodyLimit)
        case .notFound: return Self.reply(outcome, status: .notFound, body: "not found")
        case .ambiguousSlug: return Self.reply(outcome, status: .conflict, body: "ambiguous slug")
        case .invalidURL: return Self.reply(outcome, status: .badRequest, body: "invalid url format")
        case .invalidRID: return Self.reply(outcome, status: .badRequest, body: "invalid uuid format")
        case .throttled: return Self.reply(outcome, status: .tooManyRequests, body: "rate limited: too many pings for this check, try again in a second")
        case .unavailable: return Self.reply(outcome, status: .serviceUnavailable, body: "the ping could not be stored, try again")
        }
    }

    /// The first `keeping` bytes; the rest is read and dropped.
    static func readBody(_ request: inout Request, keeping limit: Int) async throws -> [UInt8] {
        var kept: [UInt8] = []
        var total = 0
        for try await chunk in request.body {
            total += chunk.readableBytes
            if total > largestBody { throw PingBodyTooLarge() }
            if kept.count < limit { kept += chunk.readableBytesView.prefix(limit - kept.count) }
        }
        return kept
    }

    struct PingBodyTooLarge: Error {}

    /// The first `X-Forwarded-For` address (an `ipv4:port` form loses its port), else the peer's.
    static func remoteAddress(_ request: Request, context: KeepwatchRequestContext) -> String {
        guard let forwarded = request.headers[.xForwardedFor], let first = forwarded.split(separator: ",").first else {
            return context.clientAddress
        }
        let address = first.trimmingCharacters(in: .whitespaces)
        let parts = address.split(separator: ".")
        if parts.count == 4, let last = parts.last, last.contains(":") { return String(address.split(separator: ":")[0]) }
        return address
    }

    static func reply(_ outcome: HeartbeatPingRequest.Outcome, status: HTTPResponse.Status, body: String, limit: Int? = nil) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/plain; charset=utf-8", .accessControlAllowOrigin: "*",
            .cacheControl: "max-age=0, no-cache, no-store, must-revalidate, private",
        ]
        if let limit { headers[.pingBodyLimit] = String(limit) }
        if outcome == .throttled { headers[.retryAfter] = "1" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
