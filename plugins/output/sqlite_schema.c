/* sqlite_schema.c -- the SQL of output.sqlite, in one place. Every
 * statement is idempotent over runs: documents are upserted by id, and a document's
 * entities and cluster claim are replaced when it is written again. */
#include "sqlite_schema.h"

/* The SQL keeps its own layout. */
/* clang-format off */

/* An entity is a row of entity_rows, keyed by its document's doc_key and
 * its place in it, so a document's rows go in together at the end of the
 * table. The view entities adds the document's id: a look-up by doc_id
 * finds the document by documents' own index and then its rows by key,
 * so no index of entity rows by doc_id is kept for every entity. */
const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS runs (\n"
	"  run_id        INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  started       TEXT NOT NULL,      -- UTC, ISO 8601\n"
	"  finished      TEXT,               -- UTC, ISO 8601\n"
	"  textmill      TEXT,               -- version that wrote the run\n"
	"  config        TEXT,               -- path of the config file\n"
	"  config_hash   TEXT,               -- same hash, same resolved pipeline\n"
	"  workers       INTEGER,\n"
	"  docs_read     INTEGER,\n"
	"  docs_written  INTEGER,\n"
	"  docs_dropped  INTEGER,\n"
	"  docs_rejected INTEGER,\n"
	"  bytes         INTEGER,\n"
	"  seconds       REAL,\n"
	"  summary       TEXT                -- the whole run summary, JSON\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS run_stages (\n"
	"  run_id      INTEGER NOT NULL REFERENCES runs(run_id),\n"
	"  position    INTEGER NOT NULL,     -- 0 is the input\n"
	"  label       TEXT NOT NULL,        -- input, stages.N, outputs.N\n"
	"  type        TEXT NOT NULL,\n"
	"  docs_in     INTEGER, kept INTEGER, dropped INTEGER, rejected INTEGER,\n"
	"  seconds     REAL,\n"
	"  dropped_by  TEXT,                 -- JSON {reason: count}\n"
	"  rejected_by TEXT,                 -- JSON {reason: count}\n"
	"  counters    TEXT,                 -- JSON {counter: value}\n"
	"  PRIMARY KEY (run_id, position)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS documents (\n"
	"  doc_key      INTEGER PRIMARY KEY, -- a number for the id, to join entities by\n"
	"  id           TEXT NOT NULL UNIQUE,\n"
	"  title        TEXT,\n"
	"  published    TEXT,                -- as the metadata has it, ISO 8601\n"
	"  month        TEXT,                -- YYYY-MM of published\n"
	"  author       TEXT,\n"
	"  source       TEXT,\n"
	"  url          TEXT,\n"
	"  views        INTEGER,\n"
	"  origin       TEXT,                -- where it was read, FILE or FILE:LINE\n"
	"  chars        INTEGER,             -- characters of text\n"
	"  entity_count INTEGER,\n"
	"  text         TEXT,                -- NULL with store_text: false\n"
	"  meta         TEXT NOT NULL,       -- all metadata, JSON object\n"
	"  first_run    INTEGER REFERENCES runs(run_id),\n"
	"  last_run     INTEGER REFERENCES runs(run_id)\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS entity_rows (\n"
	"  doc_key    INTEGER NOT NULL REFERENCES documents(doc_key),\n"
	"  seq        INTEGER NOT NULL,      -- order in the document, from 0\n"
	"  type       TEXT NOT NULL,\n"
	"  start      INTEGER NOT NULL,      -- byte offset into documents.text\n"
	"  end        INTEGER NOT NULL,      -- exclusive\n"
	"  text       TEXT NOT NULL,         -- the text the entity covers\n"
	"  value,                            -- the value: text, number, or JSON\n"
	"  value_json TEXT,                  -- the value as JSON\n"
	"  attrs      TEXT,                  -- JSON object\n"
	"  rule       TEXT,\n"
	"  stage      TEXT,\n"
	"  PRIMARY KEY (doc_key, seq)\n"
	") WITHOUT ROWID;\n"
	"CREATE VIEW IF NOT EXISTS entities AS\n"
	"  SELECT e.doc_key, e.seq, d.id AS doc_id, e.type, e.start, e.end, e.text,\n"
	"         e.value, e.value_json, e.attrs, e.rule, e.stage\n"
	"  FROM entity_rows AS e JOIN documents AS d ON d.doc_key = e.doc_key;\n"
	"CREATE TRIGGER IF NOT EXISTS entities_delete INSTEAD OF DELETE ON entities BEGIN\n"
	"  DELETE FROM entity_rows WHERE doc_key = old.doc_key AND seq = old.seq;\n"
	"END;\n"
	"CREATE TABLE IF NOT EXISTS cluster_members (\n"
	"  doc_id       TEXT PRIMARY KEY,\n"
	"  cluster      TEXT NOT NULL,\n"
	"  duplicate_of TEXT,                -- NULL for the cluster's original\n"
	"  similarity   REAL,\n"
	"  run_id       INTEGER REFERENCES runs(run_id)\n"
	");\n"
	"CREATE VIEW IF NOT EXISTS clusters AS\n"
	"  SELECT cluster,\n"
	"         count(*) AS size,\n"
	"         min(CASE WHEN duplicate_of IS NULL THEN doc_id END) AS original,\n"
	"         min(similarity) AS min_similarity\n"
	"  FROM cluster_members GROUP BY cluster;\n";

/* Created after the rows when the database is new: their entries arrive
 * in no order (a document's entities are scattered over entities(type,
 * value)), and one sort is much cheaper than keeping such an index in
 * order row by row. */
const char schema_sorted_indexes_sql[] =
	"CREATE INDEX IF NOT EXISTS documents_published ON documents(published);\n"
	"CREATE INDEX IF NOT EXISTS documents_month ON documents(month);\n"
	"CREATE INDEX IF NOT EXISTS documents_source ON documents(source);\n"
	"CREATE INDEX IF NOT EXISTS entities_type_value ON entity_rows(type, value);\n"
	"CREATE INDEX IF NOT EXISTS cluster_members_cluster ON cluster_members(cluster);\n";

/* Schema version 1 kept doc_id in every entity row, with an index on it
 * kept row by row (on the dev articles 29 % of the writer thread's
 * instructions). The table loses that index and that column and takes
 * the name entity_rows, in place: its rows and its other indexes stay,
 * nothing is copied; schema_sql then makes the view under the old name.
 * With legacy_alter_table the rename leaves views and triggers that name
 * entities as they are, so that a user's own view of entities reads the
 * view, which has the same columns, rather than naming a table gone. */
const char schema_migrate_v1_sql[] =
	"PRAGMA legacy_alter_table = ON;\n"
	"DROP INDEX IF EXISTS entities_doc_id;\n"
	"ALTER TABLE entities DROP COLUMN doc_id;\n"
	"ALTER TABLE entities RENAME TO entity_rows;\n"
	"PRAGMA legacy_alter_table = OFF;\n";

/* Row counts of the indexes, from a sample, so that the planner joins
 * the entities view by keys rather than scanning (a query over every
 * entity with its document's text: 3 times as fast on the dev articles). */
const char schema_statistics_sql[] = "PRAGMA analysis_limit = 400; ANALYZE;\n";

/* ?1 started, ?2 textmill version. The rest arrives in finish(). */
const char sql_insert_run[] = "INSERT INTO runs(started, textmill) VALUES (?1, ?2)";

/* ?1 run_id, ?2 the run summary (JSON). */
const char sql_finish_run[] =
	"UPDATE runs SET finished = json_extract(?2, '$.finished'),\n"
	"  config = json_extract(?2, '$.config'), config_hash = json_extract(?2, '$.config_hash'),\n"
	"  workers = json_extract(?2, '$.workers'),\n"
	"  docs_read = json_extract(?2, '$.documents.read'),\n"
	"  docs_written = json_extract(?2, '$.documents.written'),\n"
	"  docs_dropped = json_extract(?2, '$.documents.dropped'),\n"
	"  docs_rejected = json_extract(?2, '$.documents.rejected'),\n"
	"  bytes = json_extract(?2, '$.bytes'), seconds = json_extract(?2, '$.seconds'),\n"
	"  summary = json_set(?2, '$.status', 'done')\n"
	"WHERE run_id = ?1";

const char sql_insert_stages[] =
	"INSERT INTO run_stages\n"
	"SELECT ?1, CAST(key AS INTEGER), json_extract(value, '$.label'), json_extract(value, '$.type'),\n"
	"  json_extract(value, '$.in'), json_extract(value, '$.kept'), json_extract(value, '$.dropped'),\n"
	"  json_extract(value, '$.rejected'), json_extract(value, '$.seconds'),\n"
	"  json_extract(value, '$.dropped_by'), json_extract(value, '$.rejected_by'),\n"
	"  json_extract(value, '$.counters')\n"
	"FROM json_each(?2, '$.stages')";

/* ?1 id .. ?13 meta, ?14 this run. */
const char sql_upsert_document[] =
	"INSERT INTO documents(id, title, published, month, author, source, url, views, origin,\n"
	"                      chars, entity_count, text, meta, first_run, last_run)\n"
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)\n"
	"ON CONFLICT(id) DO UPDATE SET title = excluded.title, published = excluded.published,\n"
	"  month = excluded.month, author = excluded.author, source = excluded.source,\n"
	"  url = excluded.url, views = excluded.views, origin = excluded.origin,\n"
	"  chars = excluded.chars, entity_count = excluded.entity_count, text = excluded.text,\n"
	"  meta = excluded.meta, last_run = excluded.last_run\n"
	"RETURNING doc_key";

