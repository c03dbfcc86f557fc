/// Whether two rankings of the same query agree up to near-ties, for tests whose two sides score
/// through different arithmetic (another BLAS thread count or kernel, a format round trip): on
/// another CPU such sums round differently, and two items whose scores lie within a rounding of
/// each other may swap. Exact equality of such rankings holds on one CPU only.
public enum RankingAgreement {
    /// True when, position by position, the scores lie within `tolerance`, and an item in a
    /// different place is in the other ranking too, or tied within `tolerance` with its last item
    /// (so it could have been cut off by rounding).
    public static func agree<ID: Hashable>(_ a: [(id: ID, score: Float)], _ b: [(id: ID, score: Float)], tolerance: Float) -> Bool {
        guard a.count == b.count else { return false }
        for i in a.indices where abs(a[i].score - b[i].score) > tolerance { return false }
        let idsA = Set(a.map(\.id)), idsB = Set(b.map(\.id))
        for (i, item) in a.enumerated() where item.id != b[i].id {
            guard idsB.contains(item.id) || abs(item.score - b[b.count - 1].score) <= tolerance else { return false }
            guard idsA.contains(b[i].id) || abs(b[i].score - a[a.count - 1].score) <= tolerance else { return false }
        }
        return true
    }
}
