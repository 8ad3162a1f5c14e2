import Foundation
import Hummingbird
import KeepwatchCore
import KeepwatchHub

extension BoardQuery {
    /// The overview's filters as the page's URL carries them (`?source=&kind=&state=&tag=&q=&page=`); values that
    /// mean nothing (an unknown state, a page that is not a number) are dropped, not refused, as a form would be.
    init(_ request: Request) {
        self.init()
        let query = request.uri.queryParameters
        source = String(query.get("source")?.prefix(100) ?? "")
        kind = query.get("kind").flatMap { SourceDefinition.Kind(rawValue: $0)?.rawValue } ?? ""
        state = query.get("state").flatMap { BoardState(rawValue: $0)?.rawValue } ?? ""
        tag = String(query.get("tag")?.prefix(100) ?? "")
        search = String(query.get("q")?.prefix(200) ?? "")
        if let page = query.get("page").flatMap({ Int($0) }), page > 0 { self.page = page }
        if let size = query.get("per_page").flatMap({ Int($0) }), size > 0 { perPage = min(size, BoardQuery.maximumPerPage) }
    }

    /// The filters in the URL that mean nothing and were left out, in words for a note above the board; nil when
    /// every one was understood.
    static func ignored(_ request: Request) -> String? {
        let query = request.uri.queryParameters
        var notes: [String] = []
        func quoted(_ value: String) -> String { "“\(value.prefix(40))”" }
        if let kind = query.get("kind"), !kind.isEmpty, SourceDefinition.Kind(rawValue: String(kind)) == nil {
            notes.append("kind \(quoted(kind)) (kinds are \(SourceDefinition.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if let state = query.get("state"), !state.isEmpty, BoardState(rawValue: String(state)) == nil {
            notes.append("state \(quoted(state)) (states are \(BoardState.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if let page = query.get("page"), !page.isEmpty, (Int(page) ?? 0) < 1 { notes.append("page \(quoted(page)) (pages count from 1)") }
        if let size = query.get("per_page"), !size.isEmpty {
            let number = Int(size) ?? 0
            if number < 1 { notes.append("per_page \(quoted(size)) (a number from 1)") }
            if number > BoardQuery.maximumPerPage { notes.append("per_page above \(BoardQuery.maximumPerPage) (\(BoardQuery.maximumPerPage) are shown)") }
        }
        return notes.isEmpty ? nil : "Left out: " + notes.joined(separator: "; ") + "."
    }

    /// The URL parameters that give this query, with `changes` applied (an empty value drops the parameter).
    func link(_ changes: [String: String] = [:], path: String = "/") -> String {
        var parameters: [(String, String)] = [("source", source), ("kind", kind), ("state", state), ("tag", tag), ("q", search),
                                              ("page", page > 1 ? String(page) : "")]
        if perPage != 100 { parameters.append(("per_page", String(perPage))) }
        parameters = parameters.map { name, value in (name, changes[name] ?? value) }
        let encoded = parameters.filter { !$0.1.isEmpty }.map { "\($0.0)=\(WebResponse.escaped($0.1))" }
        return encoded.isEmpty ? path : path + "?" + encoded.joined(separator: "&")
    }
}
