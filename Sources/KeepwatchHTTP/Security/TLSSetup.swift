import Foundation
import KeepwatchEngine
import NIOSSL

/// The server's TLS configuration from `tls_cert` / `tls_key` (a full chain is accepted), or, with
/// `tls: auto` and no files, from a self-signed certificate kept in `<data>/tls`.
public enum TLSSetup {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public struct Files: Sendable, Equatable {
        public let certificate: String
        public let key: String
        public let generated: Bool
    }

    /// The certificate and key files to use, generating them for `tls: auto` when needed; nil when TLS is off.
    public static func files(for config: NodeConfig, data: DataDirectory) throws -> Files? {
        guard config.tlsEnabled else { return nil }
        let resolve = { (path: String) in path.hasPrefix("/") ? path : data.root.appendingPathComponent(path).path }
        if let certificate = config.tlsCertificate.map(resolve), let key = config.tlsKey.map(resolve) {
            let present = FileManager.default.fileExists(atPath: certificate) && FileManager.default.fileExists(atPath: key)
            if present || config.tls != .auto { return Files(certificate: certificate, key: key, generated: false) }
        } else if config.tls == .on {
            throw Failure(description: "tls: on needs tls_cert and tls_key (or TLS_CERTIFICATE_FILE and TLS_KEY_FILE); use tls: auto for a self-signed certificate")
        }
        let directory = data.root.appendingPathComponent("tls", isDirectory: true)
        let certificate = directory.appendingPathComponent("server.crt").path
        let key = directory.appendingPathComponent("server.key").path
        if !FileManager.default.fileExists(atPath: certificate) || !FileManager.default.fileExists(atPath: key) {
            try SelfSignedCertificate.write(certificate: certificate, key: key)
            return Files(certificate: certificate, key: key, generated: true)
        }
        return Files(certificate: certificate, key: key, generated: false)
    }

    public static func configuration(_ files: Files) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
        } catch {
            throw Failure(description: "cannot read the certificate chain \(files.certificate): \(error)")
        }
        guard !chain.isEmpty else { throw Failure(description: "\(files.certificate) holds no PEM certificate") }
        do {
            key = try NIOSSLPrivateKey(file: files.key, format: .pem)
        } catch {
            throw Failure(description: "cannot read the private key \(files.key): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
