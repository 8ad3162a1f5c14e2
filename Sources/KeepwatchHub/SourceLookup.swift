import Foundation
import KeepwatchCore

/// Finding a source the way people name one (xid, URL as written, or name), and what a definition needs on disk.
public enum SourceLookup {
    /// By xid, then URL, then name; a name that several sources share is refused rather than guessed.
    public static func find(_ reference: String, in sources: [SourceDefinition]) throws(DocumentError) -> SourceDefinition {
        if let byID = sources.first(where: { $0.xid == reference }) { return byID }
        let url = (try? SourceDefinition.checkedURL(reference, field: "url")) ?? reference
        if let byURL = sources.first(where: { $0.url == reference || $0.url == url }) { return byURL }
        let named = sources.filter { $0.name == reference }
        guard named.count <= 1 else {
            let which = named.map { "\($0.url) (xid \($0.xid))" }.joined(separator: ", ")
            throw DocumentError(field: "controller", "\(named.count) controllers are named \(reference): \(which); name one by its URL or xid")
        }
        guard let found = named.first else { throw DocumentError(field: "controller", "controller not found: \(reference)") }
        return found
    }

    /// `tls_ca_file` must be readable when the source is saved, not only when it is first read.
    public static func checkFiles(_ definition: SourceDefinition) throws(DocumentError) {
        if let file = definition.tlsCAFile, !FileManager.default.isReadableFile(atPath: file) {
            throw DocumentError(field: "controller.tls_ca_file", "\(file) cannot be read")
        }
    }
}
