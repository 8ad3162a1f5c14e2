import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import KeepwatchMonitor
import NIOCore

/// SlapOS's monitor URLs (the seed's "Information about URL access"): `GET /monitor.haljson`,
/// `GET /public/<id>.status.json` (and `.history.json`, `monitor.global.json`, `feed`, `feeds`),
/// `GET /public/<id>/<file>` for the files a promise's `public-path-list` names, `GET /private/...` for its
/// `private-path-list` (login), and `POST /cgi-bin/monitor-run-promise.cgi?service=<id>` to run one now.
struct MonitorFileRoutes {
    let promises: PromiseRunner
    let data: DataDirectory

    func register(on router: Router<KeepwatchRequestContext>) {
        for method in [HTTPRequest.Method.get, .head] {
            router.on("monitor.haljson", method: method) { _, _ in Self.file(data.monitorHAL.path, type: "application/hal+json") }
            router.on("public", method: method) { _, _ in await index(private: false) }
            router.on("private", method: method) { _, _ in await index(private: true) }
            router.on("public/{name}", method: method) { _, context in
                let name = try context.parameters.require("name")
                guard Self.isPlainName(name) else { return Self.notFound() }
                let type = name == "feed" ? "application/rss+xml; charset=utf-8" : name == "feeds" ? "text/x-opml; charset=utf-8" : "application/json"
                return Self.file(data.publicFiles.appendingPathComponent(name).path, type: type)
            }
            router.on("private/monitor.global.json", method: method) { _, _ in
                Self.file(data.privateFiles.appendingPathComponent("monitor.global.json").path, type: "application/json")
            }
            router.on("public/{name}/**", method: method) { _, context in await listed(context, private: false) }
            router.on("private/{name}/**", method: method) { _, context in await listed(context, private: true) }
        }
        router.post("cgi-bin/monitor-run-promise.cgi") { request, _ in
            guard let service = request.uri.queryParameters.get("service"), !service.isEmpty, !service.contains("/") else {
                return JSONResponses.error("say which promise: ?service=<name> (a name, without '/')", status: .badRequest)
            }
            guard await promises.runNow(service) else { return JSONResponses.error("no promise \(service)", status: .notFound) }
            return Response(status: .noContent)
        }
    }

    /// A file a promise's path list names, or one inside a directory it names, never anything a `..` or a symbolic
    /// link would reach outside it.
    func listed(_ context: KeepwatchRequestContext, private: Bool) async -> Response {
        guard let id = context.parameters.get("name"), let paths = await promises.listedPaths(id, private: `private`) else { return Self.notFound() }
        let parts = context.parameters.getCatchAll().map { String($0).removingPercentEncoding ?? String($0) }
        guard !parts.contains(where: { $0.contains("/") || $0.contains("\0") }) else { return Self.notFound() }
        guard let first = parts.first, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { return Self.notFound() }
        for listed in paths {
            let root = listed.hasPrefix("/") ? listed : data.root.appendingPathComponent(listed).path
            guard (root as NSString).lastPathComponent == first, let resolvedRoot = Self.realPath(root) else { continue }
            let target = ([root] + parts.dropFirst()).joined(separator: "/")
            guard let resolved = Self.realPath(target), resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot + "/") else {
                return Self.notFound()
            }
            return Self.file(resolved, type: Self.type(of: resolved))
        }
        return Self.notFound()
    }

    /// `/public/` and `/private/`: what there is to read, as JSON.
    func index(private: Bool) async -> Response {
        let views = await promises.views()
        var files: [JSONValue] = []
        if `private` {
            files.append(["name": "monitor.global.json", "href": "/private/monitor.global.json"])
        } else {
            for name in ["feed", "feeds", "monitor.global.json"] { files.append(["name": .string(name), "href": .string("/public/\(name)")]) }
        }
        for view in views where view.current != nil {
            let paths = await promises.listedPaths(view.id, private: `private`) ?? []
            if !`private` { files.append(["name": .string("\(view.id).status.json"), "href": .string("/public/\(view.id).status.json")]) }
            for path in paths {
                let base = (path as NSString).lastPathComponent
                files.append(["name": .string("\(view.id)/\(base)"), "href": .string("/\(`private` ? "private" : "public")/\(view.id)/\(base)")])
            }
        }
        return JSONResponses.json(["files": .array(files)])
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.hasPrefix(".") && PlainName.isPlain(name, dots: true)
    }

    static func type(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html", "htm": return "text/html; charset=utf-8"
        case "json": return "application/json"
        case "csv": return "text/csv; charset=utf-8"
        case "css": return "text/css"
        case "js": return "text/javascript"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        default: return "text/plain; charset=utf-8"
        }
    }

    /// A regular file (16 MiB at most), or 404.
    static func file(_ path: String, type: String) -> Response {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
              info.st_size <= 16 << 20, let contents = FileManager.default.contents(atPath: path) else { return notFound() }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "private, max-age=40"],
                        body: .init(byteBuffer: ByteBuffer(bytes: contents)))
    }

    static func notFound() -> Response { JSONResponses.error("not found", status: .notFound) }
}
