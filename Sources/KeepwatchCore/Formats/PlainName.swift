/// The one rule for names that go into URLs and file names: ASCII letters, digits, `-` and `_` (and `.` where a
/// name may carry one). Callers add their own length and first-character rules.
public enum PlainName {
    @inlinable
    public static func isPlain(_ text: some StringProtocol, dots: Bool) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 45 || byte == 95
                || (dots && byte == 46)
        }
    }
}
