import ArgumentParser
import Foundation
import KeepwatchEngine

struct AdminInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a commented keepwatch.yaml (mode 0600, atomically).",
        discussion: "Refuses to replace an existing file unless --force. The result is checked before it is written.")
    @Option(help: "HTTP(S) port.") var port = 8090
    @Option(help: "Address to listen on (0.0.0.0 for every interface).") var bind = "127.0.0.1"
    @Option(help: "off, on or auto (self-signed certificate when no files are given).") var tls = "off"
    @Option(help: "Certificate chain file (PEM).") var tlsCert: String?
    @Option(help: "Private key file (PEM).") var tlsKey: String?
    @Flag(help: "Open mgob's /status to anyone.") var publicStatus = false
    @Flag(help: "Replace an existing keepwatch.yaml.") var force = false
    @OptionGroup var options: AdminOptions

    func run() async throws {
        let data = DataDirectory(path: options.dataPath)
        let path = data.configFile.path
        do {
            if FileManager.default.fileExists(atPath: path) && !force {
                throw AdminFailure("\(path) exists; use --force to replace it")
            }
            let text = configText()
            _ = try NodeConfig.parse(text, path: path)
            try data.prepare()
            try AtomicFiles.write(Data(text.utf8), to: path, permissions: [.ownerReadWrite])
        } catch {
            FileHandle.standardError.write(Data("keepwatch admin: \(error)\n".utf8))
            throw ExitCode(1)
        }
        print("wrote \(path)")
        if let pid = NodePidFile(data: data).signalReload() { print("told the running node (pid \(pid)) to reload") }
    }

    func configText() -> String {
        var lines = NodeConfig.defaultText.components(separatedBy: "\n")
        func set(_ key: String, _ value: String) {
            if let index = lines.firstIndex(where: { $0.hasPrefix("\(key):") || $0.hasPrefix("# \(key):") }) {
                lines[index] = "\(key): \(value)"
            }
        }
        set("port", "\(port)")
        set("bind", bind)
        set("tls", tls)
        if let tlsCert { set("tls_cert", tlsCert) }
        if let tlsKey { set("tls_key", tlsKey) }
        set("public_status", publicStatus ? "true" : "false")
        return lines.joined(separator: "\n")
    }
}
