import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import NIOCore

/// A run's log as text/plain; while the run is live the response stays open and new lines follow.
enum RunLogStream {
    static func response(for run: Run, jobs: JobService, follow: Bool) -> Response {
        let path = run.logPath
        let runID = run.runID
        let body = ResponseBody { writer in
            var offset: UInt64 = 0
            while true {
                let live = follow ? await jobs.isLive(runID: runID) : false
                if let chunk = read(path, from: offset), !chunk.isEmpty {
                    offset += UInt64(chunk.count)
                    try await writer.write(ByteBuffer(bytes: chunk))
                    continue
                }
                if !live { break }
                try await Task.sleep(nanoseconds: 200_000_000)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: body)
    }

    static func read(_ path: String, from offset: UInt64) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        return try? handle.read(upToCount: 256 * 1024)
    }
}
