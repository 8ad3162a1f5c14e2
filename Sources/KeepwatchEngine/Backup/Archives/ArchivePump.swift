import Crypto
import KeepwatchCore
import NIOPosix
import SystemPackage

/// The Swift stage of an encrypted pipeline: blocking reads and writes on pipes and files, on threads of its own so
/// the async executor is never held up. Both directions hash the archive bytes (SHA-256) as they pass.
enum ArchivePump {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// Seals everything read from `input` until end of file into `output`; the size and SHA-256 of what was written.
    /// With `progress` nil nothing is hashed or counted here (a `GrowingFileDigest` on another thread does it).
    static func seal(from input: FileDescriptor, to output: FileDescriptor, key: ArchiveKey, progress: ProgressCounter?) async throws -> (Int64, String) {
        let start = try await ArchiveSealer(key: key)
        return try await pool.runIfActive {
            var sealer = start
            var hasher = SHA256()
            var size: Int64 = 0
            func emit(_ bytes: [UInt8]) throws {
                try output.writeAll(bytes)
                size += Int64(bytes.count)
                guard let progress else { return }
                hasher.update(data: bytes)
                progress.add(Int64(bytes.count))
            }
            try emit(sealer.header)
            let chunk = ArchiveCipher.chunkSize
            var current = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
            var next = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
            defer {
                current.deallocate()
                next.deallocate()
            }
            var filled = try readFully(input, into: current)
            while true {
                let following = filled == chunk ? try readFully(input, into: next) : 0
                let final = following == 0
                try emit(try sealer.seal(UnsafeRawBufferPointer(rebasing: current[0..<filled]), final: final))
                if final { break }
                swap(&current, &next)
                filled = following
            }
            return (size, Hex.encode(hasher.finalize()))
        }
    }

    /// Opens an encrypted archive file record by record, writing the plaintext to `output` (or only authenticating
    /// it when `output` is nil); the size and SHA-256 of the file bytes read.
    static func open(file: FileDescriptor, to output: FileDescriptor?, key: ArchiveKey) async throws -> (Int64, String) {
        var headerBytes = [UInt8](repeating: 0, count: ArchiveCipher.headerSize)
        let headerCount = try headerBytes.withUnsafeMutableBytes { try readFully(file, into: $0) }
        guard headerCount == ArchiveCipher.headerSize else { throw ArchiveCipher.Failure("the archive is too short to be encrypted") }
        let start = try await ArchiveOpener(headerBytes: headerBytes, key: key)
        let header = headerBytes
        return try await pool.runIfActive {
            var opener = start
            var hasher = SHA256()
            hasher.update(data: header)
            var size = Int64(header.count)
            var prefix = [UInt8](repeating: 0, count: 5)
            while true {
                let got = try prefix.withUnsafeMutableBytes { try readFully(file, into: $0) }
                if got == 0 {
                    guard opener.finished else { throw ArchiveCipher.Failure("the archive is cut short: its last record is missing") }
                    break
                }
                guard got == 5, prefix[0] <= 1 else { throw ArchiveCipher.Failure("the archive is damaged: record \(opener.counter) is malformed") }
                let length = Int(ArchiveCipher.Header.readUInt32(prefix, at: 1))
                guard length <= opener.header.chunkSize else { throw ArchiveCipher.Failure("the archive is damaged: record \(opener.counter) is too long") }
                var body = [UInt8](repeating: 0, count: length + 16)
                guard try body.withUnsafeMutableBytes({ try readFully(file, into: $0) }) == body.count else {
                    throw ArchiveCipher.Failure("the archive is cut short in record \(opener.counter)")
                }
                hasher.update(data: prefix)
                hasher.update(data: body)
                size += Int64(5 + body.count)
                let plaintext = try opener.open(final: prefix[0] == 1, ciphertext: Array(body[0..<length]), tag: Array(body[length...]))
                if let output { try output.writeAll(plaintext) }
            }
            return (size, Hex.encode(hasher.finalize()))
        }
    }

    /// Reads until `buffer` is full or the input ends; the byte count.
    static func readFully(_ descriptor: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = try descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        return filled
    }
}
