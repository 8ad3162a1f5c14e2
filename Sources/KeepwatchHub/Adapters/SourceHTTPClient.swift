import AsyncHTTPClient
import Foundation
import KeepwatchCore
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// HTTP to sources: one AsyncHTTPClient per TLS trust (verified against the system roots by default, a source's own
/// CA file, or — only when a source says `tls_insecure: true` — unverified), replies bounded in size, every failure
/// worded as Go's client words it (`Post "https://h:p/v2/auth": …`) so status messages read like cmon-proxy's.
public final class SourceHTTPClient: Sendable {
    public struct Reply: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: ByteBuffer

        /// The body as JSON, or a failure that says the reply was not JSON.
        public func json(from url: String) throws(SourceFailure) -> JSONValue {
            try Self.json(Array(buffer: body), status: status, from: url)
        }

        static func json(_ bytes: [UInt8], status: Int, from url: String) throws(SourceFailure) -> JSONValue {
            do {
                return try JSONParser.parse(bytes: bytes)
            } catch {
                throw .failed("\(url): the reply is not valid JSON (HTTP \(status)): \(error)")
            }
        }
    }

    struct Trust: Hashable {
        var caFile: String?
        var insecure: Bool
    }

    private let clients = Mutex<[Trust: HTTPClient]>([:])

    public init() {}

    func client(for source: SourceDefinition) throws(SourceFailure) -> HTTPClient {
        let trust = Trust(caFile: source.tlsCAFile, insecure: source.tlsInsecure)
        if let client = clients.withLock({ $0[trust] }) { return client }
        var tls = TLSConfiguration.makeClientConfiguration()
        if trust.insecure { tls.certificateVerification = .none }
        if let file = trust.caFile {
            guard FileManager.default.isReadableFile(atPath: file) else { throw .failed("tls_ca_file \(file) cannot be read") }
            tls.trustRoots = .file(file)
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow,
                                                     timeout: .init(connect: .seconds(3)))
        configuration.decompression = .disabled
        // A refused connection is reported at once; the poller's backoff does the retrying.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        let made = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let (client, spare) = clients.withLock { cache -> (HTTPClient, HTTPClient?) in
            if let existing = cache[trust] { return (existing, made) }
            cache[trust] = made
            return (made, nil)
        }
        if let spare { try? spare.syncShutdown() }
        return client
    }

    /// One request; the reply's status is returned as it is (callers decide what a 401 means).
    public func send(_ method: HTTPMethod, _ url: String, body: String? = nil, headers: [(String, String)] = [],
                     source: SourceDefinition, settings: HubSettings) async throws(SourceFailure) -> Reply {
        let client = try client(for: source)
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let verb = method.rawValue.prefix(1) + method.rawValue.dropFirst().lowercased()
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(source.timeout)))
            let collected: ByteBuffer
            do {
                collected = try await response.body.collect(upTo: settings.maximumReplyBytes)
            } catch is NIOTooManyBytesError {
                throw SourceFailure.failed("\(verb) \"\(url)\": the reply is larger than \(settings.maximumReplyBytes >> 20) MiB")
            }
            return Reply(status: Int(response.status.code), headers: response.headers, body: collected)
        } catch let failure as SourceFailure {
            throw failure
        } catch is CancellationError {
            throw .failed("\(verb) \"\(url)\": cancelled")
        } catch {
            throw .failed("\(verb) \"\(url)\": \(Self.words(for: error))")
        }
    }

    static func words(for error: any Error) -> String {
        if let client = error as? HTTPClientError {
            switch client {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timeout awaiting response headers"
            case .remoteConnectionClosed: return "the remote closed the connection"
            default: return "\(client)"
            }
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "dial tcp: connect: connection refused" }
        if text.contains("handshakeFailed") || text.contains("BoringSSL") || text.contains("NIOSSL") {
            return tlsWords(text)
        }
        return text
    }

    /// A TLS failure in a sentence: BoringSSL's reason, and what usually causes it.
    static func tlsWords(_ text: String) -> String {
        let reason = text.range(of: "OPENSSL_internal:").map { text[$0.upperBound...].prefix { $0.isLetter || $0 == "_" } }.map(String.init) ?? ""
        switch reason {
        case "WRONG_VERSION_NUMBER":
            return "TLS handshake failed (WRONG_VERSION_NUMBER): the source does not speak TLS here; if it serves plain HTTP, write its URL with http://"
        case "CERTIFICATE_VERIFY_FAILED":
            return "TLS handshake failed (CERTIFICATE_VERIFY_FAILED): the source's certificate is not trusted; set tls_ca_file to its CA"
        default:
            if text.contains("Hostname") || text.contains("hostname") { return "TLS: the source's certificate does not name this host" }
            return "TLS handshake failed" + (reason.isEmpty ? "" : " (\(reason))")
        }
    }

    public func shutdown() async {
        let all = clients.withLock { cache -> [HTTPClient] in
            defer { cache = [:] }
            return Array(cache.values)
        }
        for client in all { try? await client.shutdown() }
    }
}
