/* plugin.c -- the dedup plugin: exact, near-duplicate and paragraph
 * deduplication (docs/dedup.md). All three are serial stages whose
 * per-document work (hashing, signatures) runs in prepare() on the
 * workers, while the index is updated in input order. Each has a global
 * phase, so a sharded run deduplicates across its shards (shard.h). */
#include "stages.h"

#define DD_STAGE(stage_name, summary_text, prefix, written)                                                       \
	{                                                                                                         \
		.name = stage_name, .summary = summary_text, .options = dd_##prefix##_options,                    \
		.flags = TM_STAGE_GLOBAL, .settings_size = sizeof(dd_##prefix##_settings),                        \
		.create = dd_##prefix##_create, .process = dd_##prefix##_process, .finish = dd_##prefix##_finish, \
		.destroy = dd_##prefix##_destroy, .prepare = dd_##prefix##_prepare, .writes = written,            \
		.merge = dd_##prefix##_merge,                                                                     \
	}

static const tm_stage_type stages[] = {
	DD_STAGE("dedup.exact", "drop (or mark) documents whose normalised text was seen before", exact, "index"),
	DD_STAGE("dedup.minhash", "drop (or mark) near-duplicate documents: MinHash, LSH, verified candidates",
		 minhash, "index signatures"),
	DD_STAGE("dedup.paragraph", "remove paragraphs (or lines) that occur in at least min_docs documents",
		 paragraph, "index report"),
};

TM_PLUGIN(stages);
