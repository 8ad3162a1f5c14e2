import Foundation
import KeepwatchCore
import KeepwatchStore
import Testing

/// Sources on a real SQLite file: they survive reopening, a URL is taken once per kind, and secrets are sealed.
@Suite struct SourceStoreTests {
    /// Stands in for the node key: reversible, and never the text itself.
    struct ReversingSealer: SecretSealer {
        func seal(_ secret: String) -> String { SealedText.prefix + String(secret.reversed()) }
        func open(_ sealed: String) throws -> String { String(sealed.dropFirst(SealedText.prefix.count).reversed()) }
    }

    func source(_ xid: String, url: String, password: String? = "s3cret-pass") throws -> SourceDefinition {
        var object: [String: JSONValue] = ["url": .string(url), "username": "ops", "kind": "cmon"]
        object["password"] = password.map(JSONValue.string)
        return try SourceDefinition(json: .object(object), xid: xid)
    }

    @Test func sourcesRoundTripWithTheirSecretsSealed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keepwatch-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keepwatch.sqlite").path
        let first = try source("chebjd8gfi863qqhrolg", url: "db1:9501")
        let second = try source("chebjd8gfi863qqhrolh", url: "db2:9501", password: nil)
        var store = try await SQLiteStore.open(path: path, sealer: ReversingSealer())
        try await store.insertSource(first)
        try await store.insertSource(second)
        await #expect(throws: StoreError.self, "the same URL twice") { try await store.insertSource(try source("chebjd8gfi863qqhroli", url: "db1:9501")) }
        var renamed = second
        renamed.name = "second"
        try await store.updateSource(renamed)
        try await store.close()

        store = try await SQLiteStore.open(path: path, sealer: ReversingSealer())
        #expect(try await store.sources() == [first, renamed])
        #expect(try await store.deleteSource(xid: second.xid))
        #expect(try await store.deleteSource(xid: second.xid) == false)
        #expect(try await store.sources() == [first])
        try await store.close()
        for suffix in ["", "-wal"] {
            let bytes = FileManager.default.contents(atPath: path + suffix) ?? Data()
            #expect(bytes.range(of: Data("s3cret-pass".utf8)) == nil, "the password is not in keepwatch.sqlite\(suffix) in clear")
        }
    }
}
