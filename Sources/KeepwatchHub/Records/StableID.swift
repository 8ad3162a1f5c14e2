/// Numeric ids for records whose remote has only names (mgob plans, Keepwatch jobs, Ethoscope devices): the same
/// text always gives the same positive number (FNV-1a, 31 bits), so filters on `cluster_id` survive refreshes.
enum StableID {
    static func of(_ text: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int64(truncatingIfNeeded: (hash ^ (hash >> 31)) & 0x7fff_ffff) | 1
    }
}
