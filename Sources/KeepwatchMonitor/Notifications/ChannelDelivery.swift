import AsyncHTTPClient
import Foundation
import KeepwatchCore
import KeepwatchEngine
import NIOCore
import NIOHTTP1
import SystemPackage

/// Sends one message through one channel: mail over SMTP, an HTTP request (Slack, webhooks and presets), or a
/// program with the message in its environment. Secrets are read only here, at the moment of sending, and never
/// appear in an error.
struct ChannelDelivery {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let channel: ChannelDefinition
    /// Replaces secrets in what an error quotes.
    var secrets: [String] = []

    init(channel: ChannelDefinition) {
        self.channel = channel
    }

    func deliver(_ message: NotificationMessage) async throws {
        switch channel.kind {
        case .smtp: try await mail(message)
        case .slack, .webhook: try await post(message)
        case .command: try await run(message)
        }
    }

    static func resolve(_ secret: SecretReference) throws -> String {
        switch secret {
        case .inline(let value): return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Failure(description: "the secret file \(path) cannot be read")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw Failure(description: "the environment variable \(name) is not set")
            }
            return value
        }
    }

    func hidden(_ text: String, _ secrets: [String]) -> String {
        secrets.filter { $0.count >= 4 }.reduce(text) { $0.replacingOccurrences(of: $1, with: "<secret>") }
    }

    // MARK: mail

    func mail(_ message: NotificationMessage) async throws {
        guard let smtp = channel.smtp else { return }
        let password = try smtp.password.map(Self.resolve)
        let mail = MailMessage(from: smtp.from, to: smtp.to, subject: "[Keepwatch] " + message.subject, text: message.text,
                               html: message.html, date: message.now, token: UUID().uuidString.lowercased())
        do {
            try await SMTPClient(settings: smtp, password: password, timeout: channel.timeout).send(mail.bytes, recipients: smtp.to)
        } catch {
            throw Failure(description: hidden("\(error)", [password].compactMap { $0 }))
        }
    }

    // MARK: HTTP

    func post(_ message: NotificationMessage) async throws {
        guard let hook = channel.webhook else { return }
        let url = try Self.resolve(hook.url)
        let routingKey = try hook.routingKey.map(Self.resolve)
        let request = channel.kind == .slack ? WebhookRequest.slack(url: url, message: message)
            : WebhookRequest.webhook(hook, url: url, routingKey: routingKey, message: message)
        let secrets = [url, routingKey].compactMap { $0 } + hook.headers.values.filter { $0.count >= 8 }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        outgoing.headers.add(name: "User-Agent", value: "Keepwatch")
        for (name, value) in request.headers { outgoing.headers.replaceOrAdd(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(string: body)) }
        let response: HTTPClientResponse
        do {
            response = try await Self.client.execute(outgoing, timeout: .seconds(Int64(channel.timeout)))
        } catch {
            throw Failure(description: hidden("\(request.method) failed: \(BuiltInProbes.words(for: error))", secrets))
        }
        let body = try? await response.body.collect(upTo: 4096)
        guard (200..<300).contains(Int(response.status.code)) else {
            let said = body.map { String(buffer: $0).prefix(300) } ?? ""
            throw Failure(description: hidden("the receiver answered \(response.status.code)\(said.isEmpty ? "" : ": \(said)")", secrets))
        }
    }

    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .follow(max: 3, allowCycles: false), timeout: .init(connect: .seconds(10)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    // MARK: command

    /// The program, with the placeholders of its arguments filled in and the message in `KEEPWATCH_*` variables.
    func run(_ message: NotificationMessage) async throws {
        guard let command = channel.command, let program = command.first else { return }
        var environment: [String: String] = ["KEEPWATCH_EVENT_COUNT": String(message.events.count)]
        for (key, value) in message.placeholders { environment["KEEPWATCH_" + key.dropFirst()] = value }
        environment["KEEPWATCH_TEXT"] = message.text
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("keepwatch-notify-\(UUID().uuidString)").path
        let output = try FileDescriptor.open(scratch, .readWrite, options: [.create, .truncate, .closeOnExec], permissions: [.ownerReadWrite])
        defer {
            try? output.close()
            unlink(scratch)
        }
        let control = RunControl()
        let seconds = channel.timeout
        let timer = Task {
            try await Task.sleep(nanoseconds: UInt64(seconds) * 1_000_000_000)
            control.stop(.timedOut(seconds: seconds))
        }
        defer { timer.cancel() }
        let termination: Termination
        do {
            termination = try await ProcessLauncher.run(program, command.dropFirst().map { message.fill($0) }, environment: environment,
                                                        output: output, error: output, control: control)
        } catch {
            throw Failure(description: "\(program) did not start: \(error)")
        }
        guard termination.succeeded else {
            let said = String(decoding: (FileManager.default.contents(atPath: scratch) ?? Data()).suffix(300), as: UTF8.self)
            let why = control.stopReason.map { "\($0)" } ?? "\(termination)"
            throw Failure(description: "\(program) ended with \(why)\(said.isEmpty ? "" : ": \(said.trimmingCharacters(in: .whitespacesAndNewlines))")")
        }
    }
}
