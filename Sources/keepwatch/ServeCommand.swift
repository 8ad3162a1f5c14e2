import ArgumentParser
import Foundation
import KeepwatchEngine
import KeepwatchHTTP
import KeepwatchStore
import Logging
import ServiceLifecycle
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a Keepwatch node: schedule and run jobs, serve the API.",
        discussion: """
        On first start the data directory is created with keepwatch.yaml (defaults) and the SQLite store.
        mgob plans in <data>/plans/*.yml become jobs. SIGTERM stops gracefully (running jobs are aborted and
        recorded as such); SIGHUP reloads the plans.
        """
    )

    @Option(name: .customLong("data"), help: "Data directory.")
    var dataPath = "./keepwatch-data"

    @Option(help: "HTTP port (overrides keepwatch.yaml; 0 picks a free port).")
    var port: Int?

    func run() async throws {
        let data = DataDirectory(path: dataPath)
        let config: NodeConfig
        do {
            try data.prepare()
            config = try NodeConfig.loadOrCreate(data)
        } catch {
            FileHandle.standardError.write(Data("keepwatch: \(error)\n".utf8))
            throw ExitCode(2)
        }
        guard ["127.0.0.1", "::1", "localhost"].contains(config.bind) else {
            FileHandle.standardError.write(Data("keepwatch: bind \(config.bind) refused: until authentication is built in, Keepwatch listens on loopback only (127.0.0.1)\n".utf8))
            throw ExitCode(2)
        }
        NodeLogLevel.current = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = KeyValueLogHandler(label: label)
            if !label.hasPrefix("keepwatch") { handler.fixedLevel = .warning }
            return handler
        }
        let logger = Logger(label: "keepwatch")
        logger.info("keepwatch \(KeepwatchVersion.current)", metadata: ["data": "\(data.root.path)"])
        let store = try await SQLiteStore.open(path: data.databaseFile.path, logger: Logger(label: "sqlite"))
        let jobs = JobService(store: store, data: data, logger: logger)
        try await jobs.start()
        let reloader = Task {
            for await _ in await UnixSignalsSequence(trapping: .sighup) {
                logger.info("SIGHUP received, reloading keepwatch.yaml and plans")
                Self.reloadConfig(data: data, running: config, logger: logger)
                await jobs.reload()
            }
        }
        let app = HTTPServer.application(
            jobs: jobs, host: config.bind, port: port ?? config.port, version: KeepwatchVersion.current, logger: logger,
            services: [JobServiceLifecycle(jobs: jobs, logger: logger)],
            onRunning: { port in logger.info("starting http server on port \(port)", metadata: ["address": "\(config.bind):\(port)"]) })
        do {
            try await app.runService()
        } catch {
            logger.error("server stopped: \(error)")
        }
        reloader.cancel()
        try await store.close()
    }
}

/// Keeps the job service running alongside the server; on graceful shutdown it aborts running jobs and waits.
extension ServeCommand {
    /// Applies what can change without a restart (the log level); a broken file is reported and ignored.
    static func reloadConfig(data: DataDirectory, running: NodeConfig, logger: Logger) {
        do {
            let fresh = try NodeConfig.loadOrCreate(data)
            NodeLogLevel.current = Logger.Level(rawValue: fresh.logLevel) ?? .info
            if fresh.port != running.port || fresh.bind != running.bind {
                logger.warning("port and bind changes take effect on restart")
            }
        } catch {
            logger.error("keepwatch.yaml not reloaded, keeping the running configuration: \(error)")
        }
    }
}

struct JobServiceLifecycle: Service {
    let jobs: JobService
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("shutting down")
        await jobs.shutdown()
    }
}

enum KeepwatchVersion {
    static let current = "0.2.0"
}
