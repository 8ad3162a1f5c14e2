/// Another monitor this node lists beside its own (a `slapos` or `keepwatch` source of the hub): in the
/// `related_monitor` links of `monitor.haljson` and `monitor.global.json`, and as a feed in the OPML `public/feeds`.
public struct RelatedMonitor: Sendable, Equatable {
    public var title: String
    /// The monitor's base URL, without a trailing slash (its feed is `<root>/public/feed`).
    public var root: String

    public init(title: String, url: String) {
        self.title = title
        var root = url
        while root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    /// What `related_monitor` points at: the monitor's public folder, as SlapOS links `<child>/share/public`.
    public var publicURL: String { root + "/public" }
    public var feedURL: String { root + "/public/feed" }
    public var privateURL: String { root + "/private/" }
}