const char sql_delete_entities[] = "DELETE FROM entity_rows WHERE doc_key = ?1";

/* The doc_key of every row is ?1, bound once for a statement's rows (they
 * are one document's); the row's other columns, in the order of the table,
 * are the parameters after it (ENTITY_PARAMS a row), the value made
 * plain by the plugin (a string without escapes, a small integer, true,
 * false, null: what json_extract would give). One statement of many rows
 * costs much less than a statement per row. */
const char sql_insert_entities[] = "INSERT INTO entity_rows VALUES ";

/* One row whose value SQLite makes plain (escapes, other numbers, objects,
 * lists): the same parameters, ?7 unused, ?8 the value as JSON. */
const char sql_insert_entity_json[] =
	"INSERT INTO entity_rows VALUES (?1, ?2, ?3, ?4, ?5, ?6, json_extract(?8, '$'), ?8, ?9, ?10, ?11)";

/* A document written again drops the claim it made before ("I duplicate
 * X"); a row that only says it is an original stays, since other
 * documents may point at it. */
const char sql_delete_claim[] =
	"DELETE FROM cluster_members WHERE doc_id = ?1 AND duplicate_of IS NOT NULL";

/* ?1 doc, ?2 cluster, ?3 duplicate_of, ?4 similarity, ?5 run. */
const char sql_insert_member[] =
	"INSERT INTO cluster_members VALUES (?1, ?2, ?3, ?4, ?5)\n"
	"ON CONFLICT(doc_id) DO UPDATE SET cluster = excluded.cluster,\n"
	"  duplicate_of = excluded.duplicate_of, similarity = excluded.similarity,\n"
	"  run_id = excluded.run_id";

/* The original a duplicate points at belongs to its cluster too, even
 * when the dedup stage wrote nothing on it. ?1 original, ?2 cluster, ?3 run. */
const char sql_insert_original[] =
	"INSERT INTO cluster_members VALUES (?1, ?2, NULL, NULL, ?3) ON CONFLICT(doc_id) DO NOTHING";
/* clang-format on */
