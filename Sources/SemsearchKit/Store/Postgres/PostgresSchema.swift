import Foundation

/// The tables of an index in PostgreSQL, all in the index's own schema (``PostgresAddress/schema``).
/// PostgreSQL's own types and mechanisms, not SQLite's tables copied:
///
/// - identity columns for ids, `ON DELETE CASCADE` from roots to files to chunks, and statement-level
///   trigger with a transition table for what follows a chunk's delete (its vectors, the keyword
///   totals), so a delete of a root or file is one statement however many chunks it takes along;
/// - `chunks.terms`, a `tsvector` (the `simple` configuration: lower-cased words, no stemming or stop
///   words, like FTS5's unicode61 tokenizer), and `chunks.words`, the chunk's word count;
///   `chunk_terms`, the postings: each (word, chunk) with the word's count in the chunk and the
///   chunk's length, keyed by word, so BM25 over a word's chunks is an index-only range scan
///   (``PostgresIndexStore`` ranks by BM25 itself: `ts_rank` is not BM25, and scoring from the
///   `tsvector`s unnests each matching chunk's, 5 µs a chunk and word: 320 ms for three words in
///   20,000 chunks, against 51 ms from the postings); `keyword_totals` keeps the collection's chunk
///   and word counts, so BM25's length normalization needs no scan;
/// - `vectors (layer, chunk_id, vector bytea)`: every stored layer's vector in the index's format,
///   byte for byte what SQLite stores (fp16 or the layer quantizer's codes), so formats, prediction
///   chains and copies between the two are one code path;
/// - `ann_vectors (chunk_id, embedding halfvec(D))`: the default cell (deepest stored layer, full
///   width), L2-normalized, which the server searches itself, by a scan below 20,000 rows and by a
///   pgvector IVFFlat index on inner product above; created with the settings, since its width is
///   the model's;
/// - `layer_adapters`, `vector_quantizers`, `calibration_targets`, `stored_layers`, `meta` as in SQLite.
///
/// The schema's version is `meta.schema_version`; a newer one than ``version`` is refused unread.
enum PostgresSchema {
    static let version = 1

    /// Creates every table but `ann_vectors` in the current schema.
    static let tables = """
        CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE stored_layers (layer smallint PRIMARY KEY);
        CREATE TABLE roots (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            path text NOT NULL UNIQUE,
            added_at double precision NOT NULL);
        CREATE TABLE files (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            root_id bigint NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
            path text NOT NULL UNIQUE,
            size bigint NOT NULL, mtime double precision NOT NULL, hash text NOT NULL,
            kind text NOT NULL, tokens integer NOT NULL, indexed_at double precision NOT NULL);
        CREATE INDEX files_root ON files(root_id);
        CREATE TABLE chunks (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            file_id bigint NOT NULL REFERENCES files(id) ON DELETE CASCADE,
            ordinal integer NOT NULL,
            byte_start bigint NOT NULL, byte_end bigint NOT NULL,
            line_start integer NOT NULL, line_end integer NOT NULL,
            heading text, text text NOT NULL, tokens integer NOT NULL,
            location_unit text, location_start integer, location_end integer,
            terms tsvector NOT NULL, words integer NOT NULL);
        CREATE INDEX chunks_file ON chunks(file_id);
        CREATE TABLE chunk_terms (
            lexeme text NOT NULL, chunk_id bigint NOT NULL, tf integer NOT NULL, words integer NOT NULL,
            PRIMARY KEY (lexeme, chunk_id) INCLUDE (tf, words));
        CREATE TABLE keyword_totals (
            single boolean PRIMARY KEY DEFAULT true CHECK (single),
            chunks bigint NOT NULL, words bigint NOT NULL);
        INSERT INTO keyword_totals(chunks, words) VALUES (0, 0);
        CREATE TABLE vectors (
            layer smallint NOT NULL, chunk_id bigint NOT NULL, vector bytea NOT NULL,
            PRIMARY KEY (layer, chunk_id));
        ALTER TABLE vectors ALTER COLUMN vector SET STORAGE EXTERNAL;
        CREATE TABLE calibration_targets (
            chunk_id bigint PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE, vector bytea NOT NULL);
        CREATE TABLE layer_adapters (
            layer smallint PRIMARY KEY, target_layer smallint NOT NULL,
            input_dim integer NOT NULL, output_dim integer NOT NULL,
            weights bytea NOT NULL, bias bytea NOT NULL,
            residual double precision NOT NULL, fitted_on integer NOT NULL, fitted_at double precision NOT NULL);
        CREATE TABLE vector_quantizers (
            layer smallint PRIMARY KEY, bits integer NOT NULL, widths bytea,
            low bytea NOT NULL, step bytea NOT NULL, fitted_on integer NOT NULL,
            base_layer smallint, prediction bytea);

        -- A chunk's vectors and postings go with it (found by key: one lookup per stored layer, one
        -- per distinct word of its tsvector), and its words leave
        -- the keyword totals; a store adds its chunks' totals itself, once at the end of its
        -- transaction, so two indexers hold that one row only for the moment before they commit.
        CREATE FUNCTION chunks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM vectors v USING gone, stored_layers s WHERE v.layer = s.layer AND v.chunk_id = gone.id;
            DELETE FROM chunk_terms p USING gone, unnest(gone.terms) u WHERE p.lexeme = u.lexeme AND p.chunk_id = gone.id;
            UPDATE keyword_totals SET chunks = chunks - (SELECT count(*) FROM gone),
                                      words = words - (SELECT coalesce(sum(words), 0) FROM gone);
            RETURN NULL;
        END $$;
        CREATE TRIGGER chunks_deleted AFTER DELETE ON chunks REFERENCING OLD TABLE AS gone
            FOR EACH STATEMENT EXECUTE FUNCTION chunks_deleted();
        """

    /// SQL for the `tsvector` of the text `expression`: the `simple` configuration (lower-cased, no
    /// stemming, no stop words) over the text with every run of characters other than letters and
    /// digits made one space, so words split where FTS5's unicode61 tokenizer splits them (the
    /// default parser alone keeps `well-known` and `3.5` whole and adds their parts besides).
    static func terms(_ expression: String) -> String {
        "to_tsvector('simple', regexp_replace(\(expression), '[^[:alnum:]]+', ' ', 'g'))"
    }

    /// The default cell's table, `dim` wide. Its IVFFlat index comes later
    /// (``PostgresIndexStore/updateNearestNeighborIndex(_:)``): below 20,000 rows the server scans
    /// them all.
    static func nearestNeighborTable(dim: Int) -> String {
        """
        CREATE TABLE ann_vectors (
            chunk_id bigint PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            embedding halfvec(\(dim)) NOT NULL);
        """
    }
}
