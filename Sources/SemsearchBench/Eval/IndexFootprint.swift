import SemsearchKit
import SemsearchCore
import SemsearchEncoder

/// What an evaluation index costs: its chunks and the bytes of its database, per document.
public struct IndexFootprint: Sendable, Hashable {
    public var documents: Int
    public var chunks: Int
    /// Bytes the database file uses (pages in use, after a checkpoint), vectors, text and
    /// keyword index together.
    public var databaseBytes: Int

    public init(documents: Int, chunks: Int, databaseBytes: Int) {
        self.documents = documents
        self.chunks = chunks
        self.databaseBytes = databaseBytes
    }

    public var bytesPerDocument: Double { documents > 0 ? Double(databaseBytes) / Double(documents) : 0 }
    public var chunksPerDocument: Double { documents > 0 ? Double(chunks) / Double(documents) : 0 }
}
