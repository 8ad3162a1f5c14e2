import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import KeepwatchHub
import KeepwatchMonitor

/// The web face at `/`: pages rendered on the node from the same services the API reads, and the forms that act
/// on them (each a POST answered with 303 back to a page). The access policy and the middleware decide who may.
struct WebPages {
    let jobs: JobService
    let hub: HubService
    let heartbeats: HeartbeatService
    let promises: PromiseRunner
    let notifications: NotificationService?
    let accounts: AccountService
    let secureCookies: Bool
    let version: String

    /// The first path segments that are pages (a GET of one without a session goes to `/login`).
    static let pageSections: Set<Substring> = ["jobs", "runs", "backups", "checks", "sources", "notifications", "users"]

    static func isPage(_ path: String) -> Bool {
        if path == "/" { return true }
        let segments = path.split(separator: "/")
        guard let first = segments.first else { return false }
        return pageSections.contains(first)
    }

    func register(on router: Router<KeepwatchRequestContext>) {
        page(router, "", overview)
        page(router, "jobs", jobList)
        page(router, "jobs/{id}", jobDetail)
        page(router, "runs/{id}", runDetail)
        page(router, "backups", backupList)
        page(router, "checks", checkList)
        page(router, "checks/{id}", checkDetail)
        page(router, "sources") { request, context in try await sourceList(request, context) }
        page(router, "notifications", notificationList)
        page(router, "users", userList)
        registerSignIn(on: router)
        registerActions(on: router)
    }

    typealias Handler = @Sendable (Request, KeepwatchRequestContext) async throws -> Response

    func page(_ router: Router<KeepwatchRequestContext>, _ path: String, _ handler: @escaping Handler) {
        for method: HTTPRequest.Method in [.get, .head] {
            // The server leaves a HEAD reply's body out itself, keeping its length.
            router.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
        }
    }

    /// A path parameter as the user wrote it: `/jobs/a%20b` names the job `a b`.
    static func segment(_ context: KeepwatchRequestContext, _ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    func frame(_ title: String, section: String, json: String, _ request: Request, _ context: KeepwatchRequestContext) -> WebFrame {
        WebFrame(title: title, section: section, json: json, request: request, context: context, version: version)
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }
}
