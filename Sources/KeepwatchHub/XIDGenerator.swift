import Foundation
import KeepwatchCore
import Synchronization

/// New source ids: rs/xid's layout (time, machine, process, counter) from this host's name and this process.
public enum SourceIDs {
    static let shared = XIDGenerator()

    /// A fresh xid; the node and the command line make them the same way.
    public static func next() -> String { shared.next() }
}

final class XIDGenerator: Sendable {
    private let counter = Mutex<UInt32>(UInt32.random(in: 0..<0xff_ffff))
    private let machine: UInt32
    private let process = UInt16(truncatingIfNeeded: getpid())

    init() {
        machine = UInt32(truncatingIfNeeded: StableID.of(ProcessInfo.processInfo.hostName)) & 0xff_ffff
    }

    func next() -> String {
        let count = counter.withLock { value -> UInt32 in
            value = (value &+ 1) & 0xff_ffff
            return value
        }
        return XID.make(seconds: UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970)), machine: machine, process: process, counter: count)
    }
}
