import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// Turns a failure to talk to a node (refused connection, TLS trouble, a name that does not resolve) into one
/// sentence that says what to do, never a TLS library's error stack or a build path.
enum NodeTransportError {
    static func explain(_ error: any Error, endpoint: NodeEndpoint) -> String {
        let url = endpoint.baseURL
        if let tls = tlsAdvice(error, endpoint: endpoint) { return tls }
        if isClosedByPeer(error) {
            if endpoint.isHTTPS {
                return "the node at \(url) closed the connection during the TLS handshake; if the node has tls: off, use \(endpoint.withOtherScheme)"
            }
            return "the node at \(url) closed the connection without answering; if the node has tls: on or auto, use \(endpoint.withOtherScheme)"
        }
        if let unknownHost = nested(SocketAddressError.UnknownHost.self, in: error) {
            return "cannot find the host \(unknownHost.host) of \(url) (\(unknownHost.errorDescription)); check \(endpoint.urlSource)"
        }
        if let io = nested(IOError.self, in: error) {
            return ioAdvice(io.errnoCode, endpoint: endpoint)
        }
        if let client = error as? HTTPClientError, let advice = clientAdvice(client, url: url) { return advice }
        return "cannot talk to the Keepwatch node at \(url): \(shortDescription(error))"
    }

    // MARK: TLS

    private static func tlsAdvice(_ error: any Error, endpoint: NodeEndpoint) -> String? {
        let url = endpoint.baseURL
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "the certificate of the node at \(url) does not name that host; connect with a name it lists "
                + "(tls: auto lists localhost, 127.0.0.1, ::1 and the host name), or pass --insecure to skip the check"
        }
        guard let ssl = error as? NIOSSLError else { return nil }
        switch ssl {
        case .handshakeFailed(let reason) where isVerificationFailure(reason):
            return untrustedCertificateAdvice(endpoint)
        case .handshakeFailed, .uncleanShutdown:
            return "the TLS handshake with the node at \(url) failed; if the node has tls: off, use \(endpoint.withOtherScheme)"
        default:
            return "TLS with the node at \(url) failed (\(shortDescription(ssl)))"
        }
    }

    private static func untrustedCertificateAdvice(_ endpoint: NodeEndpoint) -> String {
        let url = endpoint.baseURL
        if let file = endpoint.trustedCertificateFile {
            return "the node at \(url) presented a certificate that \(file) does not vouch for; pass the node's own certificate "
                + "or its CA with --cacert (or KEEPWATCH_CACERT), or --insecure to skip the check"
        }
        return "the node at \(url) presented a certificate this machine does not trust; pass --cacert keepwatch-data/tls/server.crt "
            + "(or set KEEPWATCH_CACERT), or --insecure to skip the check"
    }

    private static func isVerificationFailure(_ reason: BoringSSLError) -> Bool {
        guard case .sslError(let stack) = reason else { return false }
        return stack.contains { "\($0)".contains("CERTIFICATE_VERIFY_FAILED") }
    }

    // MARK: connections

    private static func isClosedByPeer(_ error: any Error) -> Bool {
        if let client = error as? HTTPClientError, client == .remoteConnectionClosed { return true }
        if let io = nested(IOError.self, in: error), io.errnoCode == ECONNRESET || io.errnoCode == EPIPE { return true }
        return false
    }

    private static func ioAdvice(_ code: CInt, endpoint: NodeEndpoint) -> String {
        let url = endpoint.baseURL
        if code == ECONNREFUSED {
            return "no Keepwatch node answers at \(url) (connection refused); start one with `keepwatch serve`, "
                + "or point --url / KEEPWATCH_URL elsewhere"
        }
        if code == ETIMEDOUT {
            return "the node at \(url) did not answer in time (connection timed out); check the host, the port and any firewall"
        }
        return "cannot reach the Keepwatch node at \(url) (\(String(cString: strerror(code)).lowercased())); "
            + "check \(endpoint.urlSource), or start a node with `keepwatch serve`"
    }

    private static func clientAdvice(_ error: HTTPClientError, url: String) -> String? {
        if [HTTPClientError.connectTimeout, .tlsHandshakeTimeout].contains(error) {
            return "the node at \(url) did not answer in time (connection timed out); check the host, the port and any firewall"
        }
        if [HTTPClientError.readTimeout, .deadlineExceeded].contains(error) {
            return "the node at \(url) stopped answering (timed out)"
        }
        if [HTTPClientError.invalidURL, .emptyHost, .emptyScheme].contains(error) {
            return "\(url) is not a URL such as \(NodeEndpoint.defaultURL)"
        }
        return nil
    }

    // MARK: helpers

    /// The first value of type `T` in `error` or in what it wraps. NIO's connection error keeps each attempt's error
    /// (and the DNS errors) in stored properties; reflection reaches them without depending on NIOPosix.
    static func nested<T>(_ type: T.Type, in value: Any, depth: Int = 0) -> T? {
        if let match = value as? T { return match }
        guard depth < 4 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let match = nested(type, in: child.value, depth: depth + 1) { return match }
        }
        return nil
    }

    /// At most one line of 160 characters, without file paths from the build.
    static func shortDescription(_ error: any Error) -> String {
        let text = String(describing: error).split(separator: "\n").first.map(String.init) ?? "unknown error"
        let withoutPaths = text.split(separator: " ").filter { !$0.contains("/") || $0.hasPrefix("http") }.joined(separator: " ")
        return withoutPaths.count > 160 ? String(withoutPaths.prefix(157)) + "..." : withoutPaths
    }
}
