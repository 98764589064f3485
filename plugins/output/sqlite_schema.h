/* schema.h -- the tables output.sqlite writes and the statements that
 * fill them. docs/outputs.md describes the schema for users. */
#ifndef SQLITE_SCHEMA_H
#define SQLITE_SCHEMA_H

/* PRAGMA application_id of a textmill database ("tmdb"). */
#define SCHEMA_APPLICATION_ID 0x746d6462
/* PRAGMA user_version: bumped when the tables change. */
#define SCHEMA_VERSION 2

extern const char schema_sql[];
extern const char schema_sorted_indexes_sql[];
extern const char schema_migrate_v1_sql[];
extern const char schema_statistics_sql[];

extern const char sql_insert_run[];
extern const char sql_finish_run[];
extern const char sql_insert_stages[];
extern const char sql_upsert_document[];
extern const char sql_delete_entities[];
extern const char sql_insert_entity_json[];
extern const char sql_insert_entities[];
/* The parameters of one row of sql_insert_entities after ?1 (doc_key,
 * shared by the rows). */
#define ENTITY_PARAMS 10
extern const char sql_delete_claim[];
extern const char sql_insert_member[];
extern const char sql_insert_original[];

#endif
