import Hummingbird

/// What "Test only" found, or why an add was refused, shown above the add-source form with the form refilled
/// (kind, name, URL, user name, the certificate box; never the password or token).
struct SourceFormOutcome {
    let form: WebForm
    let succeeded: Bool
    let status: HTTPResponse.Status
    let message: String

    var fields: [String: Any] {
        var fields: [String: Any] = [succeeded ? "formNotice" : "formProblem": message, "enteredInsecure": form["tls_insecure"] == "true"]
        fields.put("enteredName", form.text("name"))
        fields.put("enteredURL", form.text("url"))
        fields.put("enteredUsername", form.text("username"))
        return fields
    }
}
