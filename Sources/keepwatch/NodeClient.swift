import AsyncHTTPClient
import Foundation
import KeepwatchCore
import NIOCore
import NIOHTTP1

/// Talks to a running node's native API for the CLI commands. Made by `clientCall`, which owns the HTTP client.
struct NodeClient {
    let endpoint: NodeEndpoint
    let token: String?
    let http: HTTPClient

    /// A failure already worded for the user; printed after `keepwatch: `.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(description: String) { self.description = description }
        init(_ description: String) { self.description = description }
    }

    var baseURL: String { endpoint.baseURL }

    func authorize(_ request: inout HTTPClientRequest) {
        if let token, !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    }

    /// The reason in a failed reply: the native `error`, or cmon-proxy's `error_string`, with advice for a 401.
    func failure(_ status: UInt, _ value: JSONValue) -> Failure {
        if status == 401 {
            let advice = token == nil ? "set KEEPWATCH_TOKEN or --token (create one with: keepwatch admin token create --role operator)"
                                      : "the token is unknown, expired or revoked"
            return Failure("not authenticated: \(advice)")
        }
        let message = value["error"]?.stringValue ?? value["error_string"]?.stringValue ?? "HTTP \(status)"
        let field = value["field"]?.stringValue.map { " (field: \($0))" } ?? ""
        return Failure("\(message)\(field)")
    }

    /// Sends a request and returns the status and the JSON reply (text that is not JSON comes back as a string),
    /// whatever the status; only a node that cannot be reached is an error.
    func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> (status: UInt, value: JSONValue) {
        let request = try prepare(method, path, body: body)
        return try await reachingNode {
            let response = try await http.execute(request, timeout: .seconds(600))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            return (status: response.status.code, value: Self.decode(bytes))
        }
    }

    /// Like `send`, but a reply of 400 or more is an error with the node's reason.
    func request(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> (UInt, JSONValue) {
        let (status, value) = try await send(method, path, body: body)
        if status >= 400 { throw failure(status, value) }
        return (status, value)
    }

    /// Streams a response body to `handle`, chunk by chunk, as it arrives.
    func stream(_ path: String, _ handle: ([UInt8]) -> Void) async throws {
        let request = try prepare(.GET, path, body: nil)
        try await reachingNode {
            let response = try await http.execute(request, timeout: .hours(24))
            if response.status.code >= 400 {
                let bytes = try await response.body.collect(upTo: 1 << 20)
                throw failure(response.status.code, Self.decode(bytes))
            }
            do {
                for try await chunk in response.body { handle(Array(chunk.readableBytesView)) }
            } catch {
                throw Failure("the connection to the node at \(baseURL) broke while the log was streaming; did the node stop?")
            }
        }
    }

    private func prepare(_ method: HTTPMethod, _ path: String, body: JSONValue?) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        authorize(&request)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        }
        return request
    }

    /// Runs one exchange with the node; a transport error becomes a sentence that says what to do.
    private func reachingNode<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(NodeTransportError.explain(error, endpoint: endpoint))
        }
    }

    private static func decode(_ bytes: ByteBuffer) -> JSONValue {
        if bytes.readableBytes == 0 { return .null }
        return (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: bytes))) ?? .string(String(buffer: bytes))
    }
}

/// Percent-encoding for ids and names put into a URL path or query.
extension String {
    var urlComponent: String {
        addingPercentEncoding(withAllowedCharacters: Self.unreservedURLCharacters) ?? self
    }

    private static var unreservedURLCharacters: CharacterSet {
        CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    }
}
