import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// Where a node-talking command connects and how it checks the node's certificate, from `--url`, `--cacert`,
/// `--insecure` and their environment variables, checked before anything is sent.
struct NodeEndpoint {
    static let defaultURL = "http://127.0.0.1:8090"

    /// The URL without a trailing slash, e.g. `https://127.0.0.1:8090`.
    let baseURL: String
    /// What the URL came from, for messages: `--url`, `KEEPWATCH_URL` or the default.
    let urlSource: String
    let isHTTPS: Bool
    /// The `--cacert` (or `$KEEPWATCH_CACERT`) file, when one is given.
    let trustedCertificateFile: String?
    /// `--cacert` or `KEEPWATCH_CACERT`, for messages.
    let trustedCertificateSource: String
    let skipsCertificateCheck: Bool

    init(_ options: NodeOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let (chosen, source) = NodeEndpoint.chooseURL(options.url, environment: environment)
        let trimmed = chosen.hasSuffix("/") ? String(chosen.dropLast()) : chosen
        let lowered = trimmed.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            if trimmed.contains("://") { throw NodeClient.Failure("\(source) \(trimmed): the scheme must be http:// or https://") }
            throw NodeClient.Failure("\(source) \(trimmed) needs a scheme: http://\(trimmed) or https://\(trimmed)")
        }
        guard let parsed = URL(string: trimmed), let host = parsed.host, !host.isEmpty else {
            throw NodeClient.Failure("\(source) \(trimmed) is not a URL such as \(NodeEndpoint.defaultURL)")
        }
        baseURL = trimmed
        urlSource = source
        isHTTPS = lowered.hasPrefix("https://")
        if let file = options.cacert {
            trustedCertificateFile = file
            trustedCertificateSource = "--cacert"
        } else {
            trustedCertificateFile = environment["KEEPWATCH_CACERT"].flatMap { $0.isEmpty ? nil : $0 }
            trustedCertificateSource = "KEEPWATCH_CACERT"
        }
        skipsCertificateCheck = options.insecure || NodeEndpoint.isTrue(environment["KEEPWATCH_INSECURE"])
    }

    private static func chooseURL(_ flag: String?, environment: [String: String]) -> (String, String) {
        if let flag { return (flag, "--url") }
        if let variable = environment["KEEPWATCH_URL"], !variable.isEmpty { return (variable, "KEEPWATCH_URL") }
        return (defaultURL, "the default URL")
    }

    private static func isTrue(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["1", "true", "yes", "on"].contains(value.lowercased())
    }

    /// The same URL with the other scheme, for the hint when the node speaks the other one.
    var withOtherScheme: String {
        if isHTTPS { return "http://" + String(baseURL.dropFirst("https://".count)) }
        return "https://" + String(baseURL.dropFirst("http://".count))
    }

    /// The HTTP client's settings: a failed connection fails at once (no retries) so errors come back quickly,
    /// and an https:// URL gets the trust the options ask for.
    func httpConfiguration() throws -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(5)
        configuration.connectionPool.retryConnectionEstablishment = false
        if isHTTPS { configuration.tlsConfiguration = try tlsConfiguration() }
        return configuration
    }

    private func tlsConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if skipsCertificateCheck {
            tls.certificateVerification = .none
            return tls
        }
        if let file = trustedCertificateFile {
            let certificates = try Self.loadCertificates(file, source: trustedCertificateSource)
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        return tls
    }

    /// The certificates in a PEM file, with a message that says what is wrong with the file.
    private static func loadCertificates(_ file: String, source: String) throws -> [NIOSSLCertificate] {
        guard FileManager.default.fileExists(atPath: file) else {
            throw NodeClient.Failure("\(source) \(file): no such file (the node's certificate is <data>/tls/server.crt with tls: auto)")
        }
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw NodeClient.Failure("\(source) \(file): the file cannot be read (check its permissions)")
        }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(file)
        } catch {
            throw NodeClient.Failure("\(source) \(file) is not a PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        guard !certificates.isEmpty else {
            throw NodeClient.Failure("\(source) \(file) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        return certificates
    }

    /// The one warning `--insecure` prints, before the first request.
    var insecureWarning: String? {
        guard isHTTPS, skipsCertificateCheck else { return nil }
        return "warning: --insecure: the certificate of \(baseURL) is not checked, so anyone on the network path could pose as the node"
    }
}
