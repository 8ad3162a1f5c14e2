import Foundation
import KeepwatchCore

/// Another Keepwatch node, through its API with an API token: `/api/v1/jobs`, `/api/v1/runs`, `/api/v1/backups`.
final class KeepwatchNodeAdapter: SourceAdapter {
    let http: SourceHTTPClient

    init(http: SourceHTTPClient) {
        self.http = http
    }

    func refresh(_ source: SourceDefinition, settings: HubSettings) async throws -> SourceSnapshot {
        guard let token = source.token else { throw SourceFailure.authentication("AuthRequired: a keepwatch source needs a token") }
        async let jobsBody = get("/api/v1/jobs", source: source, token: token, settings: settings)
        async let runsBody = get("/api/v1/runs?limit=1000", source: source, token: token, settings: settings)
        async let backupsBody = get("/api/v1/backups", source: source, token: token, settings: settings)
        async let versionBody = get("/version", source: source, token: token, settings: settings)
        // Nodes older than heartbeat checks answer 404 here: they have no checks to show.
        async let checksBody = get("/api/v1/checks", source: source, token: token, settings: settings)
        let (jobsJSON, runsJSON, backupsJSON) = try await (jobsBody, runsBody, backupsBody)
        let version = (try? await versionBody)?.objectValue?["mgob_version"]?.stringValue ?? ""
        let parser = JobDocumentParser(checksActionKeys: false)
        var listed: [KeepwatchTargets.Listed] = []
        for document in jobsJSON.objectValue?["jobs"]?.arrayValue ?? [] {
            guard let object = document.objectValue, let id = object["job_id"]?.stringValue else { continue }
            var cleaned = object
            for key in JobDocumentParser.readOnlyKeys { cleaned[key] = nil }
            guard let job = try? parser.parse(.object(cleaned), jobID: id) else { continue }
            let next = object["next_run"]?.stringValue.flatMap { try? ISO8601.parse($0) }?.instant(in: .utc).secondsSince1970
            listed.append(KeepwatchTargets.Listed(job: job, nextRun: next))
        }
        let runs = decode([Run].self, runsJSON.objectValue?["runs"])
        let backups = decode([BackupManifest].self, backupsJSON.objectValue?["backups"])
        let hostname = SourceDefinition.host(of: source.baseURL)
        let node = TargetReport.Host(id: source.xid, hostname: hostname, port: Self.port(of: source.baseURL), status: "CmonHostOnline",
                                     nodetype: "keepwatch", role: "node")
        let running = Set(runs.filter { $0.status == .running }.map(\.jobID))
        let reports = KeepwatchTargets.reports(jobs: listed, runs: runs, backups: backups, node: node, running: running)
        var snapshot = TargetItems.snapshot(of: reports, source: source, controllerID: source.name, version: version)
        snapshot.devices = KeepwatchTargets.devices(reports, deviceID: source.xid, name: source.name)
        let checks = CheckStatus.failing(in: (try? await checksBody)?.objectValue?["checks"]?.arrayValue ?? [])
        let ref = SourceRef(xid: source.xid, controllerID: source.name, url: source.url, kind: source.kind)
        snapshot.alarms += TargetItems.checkAlarms(checks, source: ref, hostname: hostname)
        return snapshot
    }

    func get(_ path: String, source: SourceDefinition, token: String, settings: HubSettings) async throws(SourceFailure) -> JSONValue {
        let url = source.baseURL + path
        let reply = try await http.send(.GET, url, headers: [("Authorization", "Bearer \(token)")], source: source, settings: settings)
        if reply.status == 401 || reply.status == 403 {
            throw .authentication("AccessDenied: \(url) refused the token (HTTP \(reply.status))")
        }
        guard reply.status == 200 else { throw .failed("Get \"\(url)\": HTTP \(reply.status)") }
        return try reply.json(from: url)
    }

    func decode<T: Decodable>(_ type: [T].Type, _ value: JSONValue?) -> [T] {
        guard case .array(let items)? = value else { return [] }
        let decoder = JSONDecoder()
        return items.compactMap { item in
            try? decoder.decode(T.self, from: Data(JSONWriter.text(item).utf8))
        }
    }

    static func port(of url: String) -> Int64? {
        let authority = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(2).first ?? ""
        guard let colon = authority.lastIndex(of: ":") else { return nil }
        return Int64(authority[authority.index(after: colon)...])
    }
}
