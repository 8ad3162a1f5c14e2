import Foundation
import KeepwatchCore

/// `keepwatch.yaml`: created with defaults on first start; a broken file stops the node with the reason
/// (and the line), and nothing is overwritten.
public struct NodeConfig: Equatable, Sendable {
    public var port: Int = 8090
    public var bind: String = "127.0.0.1"
    public var logLevel: String = "info"

    public static let knownKeys: Set<String> = ["port", "bind", "log_level"]
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    public static let defaultText = """
        # Keepwatch node configuration (created on first start; edit and send SIGHUP or restart).
        # HTTP port of the API, mgob's /status and /metrics.
        port: 8090
        # Address to listen on. Until authentication is built in, only loopback addresses are allowed.
        bind: 127.0.0.1
        # trace, debug, info, notice, warning, error or critical.
        log_level: info

        """

    public init() {}

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads the file, writing the defaults first when it does not exist.
    public static func loadOrCreate(_ data: DataDirectory) throws -> NodeConfig {
        let path = data.configFile.path
        if !FileManager.default.fileExists(atPath: path) {
            try AtomicFilesWriter.write(Data(defaultText.utf8), to: path)
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Failure(description: "cannot read \(path): \(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> NodeConfig {
        let value: JSONValue
        do {
            value = try YAMLValue.json(from: text)
        } catch {
            throw Failure(description: "\(path) is \(error)")
        }
        guard let object = value.objectValue else { throw Failure(description: "\(path): expected key: value lines") }
        var config = NodeConfig()
        for key in object.keys.sorted() where !knownKeys.contains(key) {
            throw Failure(description: "\(path): unknown key '\(key)' (known: \(knownKeys.sorted().joined(separator: ", ")))")
        }
        if let port = object["port"] {
            guard case .number(let number) = port, number.rounded() == number, (0...65_535).contains(number) else {
                throw Failure(description: "\(path): port must be a number 0-65535")
            }
            config.port = Int(number)
        }
        if let bind = object["bind"] {
            guard let text = bind.stringValue, !text.isEmpty else { throw Failure(description: "\(path): bind must be an address") }
            config.bind = text
        }
        if let level = object["log_level"] {
            guard let text = level.stringValue, logLevels.contains(text) else {
                throw Failure(description: "\(path): log_level must be one of \(logLevels.joined(separator: ", "))")
            }
            config.logLevel = text
        }
        return config
    }
}

enum AtomicFilesWriter {
    static func write(_ data: Data, to path: String) throws {
        try AtomicFiles.write(data, to: path, permissions: [.ownerReadWrite])
    }
}
