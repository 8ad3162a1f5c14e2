import Hummingbird
import KeepwatchCore
import KeepwatchEngine
import NIOCore

/// The request context of every route: the client's address and, once the auth middleware has run,
/// who is calling (`principal`) and, for a session, their account.
public struct KeepwatchRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public var principal: Principal?
    public var user: UserAccount?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address, as the audit trail and the login throttle see it.
    public var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// Who is asking, for the audit trail.
    public var requester: Requester { Requester(name: principal?.name ?? "anonymous", source: clientAddress) }
}
