import ArgumentParser
import AsyncHTTPClient
import Foundation

/// Options every command that talks to a node shares.
struct NodeOptions: ParsableArguments {
    @Option(help: "URL of the node, http://HOST:PORT or https://HOST:PORT (default: $KEEPWATCH_URL or http://127.0.0.1:8090).")
    var url: String?

    @Option(help: "API token (default: $KEEPWATCH_TOKEN); create one with `keepwatch admin token create`.")
    var token: String?

    @Option(help: ArgumentHelp("For https:// URLs: trust this PEM certificate or CA, e.g. keepwatch-data/tls/server.crt (default: $KEEPWATCH_CACERT).",
                               valueName: "file"))
    var cacert: String?

    @Flag(help: "For https:// URLs: do not check the node's certificate at all (also KEEPWATCH_INSECURE=1). For tests only.")
    var insecure = false
}

/// Runs a client command body with a client for the node, turning failures into one line on stderr and exit status 1.
/// The HTTP client lives for the command and is shut down afterwards.
func clientCall(_ options: NodeOptions, _ body: (NodeClient) async throws -> Void) async throws {
    do {
        let endpoint = try NodeEndpoint(options)
        let configuration = try endpoint.httpConfiguration()
        if let warning = endpoint.insecureWarning { reportFailure(warning) }
        let token = options.token ?? ProcessInfo.processInfo.environment["KEEPWATCH_TOKEN"]
        try await HTTPClient.withHTTPClient(configuration: configuration) { http in
            try await body(NodeClient(endpoint: endpoint, token: token, http: http))
        }
    } catch let exit as ExitCode {
        throw exit
    } catch {
        reportFailure("\(error)")
        throw ExitCode(1)
    }
}
