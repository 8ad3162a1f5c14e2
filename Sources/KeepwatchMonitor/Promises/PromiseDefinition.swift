import Foundation
import KeepwatchCore

/// A promise found in the promise directory: an executable file and its optional `<name>.cfg`.
struct PromiseDefinition: Sendable, Equatable {
    /// The file name without its extension, as SlapOS titles promises; the name in URLs and file names.
    let id: String
    let file: String
    let path: String
    let config: PromiseConfig
    let cron: CronSpec
    /// Changes when the executable or its .cfg does (modification times and sizes), or the built-in check's document.
    let fingerprint: String
    /// A check Keepwatch runs itself instead of an executable.
    var builtIn: BuiltInCheck?
    /// Why the promise cannot run as it is (its .cfg): it then fails with this, every minute, instead of vanishing.
    var problem: String?

    init(id: String, file: String, path: String, config: PromiseConfig, cron: CronSpec, fingerprint: String, builtIn: BuiltInCheck? = nil,
         problem: String? = nil) {
        self.problem = problem
        self.id = id
        self.file = file
        self.path = path
        self.config = config
        self.cron = cron
        self.fingerprint = fingerprint
        self.builtIn = builtIn
    }

    /// A built-in check as the runner runs it (its frequency was checked when it was read).
    init?(builtIn check: BuiltInCheck) {
        guard let cron = try? CronExpressionParser.parse(check.frequency) else { return nil }
        var config = PromiseConfig()
        config.title = check.title
        config.frequency = check.frequency
        config.timeout = check.timeout
        config.failureAmount = check.failureAmount
        config.resultCount = check.resultCount
        self.init(id: check.name, file: check.name, path: "keepwatch:\(check.kind)", config: config, cron: cron,
                  fingerprint: JSONWriter.text(check.document), builtIn: check)
    }

    var title: String { config.title ?? id }

    /// Every executable in `directory` with its .cfg; a promise whose .cfg cannot be read fails with what is wrong.
    /// nil when the directory cannot be listed (then nothing is taken as removed).
    static func scan(_ directory: String) -> (promises: [PromiseDefinition], problems: [String])? {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return nil }
        var promises: [PromiseDefinition] = []
        var problems: [String] = []
        var seen: Set<String> = []
        for name in names.sorted() where !name.hasPrefix(".") && !name.hasSuffix(".cfg") && !name.hasSuffix("~") {
            let path = directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            guard access(path, X_OK) == 0 else {
                problems.append("promise \(name) skipped: it is not executable (chmod +x it)")
                continue
            }
            let id = (name as NSString).deletingPathExtension
            guard PromiseDefinition.isSafeID(id), seen.insert(id).inserted else {
                problems.append("promise \(name) skipped: its name must be letters, digits, '.', '-' or '_' and unique without its extension")
                continue
            }
            let cfgPath = directory + "/" + id + ".cfg"
            var config = PromiseConfig()
            var fingerprint = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_size)"
            var problem: String?
            var cfgInfo = stat()
            if stat(cfgPath, &cfgInfo) == 0 {
                fingerprint += "|\(cfgInfo.st_mtim.tv_sec).\(cfgInfo.st_mtim.tv_nsec):\(cfgInfo.st_size)"
                if let bytes = manager.contents(atPath: cfgPath), let text = String(bytes: bytes, encoding: .utf8) {
                    do {
                        config = try PromiseConfig(text: text, file: id + ".cfg")
                    } catch {
                        problem = error.description
                    }
                } else {
                    problem = "\(id).cfg cannot be read as UTF-8 text"
                }
            }
            guard let cron = try? CronExpressionParser.parse(config.frequency) else {
                problem = "\(id).cfg: frequency \(config.frequency) is not a cron line"
                config = PromiseConfig()
                promises.append(PromiseDefinition(id: id, file: name, path: path, config: config, cron: (try? CronExpressionParser.parse("* * * * *")) ?? CronSpec(),
                                                  fingerprint: fingerprint, problem: problem))
                continue
            }
            if let problem { problems.append("promise \(name) is failing until its .cfg is fixed: \(problem)") }
            promises.append(PromiseDefinition(id: id, file: name, path: path, config: config, cron: cron, fingerprint: fingerprint, problem: problem))
        }
        return (promises, problems)
    }

    static func isSafeID(_ id: String) -> Bool {
        id.count <= 200 && id != "." && id != ".." && PlainName.isPlain(id, dots: true)
    }
}
