import NIOCore
import Synchronization

/// Splits what the server sends into lines (CR LF or LF) and hands them out one at a time.
final class SMTPLines: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private struct State {
        var partial: [UInt8] = []
        var lines: [String] = []
        var ended: SMTPClient.Failure?
        var waiter: CheckedContinuation<String, any Error>?
    }

    private let state = Mutex(State())

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = Self.unwrapInboundIn(data)
        let ready = state.withLock { current -> (CheckedContinuation<String, any Error>, String)? in
            current.partial += buffer.readableBytesView
            while let newline = current.partial.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(current.partial[..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                current.lines.append(String(decoding: line, as: UTF8.self))
                current.partial.removeSubrange(...newline)
            }
            if current.partial.count > 64 << 10 { current.partial.removeAll() }
            guard let waiter = current.waiter, !current.lines.isEmpty else { return nil }
            current.waiter = nil
            return (waiter, current.lines.removeFirst())
        }
        if let (waiter, line) = ready { waiter.resume(returning: line) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        end(SMTPClient.Failure(description: "the server closed the connection", permanent: false))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end(SMTPClient.Failure(description: "\(error)", permanent: false))
        context.close(promise: nil)
    }

    func end(_ failure: SMTPClient.Failure) {
        let waiter = state.withLock { current -> CheckedContinuation<String, any Error>? in
            if current.ended == nil { current.ended = failure }
            defer { current.waiter = nil }
            return current.waiter
        }
        waiter?.resume(throwing: failure)
    }

    /// The next line; throws once the connection is gone.
    func next() async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = state.withLock { current -> Result<String, any Error>? in
                if !current.lines.isEmpty { return .success(current.lines.removeFirst()) }
                if let ended = current.ended { return .failure(ended) }
                current.waiter = continuation
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }
}

/// One SMTP conversation: commands, and replies read line by line (a multi-line reply ends at `NNN text`).
struct SMTPSession {
    let channel: any Channel
    let lines: SMTPLines
    let timeout: Int

    func write(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Sends a command and checks its reply; returns the reply's lines (the capabilities, for EHLO). A `secret`
    /// command is never quoted in an error.
    @discardableResult
    func command(_ text: String, expect code: Int, also other: Int? = nil, step: String, secret: Bool = false) async throws -> [String] {
        try await write(Array((text + "\r\n").utf8))
        return try await expect(code, also: other, step: step)
    }

    @discardableResult
    func expect(_ code: Int, also other: Int? = nil, step: String) async throws -> [String] {
        let (got, text) = try await reply(step: step)
        guard got == code || got == other else {
            throw SMTPClient.Failure(description: "\(step): the server answered \(got) \(text.joined(separator: " ").prefix(300))",
                                     permanent: (500...599).contains(got))
        }
        return text
    }

    func reply(step: String) async throws -> (Int, [String]) {
        let seconds = timeout
        return try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            group.addTask {
                var text: [String] = []
                while true {
                    let line = try await lines.next()
                    let bytes = Array(line.utf8)
                    guard bytes.count >= 3, let code = Int(String(decoding: bytes.prefix(3), as: UTF8.self)) else {
                        throw SMTPClient.Failure(description: "\(step): not an SMTP reply: \(line.prefix(200))", permanent: false)
                    }
                    text.append(String(decoding: bytes.dropFirst(4), as: UTF8.self))
                    if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") { return (code, text) }
                }
            }
            group.addTask { [channel] in
                try await Task.sleep(nanoseconds: UInt64(seconds) * 1_000_000_000)
                // Closing ends the wait for a line, so the reading task ends too.
                channel.close(promise: nil)
                throw SMTPClient.Failure(description: "\(step): no answer within \(seconds) s", permanent: false)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }
}
