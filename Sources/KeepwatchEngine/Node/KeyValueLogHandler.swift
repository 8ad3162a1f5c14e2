import Foundation
import KeepwatchCore
import Logging
import Synchronization

/// The node's log level, changed at run time when SIGHUP re-reads keepwatch.yaml.
public enum NodeLogLevel {
    private static let level = Mutex<Logger.Level>(.info)

    public static var current: Logger.Level {
        get { level.withLock { $0 } }
        set { level.withLock { $0 = newValue } }
    }
}

/// One line per event in mgob's (logrus) text style:
/// `time="2019-09-05T21:49:50Z" level=info msg="On demand backup started" plan=metadata`.
public struct KeyValueLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    /// A fixed level for this handler; nil follows `NodeLogLevel.current`.
    public var fixedLevel: Logger.Level?

    public var logLevel: Logger.Level {
        get { fixedLevel ?? NodeLogLevel.current }
        set { fixedLevel = newValue }
    }
    private let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }) {
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "time=\(Self.timestamp()) level=\(Self.name(event.level)) msg=\(Self.quoted(event.message.description))"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            guard let value = merged[key] else { continue }
            line += " \(key)=\(Self.quotedIfNeeded(value.description))"
        }
        write(line + "\n")
    }

    static func name(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: return "debug"
        case .info, .notice: return "info"
        case .warning: return "warning"
        case .error: return "error"
        case .critical: return "fatal"
        }
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    static func quoted(_ text: String) -> String { DoubleQuoted.quote(text) }

    static func quotedIfNeeded(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:@".contains($0) }
        return plain ? text : quoted(text)
    }
}
