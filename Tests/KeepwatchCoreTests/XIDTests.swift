import KeepwatchCore
import Testing

/// Source ids look and sort like cmon-proxy's (rs/xid): 20 characters of base32hex, time first.
struct XIDTests {
    @Test func theLayoutIsRsXids() {
        // rs/xid's own test vector: the id of time 0x4d88e15b, machine 0x60f486, pid 0xe428, counter 0x412dc9.
        #expect(XID.make(seconds: 0x4d88_e15b, machine: 0x60f486, process: 0xe428, counter: 0x412dc9) == "9m4e2mr0ui3e8a215n4g")
        #expect(XID.seconds(of: "9m4e2mr0ui3e8a215n4g") == 0x4d88_e15b)
    }

    @Test func idsAreTwentyBase32HexCharactersAndSortByTime() {
        let first = XID.make(seconds: 1_700_000_000, machine: 1, process: 2, counter: 3)
        let later = XID.make(seconds: 1_700_000_001, machine: 0, process: 0, counter: 0)
        #expect(first.count == 20 && XID.isValid(first) && XID.isValid("chebjd8gfi863qqhrolg"))
        #expect(first < later)
        #expect(!XID.isValid("CHEBJD8GFI863QQHROLG") && !XID.isValid("short") && !XID.isValid("chebjd8gfi863qqhrolw"))
    }
}
