/* plugin.c -- the stage types the output plugin exports: one per format. */
#include "stages.h"

static const tm_stage_type stages[] = {
	{
		.name = "output.csv",
		.summary = "write kept documents, or their entities, as CSV or TSV rows",
		.options = csv_options,
		.settings_size = sizeof(csv_settings),
		.flags = TM_STAGE_OUTPUT,
		.extensions = ".csv .tsv .tab",
		.create = csv_create,
		.process = csv_process,
		.finish = csv_finish,
		.destroy = csv_destroy,
	},
	{
		.name = "output.jsonl",
		.summary = "write kept documents as JSON Lines (valid input for another run)",
		.options = jsonl_options,
		.settings_size = sizeof(jsonl_settings),
		.flags = TM_STAGE_OUTPUT,
		.extensions = ".jsonl",
		.create = jsonl_create,
		.process = jsonl_process,
		.finish = jsonl_finish,
		.destroy = jsonl_destroy,
	},
	{
		.name = "output.report",
		.summary = "write one self-contained HTML page: run summary, stages, entities, timeline, duplicates",
		.options = report_options,
		.settings_size = sizeof(report_settings),
		.flags = TM_STAGE_OUTPUT,
		.extensions = ".html .htm",
		.create = report_create,
		.process = report_process,
		.finish = report_finish,
		.destroy = report_destroy,
	},
	{
		.name = "output.sqlite",
		.summary = "add kept documents, entities, duplicate clusters and the run to a SQLite database",
		.options = sqlite_options,
		.settings_size = sizeof(sqlite_settings),
		.flags = TM_STAGE_OUTPUT,
		.extensions = ".db .sqlite .sqlite3",
		.create = sqlite_create,
		.process = sqlite_process,
		.finish = sqlite_finish,
		.destroy = sqlite_destroy,
		.commit = sqlite_commit,
	},
};

TM_PLUGIN(stages);
