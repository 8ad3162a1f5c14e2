import Foundation
import KeepwatchCore
import KeepwatchEngine
import Testing

/// PBKDF2 hashes against an independent implementation (Python's hashlib) in both directions.
@Suite struct PasswordHasherTests {
    @Test func newHashesUseSixHundredThousandRoundsAndSixteenByteSalts() async throws {
        let text = try await PasswordHasher.hash("correct horse")
        let parsed = try #require(PasswordHashText(text))
        #expect(parsed.iterations == 600_000 && parsed.salt.count == 16 && parsed.key.count == 32)
        #expect(!parsed.needsUpgrade)
        #expect(try await PasswordHasher.verify("correct horse", against: text) == .match(needsUpgrade: false))
        #expect(try await PasswordHasher.verify("correct horsf", against: text) == .mismatch)
        #expect(try await PasswordHasher.hash("correct horse") != text, "a fresh salt each time")
    }

    @Test func pythonAgreesWithKeepwatch() async throws {
        let text = try await PasswordHasher.hash("pässword ✓")
        let verdict = try shell("""
            python3 -c "import hashlib,sys; s,n,k=sys.argv[1].split(':'); print(hashlib.pbkdf2_hmac('sha256','pässword ✓'.encode(),bytes.fromhex(s),int(n),32).hex()==k)" '\(text)'
            """)
        #expect(verdict.trimmingCharacters(in: .whitespacesAndNewlines) == "True")
    }

    @Test func cmonProxyHashesFromPythonAreReadAndMarkedForUpgrade() async throws {
        let text = try shell("""
            python3 -c "import hashlib,os; s=os.urandom(8); print(s.hex()+':5000:'+hashlib.pbkdf2_hmac('sha256',b'admin-pass',s,5000,32).hex())"
            """).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await PasswordHasher.verify("admin-pass", against: text) == .match(needsUpgrade: true))
        #expect(try await PasswordHasher.verify("admin-pasS", against: text) == .mismatch)
    }

    @Test func unreadableHashesNeverMatch() async throws {
        for text in ["", "abc", "zz:10:00", "00:0:00", "00:x:00", "00:10:", ":10:00", "0:10:00", "00:10:00:00"] {
            #expect(try await PasswordHasher.verify("anything", against: text) == .unreadable, "\(text)")
        }
    }

    @Test func constantTimeCompareNeedsEqualLengthAndBytes() {
        #expect(Secrets.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Secrets.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Secrets.constantTimeEqual([1, 2, 3], [1, 2]))
    }

    @Test func tokensAndPasswordsAreRandomAndWellFormed() {
        let tokens = Set((0..<100).map { _ in Secrets.randomToken() })
        #expect(tokens.count == 100)
        #expect(tokens.allSatisfy { $0.count == 43 && !$0.contains("+") && !$0.contains("/") && !$0.contains("=") })
        #expect(Secrets.randomPassword().count == 16)
        #expect(Secrets.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
