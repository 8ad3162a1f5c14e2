import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchEngine

/// Keepwatch's own API under `/api/v1`: jobs, their events, runs with live logs, backups.
struct NativeRoutes {
    let jobs: JobService
    let listCache = JobListCache()

    func register(on router: Router<KeepwatchRequestContext>) {
        let api = router.group("api/v1")
        api.post("jobs") { request, context in await handle { try await createJob(request, by: context.requester) } }
        api.get("jobs") { _, _ in await handle { try await listJobs() } }
        api.get("jobs/{id}") { _, context in await handle { try await showJob(try context.parameters.require("id")) } }
        api.put("jobs/{id}") { request, context in
            await handle { try await changeJob(try context.parameters.require("id"), request, patch: false, by: context.requester) }
        }
        api.patch("jobs/{id}") { request, context in
            await handle { try await changeJob(try context.parameters.require("id"), request, patch: true, by: context.requester) }
        }
        api.delete("jobs/{id}") { _, context in
            await handle {
                try await jobs.delete(try context.parameters.require("id"), by: context.requester)
                return Response(status: .noContent)
            }
        }
        api.post("jobs/{id}/event") { request, context in
            await handle { try await postEvent(try context.parameters.require("id"), request, context) }
        }
        api.post("jobs/{id}/run") { _, context in
            await handle {
                let id = try context.parameters.require("id")
                let runID = try await jobs.runNow(id, by: context.requester)
                return JSONResponses.json(["job_id": .string(id), "run_id": .string(runID)], status: .accepted)
            }
        }
        api.get("runs") { request, _ in
            await handle {
                let limit = try Self.limit(request)
                let runs = try await jobs.runs(jobID: request.uri.queryParameters.get("job_id"), limit: limit)
                return JSONResponses.json(encoding: ["runs": runs])
            }
        }
        api.get("runs/{id}") { _, context in
            await handle { JSONResponses.json(encoding: try await jobs.run(try context.parameters.require("id"))) }
        }
        api.get("runs/{id}/log") { request, context in
            await handle {
                let run = try await jobs.run(try context.parameters.require("id"))
                let follow = request.uri.queryParameters.get("follow") != "false"
                return RunLogStream.response(for: run, jobs: jobs, follow: follow)
            }
        }
        api.get("backups") { request, _ in
            await handle {
                let backups = try await jobs.backups(name: request.uri.queryParameters.get("backup_name"))
                return JSONResponses.json(["backups": .array(backups.map(Self.listed))])
            }
        }
        api.post("backups/{name}/verify") { _, context in
            await handle {
                let verification = try await BackupNameVerification.of(try context.parameters.require("name"), in: jobs)
                return JSONResponses.json(verification.json, status: verification.failed == 0 ? .ok : .unprocessableContent)
            }
        }
    }

    func handle(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            return JSONResponses.response(for: error)
        }
    }

    /// A manifest as listed: its keys plus `location` (where the archive is now).
    static func listed(_ backup: BackupManifest) -> JSONValue {
        let encoder = JSONEncoder()
        guard let data = try? encoder.encode(backup), case .object(var object)? = try? JSONParser.parse(bytes: Array(data)) else { return .null }
        object["location"] = .string(BackupLocation.of(backup).rawValue)
        return .object(object)
    }

    /// `?limit=N`: 1 to `maximum`, default 100; anything else is a 400 that says so.
    static func limit(_ request: Request, maximum: Int = 1000) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return 100 }
        guard let limit = Int(text), (1...maximum).contains(limit) else {
            throw ServiceError.invalid(DocumentError(field: "limit", "'\(String(text.prefix(40)))' is not a whole number from 1 to \(maximum)"))
        }
        return limit
    }

    func createJob(_ request: Request, by requester: Requester) async throws -> Response {
        let job = try await jobs.create(try await JSONResponses.body(request), by: requester)
        return JSONResponses.json(["job_id": .string(job.jobID)], status: .created)
    }

    func listJobs() async throws -> Response {
        let body = listCache.body(for: await jobs.listing(), render: Self.document)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    func showJob(_ id: String) async throws -> Response {
        guard let listed = await jobs.listing(of: id) else { throw ServiceError.notFound("job \(id) not found") }
        return JSONResponses.json(Self.document(listed))
    }

    /// The job document (secrets redacted) plus the read-only `next_run` (ISO-8601 in the job's zone).
    static func document(_ listed: JobListing) -> JSONValue {
        guard case .object(var object) = SecretFields.redacted(JobDocumentEncoder.document(listed.job)) else { return .null }
        if let next = listed.nextRun { object["next_run"] = .string(ISO8601.format(next, in: listed.zone)) }
        if let planFile = listed.job.planFile { object["plan_file"] = .string(planFile) }
        return .object(object)
    }

    func changeJob(_ id: String, _ request: Request, patch: Bool, by requester: Requester) async throws -> Response {
        let body = try await JSONResponses.body(request)
        let job = patch ? try await jobs.patch(id, with: body, by: requester) : try await jobs.replace(id, with: body, by: requester)
        return JSONResponses.json(["job_id": .string(job.jobID), "version": .number(Double(job.version))])
    }

    /// `{"event": "start"}`, or Freezer's `{"start": null}`.
    /// `remove` deletes the job, so it needs an admin; start, stop and abort need an operator (checked by the policy).
    func postEvent(_ id: String, _ request: Request, _ context: KeepwatchRequestContext) async throws -> Response {
        let principal = context.principal
        let body = try await JSONResponses.body(request)
        guard let object = body.objectValue else {
            throw ServiceError.invalid(DocumentError(field: "event", "send {\"event\": \"start|stop|abort|remove\"}"))
        }
        let name = object["event"]?.stringValue ?? (object.count == 1 ? object.keys.first : nil)
        guard let name, let event = JobEvent(rawValue: name), event != .none else {
            throw ServiceError.invalid(DocumentError(field: "event", "'\(name ?? "")' is not one of start, stop, abort, remove"))
        }
        if event == .remove, let principal, !principal.role.includes(.admin) {
            return CmonReply.forbidden("\(principal.name) has the \(principal.role.rawValue) role; removing a job needs admin")
        }
        let outcome = try await jobs.apply(event, to: id, by: context.requester)
        return JSONResponses.json(["result": .string(outcome.reply), "message": .string(outcome.message)], status: .accepted)
    }
}
