import AsyncHTTPClient
import Foundation
import KeepwatchCore
import NIOCore
import NIOHTTP1

/// Talks to a running node's native API for the CLI commands.
struct NodeClient {
    let baseURL: String
    let token: String?

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(url: String?, token: String? = nil) {
        let environment = ProcessInfo.processInfo.environment
        let chosen = url ?? environment["KEEPWATCH_URL"] ?? "http://127.0.0.1:8090"
        baseURL = chosen.hasSuffix("/") ? String(chosen.dropLast()) : chosen
        self.token = token ?? environment["KEEPWATCH_TOKEN"]
    }

    func authorize(_ request: inout HTTPClientRequest) {
        if let token, !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    }

    /// The reason in a failed reply: the native `error`, or cmon-proxy's `error_string`, with advice for a 401.
    func failure(_ status: UInt, _ value: JSONValue) -> Failure {
        if status == 401 {
            let advice = token == nil ? "set KEEPWATCH_TOKEN or --token (create one with: keepwatch admin token create --role operator)"
                                      : "the token is unknown, expired or revoked"
            return Failure(description: "not authenticated: \(advice)")
        }
        let message = value["error"]?.stringValue ?? value["error_string"]?.stringValue ?? "HTTP \(status)"
        let field = value["field"]?.stringValue.map { " (field: \($0))" } ?? ""
        return Failure(description: "\(message)\(field)")
    }

    /// Fails fast, naming the URL, when no node answers (the HTTP client would otherwise keep retrying the connection).
    func checkReachable() async throws {
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + "/healthz"), timeout: .seconds(3))
            _ = try await response.body.collect(upTo: 1 << 16)
        } catch {
            throw Failure(description: "cannot reach the Keepwatch node at \(baseURL) (\(error)); is `keepwatch serve` running? Use --url or KEEPWATCH_URL to point elsewhere")
        }
    }

    func request(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> (UInt, JSONValue) {
        try await checkReachable()
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        authorize(&request)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
        } catch {
            throw Failure(description: "cannot reach the Keepwatch node at \(baseURL) (\(error)); is `keepwatch serve` running? Use --url or KEEPWATCH_URL to point elsewhere")
        }
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let value = bytes.readableBytes == 0 ? JSONValue.null : (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: bytes))) ?? .string(String(buffer: bytes))
        let status = response.status.code
        if status >= 400 { throw failure(status, value) }
        return (status, value)
    }

    /// Streams a response body to `handle` as it arrives.
    func stream(_ path: String, _ handle: (String) -> Void) async throws {
        try await checkReachable()
        var request = HTTPClientRequest(url: baseURL + path)
        authorize(&request)
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .hours(24))
        } catch {
            throw Failure(description: "cannot reach the Keepwatch node at \(baseURL) (\(error)); is `keepwatch serve` running?")
        }
        if response.status.code >= 400 {
            let bytes = try await response.body.collect(upTo: 1 << 20)
            let value = (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: bytes))) ?? .null
            throw failure(response.status.code, value)
        }
        for try await chunk in response.body { handle(String(buffer: chunk)) }
    }
}
