import Crypto
import Foundation
import KeepwatchEngine
import SwiftASN1
import X509

/// A self-signed ECDSA P-256 certificate (10 years, as cmon-proxy makes) for `localhost`, this host's name
/// and the loopback addresses. The key file is written with mode 0600.
enum SelfSignedCertificate {
    static func write(certificate certificatePath: String, key keyPath: String) throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("Keepwatch")
            CommonName("keepwatch self-signed")
        }
        let now = Date()
        var names: [GeneralName] = [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                                    .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1])))]
        let host = ProcessInfo.processInfo.hostName
        if !host.isEmpty && host != "localhost" { names.append(.dnsName(host)) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(key))
        let directory = (certificatePath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try AtomicFiles.write(Data(key.pemRepresentation.utf8), to: keyPath, permissions: [.ownerReadWrite])
        try AtomicFiles.write(Data(try certificate.serializeAsPEM().pemString.utf8), to: certificatePath,
                              permissions: [.ownerReadWrite])
    }
}
