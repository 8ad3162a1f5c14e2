import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import KeepwatchCore
import KeepwatchEngine
import KeepwatchHub
import KeepwatchMonitor
import Logging
import NIOSSL
import ServiceLifecycle

/// The node's HTTP application: every face on one router, behind the security headers and the auth middleware.
public enum HTTPServer {
    public struct Security: Sendable {
        public let accounts: AccountService
        public let policy: AccessPolicy
        public let tls: TLSConfiguration?

        public init(accounts: AccountService, policy: AccessPolicy, tls: TLSConfiguration?) {
            self.accounts = accounts
            self.policy = policy
            self.tls = tls
        }
    }

    public static func application(jobs: JobService, hub: HubService, heartbeats: HeartbeatService, promises: PromiseRunner,
                                   notifications: NotificationService? = nil, data: DataDirectory, security: Security, host: String, port: Int, version: String, logger: Logger,
                                   services: [any Service] = [],
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let router = Router(context: KeepwatchRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(tls: security.tls != nil))
        router.add(middleware: AuthMiddleware(accounts: security.accounts, policy: security.policy, version: version))
        router.get("healthz") { _, _ in JSONResponses.json(["status": "ok"]) }
        router.head("healthz") { _, _ in JSONResponses.json(["status": "ok"]) }
        ProxyAuthRoutes(accounts: security.accounts, secureCookies: security.tls != nil).register(on: router)
        AuditRoutes(accounts: security.accounts).register(on: router)
        NativeRoutes(jobs: jobs).register(on: router)
        MgobRoutes(jobs: jobs, version: version, more: { await notifications?.metricsExposition() ?? "" }).register(on: router)
        ProxyControllerRoutes(hub: hub).register(on: router)
        ProxyViewRoutes(hub: hub).register(on: router)
        CmonPassthroughRoutes(hub: hub).register(on: router)
        EthoscopeRoutes(hub: hub).register(on: router)
        HubNativeRoutes(hub: hub).register(on: router)
        PingRoutes(heartbeats: heartbeats, secure: security.tls != nil).register(on: router)
        CheckRoutes(heartbeats: heartbeats, promises: promises, secure: security.tls != nil).register(on: router)
        BadgeRoutes(heartbeats: heartbeats, promises: promises).register(on: router)
        MonitorFileRoutes(promises: promises, data: data).register(on: router)
        if let notifications { NotificationRoutes(notifications: notifications).register(on: router) }
        AccountRoutes(accounts: security.accounts).register(on: router)
        WebAssets.register(on: router)
        WebPages(jobs: jobs, hub: hub, heartbeats: heartbeats, promises: promises, notifications: notifications, accounts: security.accounts,
                 secureCookies: security.tls != nil, version: version).register(on: router)
        HealthchecksAPIRoutes(heartbeats: heartbeats, keys: MonitorAPIKeys(store: heartbeats.store), secure: security.tls != nil).register(on: router)
        // Connections left idle are closed, so that clients which open and never send cannot hold the node's descriptors.
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(60)))
        let server: HTTPServerBuilder = try security.tls.map { try .tls(http1, tlsConfiguration: $0) } ?? http1
        return Application(router: router, server: server,
                           configuration: .init(address: .hostname(host, port: port), serverName: "keepwatch"),
                           services: services, onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                           logger: Logger(label: "http"))
    }
}
