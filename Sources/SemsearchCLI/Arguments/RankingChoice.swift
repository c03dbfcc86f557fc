import ArgumentParser

/// How `eval --ranking` ranks: by vectors alone, or with BM25 fused in.
enum RankingChoice: String, CaseIterable, ExpressibleByArgument {
    case vector
    case hybrid
}
