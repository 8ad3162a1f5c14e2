/// What Keepwatch knows about one archive; written beside it as `<archive>.json` and kept in the store.
public struct BackupManifest: Codable, Hashable, Sendable {
    public var backupID: String
    public var backupName: String
    public var jobID: String
    public var runID: String
    /// Absolute path of the archive.
    public var file: String
    public var size: Int64
    /// Hex SHA-256 of the archive bytes, computed while they were written.
    public var sha256: String
    /// `zstd`, `gzip`, or `mongo-gzip` for mongodump's own gzip archive.
    public var compression: String
    public var mode: String
    /// What was backed up: a path, or a database description without credentials.
    public var source: String
    public var level: Int
    /// Unix seconds.
    public var startedAt: Int64
    public var endedAt: Int64
    /// Versions of the tools that wrote the archive, e.g. `tar: tar (GNU tar) 1.34`.
    public var tools: [String: String]
    /// Incremental chains: the backup this level was taken against (nil for level 0) and the chain's level-0 backup.
    public var parentID: String?
    public var chainID: String?
    /// GNU tar's `--listed-incremental` state after this level, beside the archive (incremental fs backups).
    public var snapshotFile: String?
    /// `aes-256-gcm` (Keepwatch's chunked stream, see `ArchiveCipher`) when the archive is encrypted.
    public var encryption: String?
    /// The copy on remote storage (`remote:bucket/prefix/<name>/<file>`) and the rclone config file that reaches it.
    public var remote: String?
    public var remoteConfig: String?
    /// `single-database` for MariaDB/MySQL dumps without `CREATE DATABASE`/`USE` (they restore into any database);
    /// nil for dumps made before Keepwatch 0.3, which name their database inside.
    public var dumpFormat: String?

    /// The chain this backup belongs to: its own id when it starts one.
    public var chain: String { chainID ?? backupID }

    public init(backupID: String, backupName: String, jobID: String, runID: String, file: String, size: Int64,
                sha256: String, compression: String, mode: String, source: String, level: Int = 0,
                startedAt: Int64, endedAt: Int64, tools: [String: String], parentID: String? = nil, chainID: String? = nil,
                snapshotFile: String? = nil, encryption: String? = nil) {
        self.backupID = backupID
        self.backupName = backupName
        self.jobID = jobID
        self.runID = runID
        self.file = file
        self.size = size
        self.sha256 = sha256
        self.compression = compression
        self.mode = mode
        self.source = source
        self.level = level
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.tools = tools
        self.parentID = parentID
        self.chainID = chainID
        self.snapshotFile = snapshotFile
        self.encryption = encryption
    }

    enum CodingKeys: String, CodingKey {
        case backupID = "backup_id", backupName = "backup_name", jobID = "job_id", runID = "run_id", file, size, sha256
        case compression, mode, source, level, startedAt = "started_at", endedAt = "ended_at", tools
        case parentID = "parent_id", chainID = "chain_id", snapshotFile = "snapshot_file", encryption
        case remote, remoteConfig = "remote_config", dumpFormat = "dump_format"
    }

    /// `<name>-<unix>.<ext>`, the archive's file name.
    public static func fileName(backupName: String, startedAt: Int64, fileExtension: String) -> String {
        "\(backupName)-\(startedAt).\(fileExtension)"
    }
}
