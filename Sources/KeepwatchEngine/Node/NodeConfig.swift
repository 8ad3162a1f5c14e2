import Foundation
import KeepwatchCore

/// `keepwatch.yaml`: created with defaults on first start; a broken file stops the node with the reason
/// and the line, and nothing is overwritten.
public struct NodeConfig: Equatable, Sendable {
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain HTTP, unless `tls_cert` and `tls_key` are set.
        case off
        /// HTTPS with `tls_cert` and `tls_key`, which must exist.
        case on
        /// HTTPS with `tls_cert`/`tls_key` when they exist, else with a self-signed certificate made in the data directory.
        case auto
    }

    public var port: Int = 8090
    public var bind: String = "127.0.0.1"
    public var logLevel: String = "info"
    public var tls: TLSMode = .off
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Idle time after which a session ends, in seconds.
    public var sessionTTL: Int64 = 3600
    /// Opens mgob's `/status` and `/status/{plan}` to anyone (for scrapers and dashboards).
    public var publicStatus = false
    public var users: [ConfiguredUser] = []
    /// cmon-proxy's windows for ClusterControl sources: job instances of the last N hours, backups of the last N days.
    public var fetchJobsHours = 12
    public var fetchBackupsDays = 7
    /// How many sources the hub refreshes at the same time.
    public var hubConcurrency = 32
    /// Heartbeat pings: the body kept per ping, and how many pings a check takes at once and per second after.
    public var pingBodyLimit = 10_000
    public var pingBurst = 100
    public var pingsPerSecond = 20
    /// The monitor: whether its files are open without login, where promises live, its title and the URL its files
    /// link to (default: this node's address), and how many promises run at once.
    public var monitorPublic = false
    public var promiseDirectory: String?
    public var monitorTitle: String?
    public var monitorBaseURL: String?
    public var promiseConcurrency = 8
    /// Built-in checks (`checks:`), run with the promises.
    public var checks: [BuiltInCheck] = []
    /// Notification channels (`channels:`) and which events go where (`routes:`).
    public var channels: [ChannelDefinition] = []
    public var routes: [NotificationRoute] = []
    /// Heartbeat checks (`checks:` with `kind: heartbeat`), kept by the heartbeat service.
    public var heartbeats: [ConfiguredHeartbeat] = []

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    public init() {}

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public var bindsLoopbackOnly: Bool { ["127.0.0.1", "::1", "localhost"].contains(bind) || bind.hasPrefix("127.") }

    /// Whether the node serves HTTPS.
    public var tlsEnabled: Bool { tls != .off || (tlsCertificate != nil && tlsKey != nil) }

    /// Reads the file, writing the defaults first when it does not exist. `TLS_CERTIFICATE_FILE` and
    /// `TLS_KEY_FILE` in `environment` override `tls_cert` and `tls_key`, as in cmon-proxy.
    public static func loadOrCreate(_ data: DataDirectory, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NodeConfig {
        let path = data.configFile.path
        if !FileManager.default.fileExists(atPath: path) {
            try AtomicFiles.write(Data(defaultText.utf8), to: path, permissions: [.ownerReadWrite])
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Failure(description: "cannot read \(path): \(error.localizedDescription)")
        }
        var config = try NodeConfigParser(text: text, path: path).parse()
        if let file = environment["TLS_CERTIFICATE_FILE"], !file.isEmpty { config.tlsCertificate = file }
        if let file = environment["TLS_KEY_FILE"], !file.isEmpty { config.tlsKey = file }
        return config
    }

    /// The configuration a start would use, read without writing anything: the file when it exists, else the defaults.
    public static func peek(_ data: DataDirectory) throws -> NodeConfig {
        let path = data.configFile.path
        guard FileManager.default.fileExists(atPath: path) else { return try parse(defaultText, path: path) }
        return try loadOrCreate(data)
    }

    public static func parse(_ text: String, path: String) throws -> NodeConfig {
        try NodeConfigParser(text: text, path: path).parse()
    }
}
