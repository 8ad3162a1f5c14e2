/// The release number, kept in this one place: `keepwatch --version`, `keepwatch version`, the node's log and
/// mgob's `/version` all show it.
enum KeepwatchVersion {
    static let version = "0.3.0"
}
