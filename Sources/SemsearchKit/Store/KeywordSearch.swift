/// How keyword search ranks, whatever store answers it: chunks whose text or heading holds the
/// query's words, best BM25 first. Each word is quoted, so punctuation and query syntax are taken
/// literally (`ERR-7731-QX` stays one phrase), and the words are OR-ed: BM25 already ranks chunks
/// with more of them higher. Stop words (`the`, `what`, `of` …, ``QueryTerms``) are left out: they
/// match nearly every chunk, which costs time on a large index and, in a small one, lets a
/// question's grammar outrank its meaning. So are words in more than ``commonWordChunks`` chunks,
/// which only a large index has: BM25 gives them almost no weight, and ranking every chunk that
/// holds them would cost a million-chunk search seconds.
public enum KeywordSearch {
    /// Chunks above which a word is too common for the keyword ranking.
    public static let commonWordChunks = 50_000
}
