import Foundation
import KeepwatchCore
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one mail over SMTP: `EHLO`, `STARTTLS` (or TLS from the first byte, or none), `AUTH PLAIN` or `AUTH LOGIN`
/// when a user is given, then the envelope and the message. Certificates are verified unless the channel says
/// `tls_insecure`. Every reply is checked; the error names the step and quotes the server.
struct SMTPClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// The server refused for good (5xx): retrying will not help.
        let permanent: Bool
    }

    let settings: ChannelDefinition.SMTP
    let password: String?
    let timeout: Int

    func send(_ message: [UInt8], recipients: [String]) async throws {
        let tls = try tlsContext()
        let lines = SMTPLines()
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(Int64(timeout)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if settings.tls == .implicit, let tls { try channel.pipeline.syncOperations.addHandler(try Self.handler(tls, host: settings.host)) }
                    try channel.pipeline.syncOperations.addHandler(lines)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: settings.host, port: settings.port).get()
        } catch {
            throw Failure(description: "cannot reach \(settings.host):\(settings.port): \(error)", permanent: false)
        }
        defer { channel.close(promise: nil) }
        let session = SMTPSession(channel: channel, lines: lines, timeout: timeout)
        try await session.expect(220, step: "greeting")
        var capabilities = try await session.command("EHLO \(Self.helloName)", expect: 250, step: "EHLO")
        if settings.tls == .starttls, let tls {
            guard capabilities.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                throw Failure(description: "\(settings.host) does not offer STARTTLS (set tls: implicit or none)", permanent: true)
            }
            _ = try await session.command("STARTTLS", expect: 220, step: "STARTTLS")
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(try Self.handler(tls, host: settings.host), position: .first)
            }.get()
            capabilities = try await session.command("EHLO \(Self.helloName)", expect: 250, step: "EHLO after STARTTLS")
        }
        if let username = settings.username {
            try await authenticate(session, username: username, capabilities: capabilities)
        }
        _ = try await session.command("MAIL FROM:<\(Self.bare(settings.from))>", expect: 250, step: "MAIL FROM")
        for recipient in recipients {
            _ = try await session.command("RCPT TO:<\(Self.bare(recipient))>", expect: 250, also: 251, step: "RCPT TO \(recipient)")
        }
        _ = try await session.command("DATA", expect: 354, step: "DATA")
        try await session.write(Self.dotStuffed(message) + Array("\r\n.\r\n".utf8))
        try await session.expect(250, step: "the message")
        _ = try? await session.command("QUIT", expect: 221, step: "QUIT")
    }

    func authenticate(_ session: SMTPSession, username: String, capabilities: [String]) async throws {
        let auth = capabilities.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased() ?? ""
        let secret = password ?? ""
        if auth.contains("PLAIN") || !auth.contains("LOGIN") {
            let token = Data("\u{0}\(username)\u{0}\(secret)".utf8).base64EncodedString()
            _ = try await session.command("AUTH PLAIN \(token)", expect: 235, step: "AUTH PLAIN", secret: true)
        } else {
            _ = try await session.command("AUTH LOGIN", expect: 334, step: "AUTH LOGIN")
            _ = try await session.command(Data(username.utf8).base64EncodedString(), expect: 334, step: "AUTH LOGIN user", secret: true)
            _ = try await session.command(Data(secret.utf8).base64EncodedString(), expect: 235, step: "AUTH LOGIN password", secret: true)
        }
    }

    func tlsContext() throws -> NIOSSLContext? {
        guard settings.tls != .none else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if settings.tlsInsecure {
            configuration.certificateVerification = .none
        } else if Self.isAddress(settings.host) {
            // A certificate for an IP address is checked for its chain; NIOSSL names hosts, not addresses.
            configuration.certificateVerification = .noHostnameVerification
        }
        if let caFile = settings.caFile { configuration.trustRoots = .file(caFile) }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw Failure(description: "TLS is not set up: \(error) (is ca_file a PEM certificate?)", permanent: true)
        }
    }

    static func handler(_ context: NIOSSLContext, host: String) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: isAddress(host) ? nil : host)
    }

    static func isAddress(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }

    static var helloName: String {
        let name = ProcessInfo.processInfo.hostName
        return name.isEmpty || name.contains(" ") ? "keepwatch" : name
    }

    /// The address inside `Name <address>`.
    static func bare(_ address: String) -> String {
        guard let open = address.lastIndex(of: "<"), address.hasSuffix(">") else { return address }
        return String(address[address.index(after: open)..<address.index(before: address.endIndex)])
    }

    /// A line that starts with a dot gets another, so the server does not read it as the end.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(message.count + 64)
        var lineStart = true
        for byte in message {
            if lineStart && byte == UInt8(ascii: ".") { result.append(byte) }
            result.append(byte)
            lineStart = byte == UInt8(ascii: "\n")
        }
        return result
    }
}
