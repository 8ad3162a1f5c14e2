import ArgumentParser
import Foundation
import KeepwatchCore

struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Create, inspect, run and control jobs on a running node.",
        subcommands: [JobCreate.self, JobApply.self, JobList.self, JobShow.self, JobRun.self, JobLog.self, JobRuns.self,
                      JobStart.self, JobStop.self, JobAbort.self, JobRemove.self, JobDelete.self, JobEventCommand.self]
    )
}

struct JobCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Submit a new job document (JSON or YAML) and print the job's id.",
        discussion: """
        A syntax error names the line and column; a wrong value names the field, e.g. job_actions[0].freezer_action.mode. To change a job that exists, use `keepwatch job apply`.

        Examples:
          keepwatch job create -f nightly.yml
          cat job.json | keepwatch job create -f -
        """)
    @Option(name: .shortAndLong, help: ArgumentHelp("The job document, JSON or YAML; - reads standard input.", valueName: "file"))
    var file: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let document = try JobDocumentFile.load(file)
            let (_, reply) = try await client.request(.POST, "/api/v1/jobs", body: document)
            print(reply["job_id"]?.stringValue ?? "")
        }
    }
}

struct JobApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Create a job, or replace the job with the same job_id.",
        discussion: """
        The document must have a job_id. When the node has a job with that id, the document replaces it as a whole (keys left out take their defaults) and the new version is printed; otherwise the job is created.

        Examples:
          keepwatch job apply -f nightly.yml
          keepwatch job apply -f - < nightly.json
        """)
    @Option(name: .shortAndLong, help: ArgumentHelp("The job document, JSON or YAML; - reads standard input.", valueName: "file"))
    var file: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let document = try JobDocumentFile.load(file)
            guard let id = document["job_id"]?.stringValue, !id.isEmpty else {
                throw NodeClient.Failure("give the job a job_id to apply it (or use job create)")
            }
            let (status, reply) = try await client.send(.PUT, "/api/v1/jobs/\(id.urlComponent)", body: document)
            if status == 404 {
                let (_, created) = try await client.request(.POST, "/api/v1/jobs", body: document)
                print("created \(created["job_id"]?.stringValue ?? id)")
                return
            }
            if status >= 400 { throw client.failure(status, reply) }
            let version = reply["version"]?.int64Value.map { " (version \($0))" } ?? ""
            print("replaced \(reply["job_id"]?.stringValue ?? id)\(version)")
        }
    }
}

struct JobList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List jobs with their status, last result, last and next run.",
        discussion: """
        Times are ISO-8601; LAST RUN is in UTC, NEXT RUN in the job's time zone. - means none.

        Examples:
          keepwatch job list
          keepwatch job list --json | jq -r '.jobs[].job_id'
        """)
    @Flag(help: "Print the node's JSON reply instead of a table.") var json = false
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            let (_, reply) = try await client.request(.GET, "/api/v1/jobs")
            if json {
                printJSON(reply)
                return
            }
            guard case .array(let jobs)? = reply["jobs"] else { return }
            var table = TextTable(["JOB", "STATUS", "RESULT", "LAST RUN", "NEXT RUN", "DESCRIPTION"])
            for job in jobs {
                let schedule = job["job_schedule"]
                table.add([job["job_id"]?.stringValue ?? "", schedule?["status"]?.stringValue ?? "-",
                           schedule?["result"]?.stringValue ?? "-", Timestamp.text(schedule?["time_started"]?.int64Value),
                           job["next_run"]?.stringValue ?? "-", job["description"]?.stringValue ?? ""])
            }
            table.print()
        }
    }
}

struct JobShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a job document as JSON.")
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            printJSON(try await client.request(.GET, "/api/v1/jobs/\(id.urlComponent)").1)
        }
    }
}

struct JobDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a job: it leaves the list and never fires again. Its backups are kept.")
    @Argument(help: "Job id.") var id: String
    @OptionGroup var node: NodeOptions

    func run() async throws {
        try await clientCall(node) { client in
            _ = try await client.request(.DELETE, "/api/v1/jobs/\(id.urlComponent)")
            print("deleted \(id) (its backups are kept)")
        }
    }
}
