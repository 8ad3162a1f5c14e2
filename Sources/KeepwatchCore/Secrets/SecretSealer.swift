/// Encrypts secrets before they are stored and decrypts them when they are read back (the node key does it).
public protocol SecretSealer: Sendable {
    func seal(_ secret: String) -> String
    func open(_ sealed: String) throws -> String
}

/// What a sealed value looks like in a stored document: `kwsealed:v1:<base64 of nonce, ciphertext, tag>`.
public enum SealedText {
    public static let prefix = "kwsealed:v1:"
    public static func isSealed(_ text: String) -> Bool { text.hasPrefix(prefix) }
}
