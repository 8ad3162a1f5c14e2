/// Runs `body` for at most `seconds`; past that it is cancelled and the wait ends with a `failed` source error.
func withDeadline<T: Sendable>(seconds: Int, what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(max(seconds, 1)) * 1_000_000_000)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw SourceFailure.failed("\(what): no answer within \(seconds) s (timeout)")
        }
        return value
    }
}
