import Mustache

/// The page templates, compiled into the binary (Mustache; `{{x}}` is HTML-escaped, `{{{x}}}` only for markup the
/// node made itself, the sparklines). Partials: `documentStart`, `head`, `foot`, `legend`, `runButtons`.
enum WebTemplates {
    static let sources: [String: String] = [
        "documentStart": documentStart, "head": head, "foot": foot, "legend": legend, "runButtons": runButtons, "login": login, "overview": overview,
        "jobs": jobs, "job": job, "run": run, "backups": backups, "checks": checks, "check": check,
        "sources": sourceList, "notifications": notifications, "users": users, "problem": problemPage,
    ]

    /// Parsed once; a template that does not parse is a programming error that the tests catch at start.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in sources {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("web template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    static func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? "template \(name) is missing"
    }
}
