import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchEngine

/// mgob's API, for every job (plan = job id): `/status`, `/status/{plan}`, `POST /backup/{plan}`, `/version`, `/metrics`.
struct MgobRoutes {
    let jobs: JobService
    let version: String
    /// Keepwatch's own series, after mgob's (which stay as mgob writes them).
    var more: @Sendable () async -> String = { "" }

    func register(on router: Router<KeepwatchRequestContext>) {
        router.get("status") { _, _ in
            JSONResponses.json(.array(await jobs.statuses().map(\.json)))
        }
        router.get("status/{plan}") { _, context in
            let plan = try context.parameters.require("plan")
            guard await jobs.job(plan) != nil else { return JSONResponses.error("Plan not found", status: .notFound) }
            return JSONResponses.json(await jobs.status(plan).json)
        }
        router.post("backup/{plan}") { _, context in
            await backup(try context.parameters.require("plan"), by: context.requester)
        }
        router.get("version") { _, _ in
            JSONResponses.json([
                "mgob_version": .string(version), "repository": "keepwatch", "go_version": "swift",
                "os": .string(Self.operatingSystem), "arch": .string(Self.architecture),
                "max_procs": .string("\(ProcessInfo.processInfo.activeProcessorCount)"),
                "goroutines": "0", "cpu_count": .string("\(ProcessInfo.processInfo.processorCount)"),
            ])
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: await jobs.metrics.exposition() + (await more()))))
        }
    }

    /// Runs the plan now and answers when it has finished, as mgob does; status and metrics are updated too.
    func backup(_ plan: String, by requester: Requester) async -> Response {
        do {
            let runID = try await jobs.runNow(plan, by: requester)
            guard let run = await jobs.wait(forRun: runID) else { return JSONResponses.error("run \(runID) was lost", status: .internalServerError) }
            guard run.status == .success else {
                return JSONResponses.error(run.message ?? "backup \(run.status.rawValue)", status: .internalServerError)
            }
            let archive = try await jobs.backups(of: run).last
            return JSONResponses.json([
                "plan": .string(plan),
                "file": .string(archive.map { ($0.file as NSString).lastPathComponent } ?? ""),
                "duration": .string(GoFormat.duration(nanoseconds: run.elapsedNanoseconds ?? 0)),
                "size": .string(GoFormat.bytes(archive?.size ?? 0)),
                "timestamp": .string(GoFormat.rfc3339Nano(seconds: run.startedAt)),
            ])
        } catch ServiceError.notFound {
            return JSONResponses.error("Plan \(plan) not found", status: .notFound)
        } catch ServiceError.conflict(let why) {
            return JSONResponses.error(why, status: .conflict)
        } catch {
            return JSONResponses.error("\(error)", status: .internalServerError)
        }
    }

    static var operatingSystem: String {
        #if os(Linux)
        return "linux"
        #else
        return "darwin"
        #endif
    }

    static var architecture: String {
        #if arch(x86_64)
        return "amd64"
        #elseif arch(arm64)
        return "arm64"
        #else
        return "unknown"
        #endif
    }
}
