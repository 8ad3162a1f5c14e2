import Foundation
import KeepwatchCore
import KeepwatchEngine

/// The job document a `-f FILE|-` option names, read as JSON or YAML; syntax errors name the line and column.
enum JobDocumentFile {
    static func load(_ path: String) throws -> JSONValue {
        let (text, name) = try read(path)
        do {
            return try JobDocumentText.parse(text, name: name)
        } catch {
            throw NodeClient.Failure("\(error)")
        }
    }

    private static func read(_ path: String) throws -> (text: String, name: String) {
        if path == "-" {
            return (String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self), "standard input")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw NodeClient.Failure("\(path): no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NodeClient.Failure("\(path): the file cannot be read (is it a directory, or are its permissions too strict?)")
        }
        return (String(decoding: data, as: UTF8.self), path)
    }
}
