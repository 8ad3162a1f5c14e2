import Hummingbird
import KeepwatchCore
import Synchronization

/// Which role each route needs. Open: `/healthz`, the `/proxy/auth/*` sign-in routes, and mgob's `/status`
/// when `public_status` is on. Reading needs `viewer`; running, stopping and aborting needs `operator`;
/// everything else that changes state, and the audit trail, needs `admin`.
public final class AccessPolicy: Sendable {
    public enum Requirement: Sendable, Equatable {
        case open
        case role(Role)
    }

    private let statusIsPublic: Mutex<Bool>
    private let monitorIsPublic: Mutex<Bool>

    public init(publicStatus: Bool, publicMonitor: Bool = false) {
        statusIsPublic = Mutex(publicStatus)
        monitorIsPublic = Mutex(publicMonitor)
    }

    /// `monitor.public: true` opens `/public/*`, `/monitor.haljson` and the feeds to anyone (never `/private/*`).
    public func setPublicMonitor(_ open: Bool) { monitorIsPublic.withLock { $0 = open } }

    public var publicStatus: Bool {
        get { statusIsPublic.withLock { $0 } }
    }

    public func setPublicStatus(_ open: Bool) { statusIsPublic.withLock { $0 = open } }

    static let openAuthRoutes: Set<String> = ["/proxy/auth/login", "/proxy/auth/logout", "/proxy/auth/check", "/proxy/auth/register"]

    /// Healthchecks's ping URLs (their UUID is the secret), its badges (their badge key is) and its management API
    /// (its own `X-Api-Key`): no session or token is looked for.
    public static func isAnonymous(_ path: String) -> Bool {
        path.hasPrefix("/ping/") || path == "/ping" || path.hasPrefix("/api/v3/") || path == "/api/v3" || path.hasPrefix("/b/")
            || path.hasPrefix("/badge/")
    }

    public func requirement(method: HTTPRequest.Method, path: String) -> Requirement {
        if Self.isAnonymous(path) { return .open }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        // Dot segments and empty segments never reach a route as written; refuse to treat them as anything open.
        let plain = !segments.contains { $0 == "." || $0 == ".." } && !path.contains("//")
        let reading = method == .get || method == .head
        if plain && path == "/healthz" { return .open }
        if plain && Self.openAuthRoutes.contains(path) { return .open }
        if plain && (path == "/login" || path == "/logout") { return .open }
        if plain && reading && ["/assets/keepwatch.css", "/assets/keepwatch.js", "/assets/keepwatch.svg"].contains(path) { return .open }
        if path.hasPrefix("/proxy/auth/") { return .role(.viewer) }
        if plain && reading && publicStatus && (path == "/status" || (segments.count == 2 && segments.first == "status")) {
            return .open
        }
        if plain && reading && monitorIsPublic.withLock({ $0 }) && (path == "/monitor.haljson" || path == "/public" || path.hasPrefix("/public/")) {
            return .open
        }
        if path.hasPrefix("/api/v1/audit") || path.hasPrefix("/api/v1/tokens") || path.hasPrefix("/api/v1/users") || path == "/users"
            || path.hasPrefix("/users/") {
            return .role(.admin)
        }
        if reading && !Self.isPassthrough(segments) { return .role(.viewer) }
        if method == .post && plain && Self.isView(segments) { return .role(.viewer) }
        if plain && Self.isPassthrough(segments) { return .role(.operator) }
        if method == .post && plain && Self.isRunControl(segments) { return .role(.operator) }
        return .role(.admin)
    }

    /// The hub's views, which cmon-proxy also serves to POST (their filters are the body), and the controllers' status.
    static func isView(_ segments: ArraySlice<Substring>) -> Bool {
        let parts = Array(segments)
        guard parts.count == 3, parts[0] == "proxy" else { return false }
        let views: [Substring: Set<Substring>] = [
            "clusters": ["status", "list", "hosts", "missingSchedules"], "alarms": ["status", "list"], "jobs": ["status", "list"],
            "backups": ["status", "list", "schedules"], "controllers": ["status"],
        ]
        return views[parts[1]]?.contains(parts[2]) ?? false
    }

    /// `/v2/*` and `/v2multi/*`: calls forwarded to ClusterControl controllers, which may change them.
    static func isPassthrough(_ segments: ArraySlice<Substring>) -> Bool {
        guard let first = segments.first else { return false }
        return (first == "v2" || first == "v2multi") && segments.count >= 2
    }

    /// `POST /backup/{plan}` (mgob), `POST /api/v1/jobs/{id}/run` and `POST /api/v1/jobs/{id}/event` (start, stop,
    /// abort; `remove` is checked again by the route, which asks for admin), checks run now, backups verified, and
    /// the web page's forms for the same: `/jobs/{id}/run|start|stop|abort`, `/checks/{id}/run`, `/backups/{name}/verify`.
    static func isRunControl(_ segments: ArraySlice<Substring>) -> Bool {
        let parts = Array(segments)
        if parts.count == 3 && !parts[1].isEmpty {
            if parts[0] == "jobs" && ["run", "start", "stop", "abort"].contains(parts[2]) { return true }
            if (parts[0] == "checks" && parts[2] == "run") || (parts[0] == "backups" && parts[2] == "verify") { return true }
        }
        if parts.count == 5 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "backups" && parts[4] == "verify" { return true }
        if parts.count == 2 && parts[0] == "backup" && !parts[1].isEmpty { return true }
        if parts == ["cgi-bin", "monitor-run-promise.cgi"] { return true }
        if parts.count == 5 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "checks" && parts[4] == "run" { return true }
        return parts.count == 5 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "jobs" && !parts[3].isEmpty
            && (parts[4] == "event" || parts[4] == "run")
    }
}
