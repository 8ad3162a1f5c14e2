import Crypto
import SystemPackage

/// SHA-256 of a file that another process is still writing: reads what has landed, waits a little when it
/// catches up, and finishes with one last pass once the writer is done.
enum GrowingFileDigest {
    static func follow(path: String, progress: ProgressCounter, writerFinished: () -> Bool) async throws -> (Int64, String) {
        let reader = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        defer { try? reader.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            let finished = writerFinished()
            var count = try reader.read(into: buffer)
            while count > 0 {
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                size += Int64(count)
                progress.add(Int64(count))
                count = try reader.read(into: buffer)
            }
            if finished { break }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        return (size, FileDigest.hex(hasher.finalize()))
    }
}
