import Foundation
import KeepwatchCore
import SQLKit

extension SQLStore: SourceStore {
    public func sources() async throws -> [SourceDefinition] {
        try await database.raw("SELECT xid, document FROM sources ORDER BY xid").all().map { row in
            let xid = try row.decode(column: "xid", as: String.self)
            var document: JSONValue = try Self.decodeDocument(row)
            if let sealer { document = try SecretFields.openedFlat(document, with: sealer) }
            do {
                return try SourceDefinition(json: document, xid: xid)
            } catch {
                throw StoreError.corrupt("source \(xid): \(error)")
            }
        }
    }

    public func insertSource(_ source: SourceDefinition) async throws {
        try await refuseDuplicate(source, allowingXID: nil)
        try await database.raw("""
            INSERT INTO sources (xid, url, name, kind, document, updated_at)
            VALUES (\(bind: source.xid), \(bind: source.url), \(bind: source.name), \(bind: source.kind.rawValue),
                    \(bind: try sourceText(source)), \(bind: Self.now()))
            """).run()
    }

    public func updateSource(_ source: SourceDefinition) async throws {
        guard try await database.raw("SELECT xid FROM sources WHERE xid = \(bind: source.xid)").first() != nil else {
            throw StoreError.notFound("source \(source.xid)")
        }
        try await refuseDuplicate(source, allowingXID: source.xid)
        try await database.raw("""
            UPDATE sources SET url = \(bind: source.url), name = \(bind: source.name), kind = \(bind: source.kind.rawValue),
                document = \(bind: try sourceText(source)), updated_at = \(bind: Self.now())
            WHERE xid = \(bind: source.xid)
            """).run()
    }

    public func deleteSource(xid: String) async throws -> Bool {
        guard try await database.raw("SELECT xid FROM sources WHERE xid = \(bind: xid)").first() != nil else { return false }
        try await database.raw("DELETE FROM sources WHERE xid = \(bind: xid)").run()
        return true
    }

    /// cmon-proxy refuses a second controller with the same URL ("duplicated URL"); so does Keepwatch, comparing the
    /// URLs requests go to (`cc1:9501` is `https://cc1:9501`), whatever the kind: replies key sources by URL.
    func refuseDuplicate(_ source: SourceDefinition, allowingXID: String?) async throws {
        if allowingXID == nil, try await database.raw("SELECT xid FROM sources WHERE xid = \(bind: source.xid)").first() != nil {
            throw StoreError.duplicate("source \(source.xid)")
        }
        let rows = try await database.raw("SELECT xid, url, kind FROM sources").all()
        for row in rows where try row.decode(column: "xid", as: String.self) != allowingXID {
            let url = try row.decode(column: "url", as: String.self)
            if SourceDefinition.withScheme(url).lowercased() == source.baseURL.lowercased() {
                throw StoreError.duplicate("a \(try row.decode(column: "kind", as: String.self)) source at \(url)")
            }
        }
    }

    func sourceText(_ source: SourceDefinition) throws -> String {
        try Self.json(sealer.map { SecretFields.sealedFlat(source.document, with: $0) } ?? source.document)
    }
}
