import AsyncHTTPClient
import Foundation
import KeepwatchCore
import NIOCore
import NIOHTTP1

/// Talks to a running node's native API for the CLI commands.
struct NodeClient {
    let baseURL: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(url: String?) {
        let chosen = url ?? ProcessInfo.processInfo.environment["KEEPWATCH_URL"] ?? "http://127.0.0.1:8090"
        baseURL = chosen.hasSuffix("/") ? String(chosen.dropLast()) : chosen
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
        if status >= 400 {
            let message = value["error"]?.stringValue ?? "HTTP \(status)"
            let field = value["field"]?.stringValue.map { " (field: \($0))" } ?? ""
            throw Failure(description: "\(message)\(field)")
        }
        return (status, value)
    }

    /// Streams a response body to `handle` as it arrives.
    func stream(_ path: String, _ handle: (String) -> Void) async throws {
        try await checkReachable()
        let request = HTTPClientRequest(url: baseURL + path)
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .hours(24))
        } catch {
            throw Failure(description: "cannot reach the Keepwatch node at \(baseURL) (\(error)); is `keepwatch serve` running?")
        }
        if response.status.code >= 400 {
            let bytes = try await response.body.collect(upTo: 1 << 20)
            let value = (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: bytes))) ?? .null
            throw Failure(description: value["error"]?.stringValue ?? "HTTP \(response.status.code)")
        }
        for try await chunk in response.body { handle(String(buffer: chunk)) }
    }
}
