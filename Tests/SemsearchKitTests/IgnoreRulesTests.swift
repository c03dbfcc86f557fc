import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite struct IgnoreRulesTests {
    @Test func followsGitignoreSemantics() {
        let rules = IgnoreRules("""
        # comment
        *.log
        !keep.log
        build/
        /top.txt
        docs/**/draft-*.md
        **/cache
        [abc].tmp
        """)
        func ignored(_ path: String, dir: Bool = false) -> Bool { rules.verdict(relativePath: path, isDirectory: dir) ?? false }
        #expect(ignored("debug.log") && ignored("sub/deep/x.log"))
        #expect(!ignored("keep.log"))
        #expect(ignored("build", dir: true) && !ignored("build"))
        #expect(ignored("top.txt") && !ignored("sub/top.txt"))
        #expect(ignored("docs/draft-1.md") && ignored("docs/a/b/draft-2.md") && !ignored("docs/final.md"))
        #expect(ignored("x/y/cache", dir: true) && ignored("cache"))
        #expect(ignored("a.tmp") && !ignored("d.tmp"))
        #expect(rules.verdict(relativePath: "notes.md", isDirectory: false) == nil)
    }
}
