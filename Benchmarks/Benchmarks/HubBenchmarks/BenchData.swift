import Foundation
import KeepwatchEngine
import KeepwatchStore
import Logging

/// A throw-away data directory with its store, for one measurement.
struct BenchData {
    let root: URL
    let data: DataDirectory
    let store: SQLStore
    let logger: Logger

    static func open(_ name: String) async throws -> BenchData {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("keepwatch-\(name)-\(getpid())")
        let data = DataDirectory(path: root.path)
        try data.prepare()
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let store = try await SQLiteStore.open(path: data.databaseFile.path, sealer: try NodeKey.loadOrCreate(data), logger: logger)
        return BenchData(root: root, data: data, store: store, logger: logger)
    }

    func close() async throws {
        try await store.close()
        try? FileManager.default.removeItem(at: root)
    }
}
