import ArgumentParser
import Foundation
import KeepwatchCore
import KeepwatchEngine
import KeepwatchHTTP
import KeepwatchHub
import KeepwatchMonitor
import KeepwatchStore
import NIOSSL
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
        recorded as such); SIGHUP reloads keepwatch.yaml (log level, session_ttl, public_status, users), the plans
        and the hub's sources.
        Every route except /healthz, /proxy/auth/*, the heartbeat ping URLs (/ping/...) and the Healthchecks API
        (/api/v3/, with keys from keepwatch admin apikey create) needs a session (POST /proxy/auth/login) or an API
        token (keepwatch admin token create). On first start an 'admin' user is created and its password printed once.
        """
    )

    @Option(name: .customLong("data"), help: "Data directory.")
    var dataPath = "./keepwatch-data"

    @Option(help: "HTTP port (overrides keepwatch.yaml; 0 picks a free port).")
    var port: Int?

    func run() async throws {
        umask(0o077)
        let data = DataDirectory(path: dataPath)
        let pidFile = NodePidFile(data: data)
        // Nothing is written before the data directory is known to be free and the address to be usable.
        let planned: NodeConfig
        do {
            planned = try NodeConfig.peek(data)
        } catch {
            throw Self.exit(error, status: 2)
        }
        let listenPort = port ?? planned.port
        do {
            if let pid = pidFile.runningNode() { throw NodePidFile.Busy(pid: pid, directory: data.root.path) }
            try ListenAddressCheck.check(host: planned.bind, port: listenPort)
        } catch {
            throw Self.exit(error, status: 1)
        }
        let config: NodeConfig
        let lock: Int32
        do {
            try data.prepare()
            lock = try pidFile.lock()
            data.makePrivate()
            config = try NodeConfig.loadOrCreate(data)
        } catch let busy as NodePidFile.Busy {
            throw Self.exit(busy, status: 1)
        } catch {
            throw Self.exit(error, status: 2)
        }
        defer { close(lock) }
        NodeLogLevel.current = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = KeyValueLogHandler(label: label)
            if !label.hasPrefix("keepwatch") { handler.fixedLevel = .warning }
            return handler
        }
        let logger = Logger(label: "keepwatch")
        logger.info("keepwatch \(KeepwatchVersion.version)", metadata: ["data": "\(data.root.path)", "pid": "\(getpid())"])
        let nodeKey: NodeKey
        do {
            nodeKey = try NodeKey.loadOrCreate(data)
        } catch {
            throw Self.exit(error, status: 2)
        }
        let store = try await SQLiteStore.open(path: data.databaseFile.path, sealer: nodeKey, logger: Logger(label: "sqlite"))
        let accounts = AccountService(store: store, sessionTTL: config.sessionTTL, logger: logger)
        let policy = AccessPolicy(publicStatus: config.publicStatus, publicMonitor: config.monitorPublic)
        let tls: TLSConfiguration?
        do {
            tls = try Self.tlsConfiguration(config, data: data, logger: logger)
            try await Self.prepareAccounts(accounts, config: config, logger: logger)
        } catch {
            logger.error("\(error)")
            FileHandle.standardError.write(Data("keepwatch: \(error)\n".utf8))
            try await store.close()
            throw ExitCode(2)
        }
        if tls == nil && !config.bindsLoopbackOnly {
            logger.warning("listening on \(config.bind) without TLS: passwords and session cookies cross the network in clear; set tls: auto or tls_cert and tls_key")
        }
        let jobs = JobService(store: store, data: data, logger: logger, auditor: { record in
            await accounts.audit(record.action, username: record.username, source: record.source, result: record.result, detail: record.detail)
        })
        try await jobs.start()
        let heartbeats = HeartbeatService(store: store, settings: HeartbeatSettings(
            bodyLimit: config.pingBodyLimit, burst: Double(config.pingBurst), perSecond: Double(config.pingsPerSecond)), logger: logger)
        try await heartbeats.start()
        await Self.applyHeartbeats(config.heartbeats, to: heartbeats, logger: logger)
        let scheme = tls == nil ? "http" : "https"
        let promises = PromiseRunner(data: data, settings: Self.promiseSettings(config, data: data, scheme: scheme, port: listenPort),
                                     jobs: jobs, store: store, logger: logger)
        try await promises.loadMade()
        await promises.setExternal { await heartbeats.monitorEntries() }
        await promises.setConfigured(config.checks)
        let hub = HubService(store: store, jobs: jobs, settings: HubSettings(fetchJobsHours: config.fetchJobsHours, fetchBackupsDays: config.fetchBackupsDays, concurrency: config.hubConcurrency),
                             version: KeepwatchVersion.version, logger: logger, auditor: { action, requester, detail in
                                 await accounts.audit(action, username: requester.name, source: requester.source, result: "ok", detail: detail)
                             }, checks: {
                                 await promises.failing().map { CheckStatus(id: $0.id, name: $0.title, status: "down", since: $0.changeDate,
                                                                            kind: "promise", message: $0.run.message) }
                                 + heartbeats.failing().map { CheckStatus(id: $0.view.check.uuid, name: $0.view.check.name.isEmpty ? $0.view.check.uuid : $0.view.check.name,
                                                                              status: $0.view.status, since: $0.since) }
                             })
        try await hub.start()
        await promises.setRelated { await hub.monitors() }
        let notifications = NotificationService(store: store, settings: .init(
            node: Self.promiseSettings(config, data: data, scheme: scheme, port: listenPort).title, routes: config.routes, configured: config.channels),
            logger: logger)
        try await notifications.start()
        await Self.observe(jobs: jobs, heartbeats: heartbeats, promises: promises, hub: hub, into: notifications)
        let reloader = Task {
            for await _ in await UnixSignalsSequence(trapping: .sighup) {
                logger.info("SIGHUP received, reloading keepwatch.yaml and plans")
                await Self.reloadConfig(data: data, running: config, accounts: accounts, policy: policy, logger: logger)
                if let fresh = try? NodeConfig.loadOrCreate(data) {
                    await promises.setConfigured(fresh.checks)
                    await notifications.reconfigure(channels: fresh.channels, routes: fresh.routes)
                    await Self.applyHeartbeats(fresh.heartbeats, to: heartbeats, logger: logger)
                }
                await jobs.reload()
                do {
                    try await hub.reload()
                } catch {
                    logger.error("sources not reloaded: \(error)")
                }
            }
        }
        let sweeper = Task {
            while !Task.isCancelled {
                do {
                    try await accounts.sweepIdleSessions()
                } catch {
                    logger.error("idle sessions not swept: \(error)")
                }
                try? await Task.sleep(nanoseconds: UInt64(min(max(accounts.sessionTTL / 2, 1), 600)) * 1_000_000_000)
            }
        }
        let app = try HTTPServer.application(
            jobs: jobs, hub: hub, heartbeats: heartbeats, promises: promises, notifications: notifications, data: data, security: .init(accounts: accounts, policy: policy, tls: tls), host: config.bind, port: listenPort,
            version: KeepwatchVersion.version, logger: logger,
            services: [JobServiceLifecycle(jobs: jobs, logger: logger)],
            onRunning: { port in
                logger.info("starting http server on port \(port)", metadata: ["address": "\(config.bind):\(port)", "scheme": "\(scheme)"])
                do {
                    let base = config.monitorBaseURL ?? "\(scheme)://\(Self.advertised(config.bind)):\(port)"
                    await promises.setBase(base)
                    await notifications.setNode(await promises.title, url: base)
                    try await promises.start()
                } catch {
                    logger.error("promises are not run: \(error)")
                }
                // Sources are read once the node listens: a keepwatch source may be this very node.
                do {
                    await jobs.setActivityObserver { hub.localActivity() }
                    try await hub.beginRefreshing(localURL: "\(scheme)://\(config.bind):\(port)")
                } catch {
                    logger.error("the hub's sources are not read: \(error)")
                }
            })
        var failure: (any Error)?
        do {
            try await app.runService()
        } catch {
            failure = error
            logger.error("server stopped: \(error)")
        }
        reloader.cancel()
        sweeper.cancel()
        await hub.stop()
        await heartbeats.stop()
        await promises.stop()
        await notifications.stop()
        try await store.close()
        if let failure {
            FileHandle.standardError.write(Data("keepwatch: cannot serve on \(config.bind):\(listenPort): \(failure)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension ServeCommand {
    /// keepwatch.yaml's heartbeat checks, made, changed or removed as the file now says.
    static func applyHeartbeats(_ heartbeats: [ConfiguredHeartbeat], to service: HeartbeatService, logger: Logger) async {
        do {
            let outcome = try await service.applyConfigured(heartbeats)
            for (words, names) in [("made", outcome.made), ("changed", outcome.changed), ("removed", outcome.removed)] where !names.isEmpty {
                logger.info("heartbeat checks from keepwatch.yaml \(words)", metadata: ["checks": "\(names.joined(separator: ","))"])
            }
        } catch {
            logger.error("heartbeat checks from keepwatch.yaml not applied: \(error)")
        }
    }

    /// Says why the node cannot start, on standard error, and gives the exit status to end with.
    static func exit(_ error: any Error, status: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("keepwatch: \(error)\n".utf8))
        return ExitCode(status)
    }

    /// Imports `users:` from keepwatch.yaml and, when the store has no user at all, creates `admin` with a
    /// random password shown once on the console and in the log (as cmon-proxy does).
    static func prepareAccounts(_ accounts: AccountService, config: NodeConfig, logger: Logger) async throws {
        let imported = try await accounts.importConfiguredUsers(config.users)
        if !imported.isEmpty { logger.info("users imported from keepwatch.yaml", metadata: ["users": "\(imported.joined(separator: ","))"]) }
        if let password = try await accounts.createFirstAdminIfNeeded() {
            // The log is the console (standard error), so this one line is both; a log level above notice would hide
            // the only copy of the password, so then it goes to standard error directly.
            let lines = ["Default 'admin' user has been created with password '\(password)'", "change it with: keepwatch admin setpassword admin"]
            if NodeLogLevel.current > .notice {
                FileHandle.standardError.write(Data(lines.map { "keepwatch: \($0)\n" }.joined().utf8))
            } else {
                for line in lines { logger.notice("\(line)") }
            }
        }
    }

    static func promiseSettings(_ config: NodeConfig, data: DataDirectory, scheme: String, port: Int) -> PromiseRunner.Settings {
        let directory = config.promiseDirectory.map { $0.hasPrefix("/") ? $0 : data.root.appendingPathComponent($0).path }
        return PromiseRunner.Settings(directory: directory, title: config.monitorTitle ?? "Keepwatch on \(ProcessInfo.processInfo.hostName)",
                                      base: config.monitorBaseURL ?? "\(scheme)://\(advertised(config.bind)):\(port)",
                                      concurrency: config.promiseConcurrency)
    }

    /// The host other machines reach this node by: the bind address, or the host name when it binds every address.
    static func advertised(_ bind: String) -> String {
        if bind == "0.0.0.0" || bind == "::" || bind == "*" { return ProcessInfo.processInfo.hostName }
        return bind.contains(":") ? "[\(bind)]" : bind
    }

    static func tlsConfiguration(_ config: NodeConfig, data: DataDirectory, logger: Logger) throws -> TLSConfiguration? {
        guard let files = try TLSSetup.files(for: config, data: data) else { return nil }
        if files.generated { logger.notice("self-signed certificate generated", metadata: ["certificate": "\(files.certificate)"]) }
        return try TLSSetup.configuration(files)
    }

    /// Applies what can change without a restart (log level, session TTL, public status, new users);
    /// a broken file is reported and ignored. Sessions live in the store, so a reload keeps them.
    static func reloadConfig(data: DataDirectory, running: NodeConfig, accounts: AccountService, policy: AccessPolicy,
                             logger: Logger) async {
        do {
            let fresh = try NodeConfig.loadOrCreate(data)
            NodeLogLevel.current = Logger.Level(rawValue: fresh.logLevel) ?? .info
            accounts.setSessionTTL(fresh.sessionTTL)
            policy.setPublicStatus(fresh.publicStatus)
            policy.setPublicMonitor(fresh.monitorPublic)
            try await prepareAccounts(accounts, config: fresh, logger: logger)
            if fresh.port != running.port || fresh.bind != running.bind || fresh.tls != running.tls
                || fresh.tlsCertificate != running.tlsCertificate || fresh.tlsKey != running.tlsKey {
                logger.warning("port, bind and tls changes take effect on restart")
            }
            if fresh.fetchJobsHours != running.fetchJobsHours || fresh.fetchBackupsDays != running.fetchBackupsDays
                || fresh.hubConcurrency != running.hubConcurrency || fresh.pingBodyLimit != running.pingBodyLimit
                || fresh.pingBurst != running.pingBurst || fresh.pingsPerSecond != running.pingsPerSecond
                || fresh.monitorTitle != running.monitorTitle || fresh.monitorBaseURL != running.monitorBaseURL
                || fresh.promiseDirectory != running.promiseDirectory || fresh.promiseConcurrency != running.promiseConcurrency {
                logger.warning("fetch_jobs_hours, fetch_backups_days, hub_concurrency and monitor changes other than public and checks take effect on restart")
            }
        } catch {
            logger.error("keepwatch.yaml not reloaded, keeping the running configuration: \(error)")
        }
    }
}

/// Keeps the job service running alongside the server; on graceful shutdown it aborts running jobs and waits.
struct JobServiceLifecycle: Service {
    let jobs: JobService
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("shutting down")
        await jobs.shutdown()
    }
}


