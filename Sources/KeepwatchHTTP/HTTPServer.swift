import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import Logging
import ServiceLifecycle

/// The node's HTTP application: every face on one router.
public enum HTTPServer {
    public static func application(jobs: JobService, host: String, port: Int, version: String, logger: Logger,
                                   services: [any Service] = [],
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        router.get("healthz") { _, _ in JSONResponses.json(["status": "ok"]) }
        NativeRoutes(jobs: jobs).register(on: router)
        MgobRoutes(jobs: jobs, version: version).register(on: router)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "keepwatch"),
                           services: services, onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                           logger: logger)
    }
}
