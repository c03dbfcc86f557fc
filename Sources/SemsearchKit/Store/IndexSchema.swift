import SemsearchCore
import SemsearchEncoder
import GRDB

/// The index database's tables, created and upgraded by migrations.
///
/// - `meta`: the settings (model, fingerprint, stored layers, chunking, situating) and the values of
///   ``IndexMetaKey`` (last run, vector format, IVF setting…).
/// - `stored_layers`: the stored layers, written with the settings, read by the vector-delete trigger.
/// - `roots`, `files`: what was indexed, with (size, mtime, hash) for change detection.
/// - `chunks` (+ `chunks_fts`, an FTS5 index kept in sync by triggers): text pieces and where they
///   lie: bytes and lines of the (extracted) text, and for documents with pages, slides, chapters,
///   messages or paragraphs the first and last of them (`location_unit`, `location_start`, `location_end`).
/// - `vectors`: the pooled vector of each stored layer for each chunk, keyed (layer, chunk) so
///   one layer's vectors are contiguous on disk and load in one range scan; fp16, or codes of the
///   layer's quantizer in `vector_quantizers` (per-dimension ranges and code widths, and the deeper
///   layer it predicts from), told apart by length.
/// - `calibration_targets`: final-layer vectors of the chunks an early-exit index encoded at full
///   depth, the targets its adapters are fitted to.
/// - `layer_adapters`: per-layer linear maps to the final embedding (calibrated early layers).
/// - `ivf_centroids`, `ivf_lists`: the IVF index — centroids, and each chunk's normalized vector
///   filed under its list, keyed (list, chunk) so a probe reads only its lists, contiguously.
enum IndexSchema {
    static let version = 9

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE roots (
                    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, added_at REAL NOT NULL);
                CREATE TABLE files (
                    id INTEGER PRIMARY KEY,
                    root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
                    path TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL, mtime REAL NOT NULL, hash TEXT NOT NULL,
                    kind TEXT NOT NULL, tokens INTEGER NOT NULL, indexed_at REAL NOT NULL);
                CREATE INDEX files_root ON files(root_id);
                CREATE TABLE chunks (
                    id INTEGER PRIMARY KEY,
                    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                    ordinal INTEGER NOT NULL,
                    byte_start INTEGER NOT NULL, byte_end INTEGER NOT NULL,
                    line_start INTEGER NOT NULL, line_end INTEGER NOT NULL,
                    heading TEXT NOT NULL, text TEXT NOT NULL, tokens INTEGER NOT NULL);
                CREATE INDEX chunks_file ON chunks(file_id);
                CREATE VIRTUAL TABLE chunks_fts USING fts5(text, heading, content='chunks', content_rowid='id');
                CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
                    INSERT INTO chunks_fts(rowid, text, heading) VALUES (new.id, new.text, new.heading);
                END;
                CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
                    INSERT INTO chunks_fts(chunks_fts, rowid, text, heading) VALUES ('delete', old.id, old.text, old.heading);
                END;
                CREATE TABLE vectors (
                    layer INTEGER NOT NULL, chunk_id INTEGER NOT NULL, vector BLOB NOT NULL,
                    PRIMARY KEY (layer, chunk_id)) WITHOUT ROWID;
                CREATE INDEX vectors_chunk ON vectors(chunk_id);
                CREATE TRIGGER chunks_vectors_delete AFTER DELETE ON chunks BEGIN
                    DELETE FROM vectors WHERE chunk_id = old.id;
                END;
                """)
        }
        migrator.registerMigration("v2-ivf") { db in
            try db.execute(sql: """
                CREATE TABLE ivf_centroids (list_id INTEGER PRIMARY KEY, centroid BLOB NOT NULL);
                CREATE TABLE ivf_lists (
                    list_id INTEGER NOT NULL, chunk_id INTEGER NOT NULL, vector BLOB NOT NULL,
                    PRIMARY KEY (list_id, chunk_id)) WITHOUT ROWID;
                CREATE INDEX ivf_lists_chunk ON ivf_lists(chunk_id);
                CREATE TRIGGER chunks_ivf_delete AFTER DELETE ON chunks BEGIN
                    DELETE FROM ivf_lists WHERE chunk_id = old.id;
                END;
                """)
        }
        migrator.registerMigration("v3-adapters") { db in
            try db.execute(sql: """
                CREATE TABLE layer_adapters (
                    layer INTEGER PRIMARY KEY, target_layer INTEGER NOT NULL,
                    input_dim INTEGER NOT NULL, output_dim INTEGER NOT NULL,
                    weights BLOB NOT NULL, bias BLOB NOT NULL,
                    residual REAL NOT NULL, fitted_on INTEGER NOT NULL, fitted_at REAL NOT NULL);
                """)
        }
        migrator.registerMigration("v4-calibration-targets") { db in
            try db.execute(sql: """
                CREATE TABLE calibration_targets (chunk_id INTEGER PRIMARY KEY, vector BLOB NOT NULL);
                CREATE TRIGGER chunks_calibration_delete AFTER DELETE ON chunks BEGIN
                    DELETE FROM calibration_targets WHERE chunk_id = old.id;
                END;
                """)
        }
        migrator.registerMigration("v5-vector-quantizers") { db in
            try db.execute(sql: """
                CREATE TABLE vector_quantizers (
                    layer INTEGER PRIMARY KEY, bits INTEGER NOT NULL,
                    low BLOB NOT NULL, step BLOB NOT NULL, fitted_on INTEGER NOT NULL);
                """)
        }
        // Chunk deletes find their vectors through the primary key, one lookup per stored layer
        // (listed in the settings), instead of through an index on chunk_id: 60 KB less a
        // thousand chunks.
        migrator.registerMigration("v6-vector-deletes-by-key") { db in
            try db.execute(sql: """
                DROP INDEX vectors_chunk;
                DROP TRIGGER chunks_vectors_delete;
                CREATE TRIGGER chunks_vectors_delete AFTER DELETE ON chunks BEGIN
                    DELETE FROM vectors WHERE chunk_id = old.id AND layer IN (
                        SELECT value FROM json_each(json_extract((SELECT value FROM meta WHERE key = 'settings'), '$.layers')));
                END;
                """)
        }
        // A quantizer may give each dimension its own code width (a byte each; NULL: every
        // dimension has `bits`), and may quantize what a deeper layer does not predict (the base
        // layer and fp32 weights a dimension; NULL: no prediction).
        migrator.registerMigration("v7-quantizer-widths-and-prediction") { db in
            try db.execute(sql: """
                ALTER TABLE vector_quantizers ADD COLUMN widths BLOB;
                ALTER TABLE vector_quantizers ADD COLUMN base_layer INTEGER;
                ALTER TABLE vector_quantizers ADD COLUMN prediction BLOB;
                """)
        }
        // Chunks of documents say where they lie in the document's own terms (`DocumentLocation`).
        // Files indexed before that get an empty hash, which tells the next index run to read them
        // again (`StoredFileState.needsRereading`); their size and time stay, so results from them
        // are not shown as changed meanwhile.
        migrator.registerMigration("v8-chunk-locations") { db in
            try db.execute(sql: """
                ALTER TABLE chunks ADD COLUMN location_unit TEXT;
                ALTER TABLE chunks ADD COLUMN location_start INTEGER;
                ALTER TABLE chunks ADD COLUMN location_end INTEGER;
                """)
            // The extensions read with a location when v8 was written (PDF and the document
            // formats), spelled out here so the migration stays what it was as formats are added.
            let located = ["pdf", "docx", "docm", "pptx", "pptm", "odt", "odp", "epub", "rtf", "eml", "mbox", "mbx"].map { "lower(path) LIKE '%.\($0)'" }.joined(separator: " OR ")
            try db.execute(sql: "UPDATE files SET hash = '' WHERE \(located)")
        }
        // The vector-delete trigger reads the stored layers from a table of their own, written
        // with the settings, instead of from a field of the settings JSON, whose name is a Swift
        // property's: renaming it would have silently stopped vector deletes.
        migrator.registerMigration("v9-stored-layers-table") { db in
            try db.execute(sql: """
                CREATE TABLE stored_layers (layer INTEGER PRIMARY KEY);
                INSERT INTO stored_layers(layer)
                    SELECT value FROM json_each(json_extract((SELECT value FROM meta WHERE key = 'settings'), '$.layers'));
                DROP TRIGGER chunks_vectors_delete;
                CREATE TRIGGER chunks_vectors_delete AFTER DELETE ON chunks BEGIN
                    DELETE FROM vectors WHERE chunk_id = old.id AND layer IN (SELECT layer FROM stored_layers);
                END;
                """)
        }
        return migrator
    }
}
