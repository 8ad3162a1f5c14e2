import KeepwatchCore
import Synchronization

/// Who hears a source stop answering or answer again (notifications), set once the node has its channels.
final class SourceTransitions: Sendable {
    typealias Observer = @Sendable (_ source: SourceDefinition, _ reachable: Bool, _ message: String) async -> Void
    private let observer = Mutex<Observer?>(nil)

    func set(_ handler: @escaping Observer) {
        observer.withLock { $0 = handler }
    }

    func tell(_ source: SourceDefinition, reachable: Bool, message: String) {
        guard let handler = observer.withLock({ $0 }) else { return }
        Task { await handler(source, reachable, message) }
    }
}
