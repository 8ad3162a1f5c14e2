import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tries the address the node will listen on before the node does anything else, so that a taken port or an
/// unknown bind address stops `serve` at once with a message that names it (and before any first-start side effect).
public enum ListenAddressCheck {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func check(host: String, port: Int) throws {
        guard (0...65_535).contains(port) else { throw Failure(description: "cannot listen on \(host):\(port): the port must be 0-65535") }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw Failure(description: "cannot listen on \(host):\(port): unknown address '\(host)' (bind takes an IP address or a host name)")
        }
        defer { freeaddrinfo(results) }
        let descriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if bind(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            let reason = errno == EADDRINUSE ? "address already in use (another keepwatch, or another service, holds it)"
                : errno == EADDRNOTAVAIL ? "this machine has no such address"
                : String(cString: strerror(errno)).lowercased()
            throw Failure(description: "cannot listen on \(host):\(port): \(reason)")
        }
    }
}
