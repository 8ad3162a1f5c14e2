import Foundation
@testable import KeepwatchEngine
import SystemPackage
import Testing

/// The sealed archive stream: round trips at chunk boundaries, and every kind of tampering refused.
@Suite struct ArchiveCipherTests {
    let key = ArchiveKey.raw(Array(repeating: 7, count: 32))

    func seal(_ plaintext: [UInt8], in directory: TemporaryDirectory, key: ArchiveKey? = nil) async throws -> [UInt8] {
        let input = directory.file("plain-\(plaintext.count)")
        _ = FileManager.default.createFile(atPath: input, contents: Data(plaintext))
        let sealed = directory.file("sealed-\(plaintext.count)")
        let source = try FileDescriptor.open(FilePath(input), .readOnly)
        let output = try FileDescriptor.open(FilePath(sealed), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        defer {
            try? source.close()
            try? output.close()
        }
        let (size, _) = try await ArchivePump.seal(from: source, to: output, key: key ?? self.key, progress: ProgressCounter())
        let bytes = Array(FileManager.default.contents(atPath: sealed) ?? Data())
        #expect(Int64(bytes.count) == size)
        return bytes
    }

    func open(_ sealed: [UInt8], in directory: TemporaryDirectory, key: ArchiveKey? = nil) async throws -> [UInt8] {
        let path = directory.file("to-open")
        _ = FileManager.default.createFile(atPath: path, contents: Data(sealed))
        let plain = directory.file("opened")
        let file = try FileDescriptor.open(FilePath(path), .readOnly)
        let output = try FileDescriptor.open(FilePath(plain), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        defer {
            try? file.close()
            try? output.close()
        }
        _ = try await ArchivePump.open(file: file, to: output, key: key ?? self.key)
        return Array(FileManager.default.contents(atPath: plain) ?? Data())
    }

    @Test func roundTripsAtChunkBoundaries() async throws {
        let directory = try TemporaryDirectory()
        for count in [0, 1, ArchiveCipher.chunkSize - 1, ArchiveCipher.chunkSize, ArchiveCipher.chunkSize * 2 + 5] {
            let plaintext = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let sealed = try await seal(plaintext, in: directory)
            #expect(Array(sealed.prefix(8)) == Array("KWAEAD01".utf8))
            #expect(try await open(sealed, in: directory) == plaintext, "\(count) bytes")
        }
    }

    @Test func passphrasesUseASaltAndTheRightKeyOnly() async throws {
        let directory = try TemporaryDirectory()
        let plaintext = Array("hello".utf8)
        let sealed = try await seal(plaintext, in: directory, key: .passphrase("open sesame"))
        #expect(try await open(sealed, in: directory, key: .passphrase("open sesame")) == plaintext)
        await #expect(throws: ArchiveCipher.Failure.self) { try await open(sealed, in: directory, key: .passphrase("open sesamE")) }
        await #expect(throws: ArchiveCipher.Failure.self) { try await open(sealed, in: directory, key: key) }
        #expect(try await seal(plaintext, in: directory, key: .passphrase("open sesame")) != sealed, "fresh salt and nonces")
    }

    @Test func tamperingIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let plaintext = (0..<(ArchiveCipher.chunkSize * 2 + 100)).map { UInt8(truncatingIfNeeded: $0) }
        let sealed = try await seal(plaintext, in: directory)
        let record = 5 + ArchiveCipher.chunkSize + 16
        let header = ArchiveCipher.headerSize
        var flipped = sealed
        flipped[header + record + 40] ^= 0x80
        var swapped = Array(sealed[0..<header])
        swapped += sealed[(header + record)..<(header + 2 * record)]
        swapped += sealed[header..<(header + record)]
        swapped += sealed[(header + 2 * record)...]
        var headerChanged = sealed
        headerChanged[30] ^= 1
        let cases: [(String, [UInt8], String)] = [
            ("flipped", flipped, "record 1 fails authentication"),
            ("truncated", Array(sealed.dropLast(5 + 100 + 16)), "cut short"),
            ("appended", sealed + sealed[header..<(header + record)], "data after its last record"),
            ("swapped", swapped, "record 0 fails authentication"),
            ("header", headerChanged, "wrong passphrase or key file"),
            ("short", Array(sealed.prefix(10)), "too short"),
            ("plain", Array(repeating: 65, count: 100), "not a Keepwatch encrypted archive"),
        ]
        for (name, bytes, message) in cases {
            do {
                _ = try await open(bytes, in: directory)
                Issue.record("\(name) archive opened")
            } catch {
                #expect("\(error)".contains(message), "\(name): \(error)")
            }
        }
    }
}
