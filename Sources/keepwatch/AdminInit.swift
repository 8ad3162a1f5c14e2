import ArgumentParser
import Foundation
import KeepwatchCore
import KeepwatchEngine

struct AdminInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a commented keepwatch.yaml (mode 0600, atomically).",
        discussion: """
        Every option is checked before anything is written: --tls on needs --tls-cert and --tls-key, both files must be readable, and --bind must be an IP address or a host name that resolves. An existing file is replaced only with --force.

        Examples:
          keepwatch admin init --bind 0.0.0.0 --tls auto
          keepwatch admin init --tls on --tls-cert /etc/kw/server.crt \\
            --tls-key /etc/kw/server.key --force
        """)
    @Option(help: "HTTP(S) port (0-65535; 0 picks a free port).") var port = 8090
    @Option(help: "Address to listen on: an IP address (0.0.0.0 for every interface) or a host name.") var bind = "127.0.0.1"
    @Option(help: "off, on or auto (default: on when --tls-cert and --tls-key are given, else off; auto makes a self-signed certificate when no files are given).")
    var tls: String?
    @Option(help: ArgumentHelp("Certificate chain file (PEM), server certificate first.", valueName: "file")) var tlsCert: String?
    @Option(help: ArgumentHelp("Private key file (PEM).", valueName: "file")) var tlsKey: String?
    @Flag(help: "Open mgob's /status to anyone.") var publicStatus = false
    @Flag(help: "Replace an existing keepwatch.yaml.") var force = false
    @OptionGroup var options: AdminOptions

    func run() async throws {
        let data = DataDirectory(path: options.dataPath)
        let path = data.configFile.path
        try exitOnFailure {
            let settings = try InitSettings(port: port, bind: bind, tls: tls, certificate: tlsCert, key: tlsKey)
            if FileManager.default.fileExists(atPath: path) && !force {
                throw AdminFailure("\(path) exists; use --force to replace it")
            }
            let text = settings.configText(publicStatus: publicStatus)
            _ = try NodeConfig.parse(text, path: path)
            try data.prepare()
            try AtomicFiles.write(Data(text.utf8), to: path, permissions: [.ownerReadWrite])
        }
        print("wrote \(path)")
        if let pid = NodePidFile(data: data).signalReload() { print("told the running node (pid \(pid)) to reload") }
    }
}

/// The `admin init` options, checked the way the node will use them, so that the file written is one the node accepts.
struct InitSettings {
    let port: Int
    let bind: String
    let tls: NodeConfig.TLSMode
    /// Absolute paths: the node reads relative ones from its data directory, not from where `init` ran.
    let certificate: String?
    let key: String?

    init(port: Int, bind: String, tls: String?, certificate: String?, key: String?) throws {
        let mode = try InitSettings.tlsMode(tls, hasFiles: certificate != nil || key != nil)
        guard (0...65_535).contains(port) else { throw AdminFailure("--port: \(port) is not a port (0-65535)") }
        if certificate != nil && key == nil { throw AdminFailure("--tls-cert needs --tls-key as well") }
        if certificate == nil && key != nil { throw AdminFailure("--tls-key needs --tls-cert as well") }
        if certificate == nil && mode == .on {
            throw AdminFailure("--tls on needs --tls-cert and --tls-key; use --tls auto for a self-signed certificate")
        }
        if mode == .off, certificate != nil {
            throw AdminFailure("--tls off with --tls-cert and --tls-key would still serve HTTPS; use --tls on, or leave the files out")
        }
        try InitSettings.checkBindAddress(bind)
        self.port = port
        self.bind = bind
        self.tls = mode
        self.certificate = try certificate.map { try InitSettings.readableFile($0, option: "--tls-cert") }
        self.key = try key.map { try InitSettings.readableFile($0, option: "--tls-key") }
    }

    /// The template with these settings filled in.
    func configText(publicStatus: Bool) -> String {
        var lines = NodeConfig.defaultText.components(separatedBy: "\n")
        func set(_ key: String, _ value: String) {
            if let index = lines.firstIndex(where: { $0.hasPrefix("\(key):") || $0.hasPrefix("# \(key):") }) {
                lines[index] = "\(key): \(value)"
            }
        }
        set("port", "\(port)")
        set("bind", bind.contains(":") ? DoubleQuoted.quote(bind) : bind)
        set("tls", tls.rawValue)
        if let certificate { set("tls_cert", DoubleQuoted.quote(certificate)) }
        if let key { set("tls_key", DoubleQuoted.quote(key)) }
        set("public_status", publicStatus ? "true" : "false")
        return lines.joined(separator: "\n")
    }

    private static func tlsMode(_ text: String?, hasFiles: Bool) throws -> NodeConfig.TLSMode {
        guard let text else { return hasFiles ? .on : .off }
        guard let mode = NodeConfig.TLSMode(rawValue: text.lowercased()) else {
            throw AdminFailure("--tls: '\(text)' is not off, on or auto")
        }
        return mode
    }

    /// An IPv4 or IPv6 address, or a host name this machine resolves (what the node will try to listen on).
    private static func checkBindAddress(_ address: String) throws {
        guard !address.isEmpty else { throw AdminFailure("--bind: give an address such as 127.0.0.1 or 0.0.0.0") }
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(address, nil, nil, &found)
        if let found { freeaddrinfo(found) }
        guard status == 0 else {
            let reason = String(cString: gai_strerror(status)).lowercased()
            throw AdminFailure("--bind: '\(address)' is not an IP address or a host name this machine resolves (\(reason))")
        }
    }

    /// The file's absolute path, when it exists and can be read.
    private static func readableFile(_ path: String, option: String) throws -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw AdminFailure("\(option): \(path): no such file")
        }
        guard !isDirectory.boolValue else { throw AdminFailure("\(option): \(path) is a directory, not a PEM file") }
        guard FileManager.default.isReadableFile(atPath: absolute) else {
            throw AdminFailure("\(option): \(path) cannot be read (check its permissions)")
        }
        return absolute
    }
}
