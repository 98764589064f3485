/* plugin.c -- the stage types this plugin exports. */
#include "stages.h"

static const tm_stage_type stages[] = {
	{
		.name = "clean.normalize",
		.summary = "decode legacy encodings, fix invalid UTF-8, NFC, tone marks, look-alikes, spacing",
		.options = cl_normalize_options,
		.settings_size = sizeof(cl_normalize_settings),
		.flags = TM_STAGE_PARALLEL | TM_STAGE_TAKES_BYTES,
		.create = cl_normalize_create,
		.process = cl_normalize_process,
		.destroy = cl_normalize_destroy,
	},
	{
		.name = "clean.boilerplate",
		.summary = "remove site chrome: listed lines, edge heuristics, lines recurring across a source",
		.options = cl_boilerplate_options,
		.settings_size = sizeof(cl_boilerplate_settings),
		.flags = 0, /* serial: it learns across documents, in input order */
		.create = cl_boilerplate_create,
		.prepare = cl_boilerplate_prepare, /* the rest runs on the workers */
		.process = cl_boilerplate_process,
		.finish = cl_boilerplate_finish,
		.destroy = cl_boilerplate_destroy,
		.writes = "recurring_out", /* the lines it learnt, when asked */
	},
};

TM_PLUGIN(stages);
