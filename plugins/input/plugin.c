/* plugin.c -- the input readers the input plugin exports. */
#include "stages.h"

static const tm_stage_type stages[] = {
	{
		.name = "files",
		.summary = "JSON Lines (.jsonl) and text (.txt) files, plain, gzip or zstd",
		.options = lines_options,
		.settings_size = sizeof(lines_settings),
		.flags = TM_STAGE_INPUT,
		.extensions = ".txt .jsonl .txt.gz .jsonl.gz .txt.zst .jsonl.zst",
		.create = lines_create,
		.open = lines_open,
		.next = lines_next,
		.close = lines_close,
		.destroy = lines_destroy,
		.splits = ".jsonl",
	},
	{
		.name = "stdin",
		.summary = "JSON Lines on standard input (plain or gzip)",
		.options = lines_options,
		.settings_size = sizeof(lines_settings),
		.flags = TM_STAGE_INPUT,
		.create = lines_create,
		.open = lines_open,
		.next = lines_next,
		.close = lines_close,
		.destroy = lines_destroy,
	},
	{
		.name = "warc",
		.summary = "web crawls (WARC): the text of each response record's page, with its URI",
		.options = warc_options,
		.settings_size = sizeof(warc_settings),
		.flags = TM_STAGE_INPUT,
		.extensions = ".warc .warc.gz .warc.zst",
		.sniff = warc_sniff,
		.create = warc_create,
		.open = warc_open,
		.next = warc_next,
		.close = warc_close,
	},
};

TM_PLUGIN(stages);
